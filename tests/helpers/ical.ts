// Owns reading calendar invites back in tests: the text/calendar parts of a received email (the alternative part
// that mail clients show as an invitation, and .ics attachments), each read by two independent parsers — ical.js
// (Mozilla's, used by Thunderbird) and node-ical — into the same plain shape, so a test can check both agree.
import ICAL from 'ical.js'
import nodeIcal, { type Attendee, type Organizer, type ParameterValue, type VEvent } from 'node-ical'
import type { ParsedMail } from 'mailparser'

/** One text/calendar part of an email. */
export interface CalendarPart {
  /** 'alternative': the multipart/alternative body part (the invitation itself); 'attachment': an .ics file. */
  role: 'alternative' | 'attachment'
  contentType: string
  /** The `method` parameter of the part's Content-Type (REQUEST, CANCEL…), upper case; null when absent. */
  methodParam: string | null
  filename: string | null
  text: string
}

/** One VEVENT as both parsers are asked to read it. */
export interface ParsedInviteEvent {
  uid: string
  sequence: number
  status: string | null
  summary: string
  description: string
  location: string
  url: string | null
  start: Date
  end: Date
  /** TZID of DTSTART (null for UTC or floating times). */
  startZone: string | null
  /** ORGANIZER and ATTENDEE addresses, lower case, without `mailto:`. */
  organizer: string | null
  attendees: string[]
}

export interface ParsedInvite {
  method: string | null
  events: ParsedInviteEvent[]
}

const calendarTypes = new Set(['text/calendar', 'application/ics'])

/**
 * The calendar parts of a parsed email (mailparser lists them among `attachments`): the alternative part has no
 * Content-Disposition, an .ics attachment has `attachment` and a file name.
 */
export function calendarParts(mail: ParsedMail): CalendarPart[] {
  return mail.attachments
    .filter((part) => calendarTypes.has(part.contentType.toLowerCase()))
    .map((part) => {
      const header = part.headers.get('content-type') as { params?: Record<string, string> } | undefined
      const method = header?.params?.method
      return {
        role: part.contentDisposition === 'attachment' ? 'attachment' : 'alternative',
        contentType: part.contentType.toLowerCase(),
        methodParam: method ? method.toUpperCase() : null,
        filename: part.filename ?? null,
        text: part.content.toString('utf8'),
      }
    })
}

/** The one alternative text/calendar part of an email (what makes a client show "Accept / Decline"). */
export function invitationPart(mail: ParsedMail): CalendarPart {
  const parts = calendarParts(mail).filter((part) => part.role === 'alternative')
  if (parts.length !== 1) throw new Error(`expected one text/calendar alternative part, found ${parts.length} (subject: ${mail.subject ?? ''})`)
  return parts[0]!
}

const address = (value: string | null | undefined): string | null => (value ? value.replace(/^mailto:/i, '').trim().toLowerCase() : null)

/** Reads an invite with ical.js: the VTIMEZONEs it carries are registered first, so zoned times convert right. */
export function parseWithIcalJs(text: string): ParsedInvite {
  const calendar = new ICAL.Component(ICAL.parse(text))
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone)
  return {
    method: (calendar.getFirstPropertyValue('method') as string | null) ?? null,
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component)
      const start = component.getFirstProperty('dtstart')
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: (component.getFirstPropertyValue('status') as string | null) ?? null,
        summary: event.summary ?? '',
        description: event.description ?? '',
        location: event.location ?? '',
        url: (component.getFirstPropertyValue('url') as string | null) ?? null,
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        startZone: (start?.getParameter('tzid') as string | undefined) ?? null,
        organizer: address(event.organizer),
        attendees: event.attendees.map((attendee) => address(attendee.getFirstValue() as string)!),
      }
    }),
  }
}

/** A node-ical value, with or without its parameters (`{ val, params }`). */
const plain = <T>(value: ParameterValue<T, object> | undefined): T | undefined =>
  value !== null && typeof value === 'object' && 'val' in value ? value.val : value

/** Reads an invite with node-ical (its own parser and time-zone handling). */
export function parseWithNodeIcal(text: string): ParsedInvite {
  const parsed = nodeIcal.sync.parseICS(text)
  const events = Object.values(parsed).filter((item): item is VEvent => item?.type === 'VEVENT')
  const attendees = (value: Attendee[] | Attendee | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((a) => address(plain(a))!)
  return {
    method: parsed.vcalendar?.method ?? events[0]?.method ?? null,
    events: events.map((event) => ({
      uid: event.uid,
      sequence: Number(event.sequence ?? 0),
      status: event.status ?? null,
      summary: plain(event.summary) ?? '',
      description: plain(event.description) ?? '',
      location: plain(event.location) ?? '',
      url: plain(event.url as ParameterValue | undefined) ?? null,
      start: new Date(event.start.getTime()),
      end: new Date((event.end ?? event.start).getTime()),
      startZone: event.start.tz && event.start.tz !== 'Etc/UTC' && event.start.tz !== 'UTC' ? event.start.tz : null,
      organizer: address(plain(event.organizer as Organizer | undefined)),
      attendees: attendees(event.attendee),
    })),
  }
}

/** Reads `text` with both parsers and throws unless they agree; returns what they read. */
export function parseInvite(text: string): ParsedInvite {
  const byIcalJs = parseWithIcalJs(text)
  const byNodeIcal = parseWithNodeIcal(text)
  const comparable = (invite: ParsedInvite) => JSON.stringify({ ...invite, events: [...invite.events].sort((a, b) => a.uid.localeCompare(b.uid)) })
  if (comparable(byIcalJs) !== comparable(byNodeIcal)) {
    throw new Error(`ical.js and node-ical read this invite differently:\nical.js:    ${comparable(byIcalJs)}\nnode-ical:  ${comparable(byNodeIcal)}\n${text}`)
  }
  return byIcalJs
}
