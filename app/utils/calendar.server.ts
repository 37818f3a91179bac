// Owns the iCalendar text the app hands out (invites in emails, .ics downloads, feeds), written by ical-generator:
// one VEVENT per event, times in the event's own zone with its VTIMEZONE (so DTSTART/DTEND stay right across
// daylight-saving changes), DTSTAMP in UTC. Plain values in: callers decide UID, SEQUENCE, who is invited.
import { TZDate } from '@date-fns/tz'
import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator'

export type CalendarMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH'

export interface CalendarEventInput {
  uid: string
  sequence: number
  start: Date
  end: Date
  /** IANA zone the times are written in (with its VTIMEZONE); UTC when the zone is unknown. */
  timeZone: string
  summary: string
  description: string
  location: string
  url: string | null
  status: 'CONFIRMED' | 'CANCELLED'
  /** The organisation's monitored reply address (invites only). */
  organizer?: { name: string; email: string }
  /** The one person invited (invites only): never the other attendees. */
  attendee?: { name: string; email: string }
  /** When this version was issued (DTSTAMP); now by default. */
  stamp?: Date
}

const methods = { REQUEST: ICalCalendarMethod.REQUEST, CANCEL: ICalCalendarMethod.CANCEL, PUBLISH: ICalCalendarMethod.PUBLISH } as const

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return getVtimezoneComponent(zone) !== null
  } catch {
    return false
  }
}

/**
 * A VCALENDAR with these events. ical-generator writes a plain Date's wall clock as read in the process zone, so
 * every time goes in as a TZDate of the event's zone (its wall clock there), and calendar-level zone stays unset:
 * each event names its own zone and ical-generator adds that zone's VTIMEZONE once.
 */
export function buildCalendar(method: CalendarMethod, events: CalendarEventInput[], options: { name?: string } = {}): string {
  const calendar = ical({ prodId: { company: 'Relais', product: 'Relais', language: 'FR' }, method: methods[method], ...(options.name ? { name: options.name } : {}) })
  calendar.timezone({ name: null, generator: getVtimezoneComponent })
  for (const input of events) {
    const zone = knownZone(input.timeZone) ? input.timeZone : null
    const event = calendar.createEvent({
      id: input.uid,
      sequence: input.sequence,
      stamp: input.stamp ?? new Date(),
      start: zone ? new TZDate(input.start, zone) : input.start,
      end: zone ? new TZDate(input.end, zone) : input.end,
      ...(zone ? { timezone: zone } : {}),
      summary: input.summary,
      description: input.description,
      location: input.location,
      ...(input.url ? { url: input.url } : {}),
      status: input.status === 'CANCELLED' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(input.organizer ? { organizer: { name: input.organizer.name, email: input.organizer.email } } : {}),
    })
    if (input.attendee) {
      event.createAttendee({
        email: input.attendee.email,
        name: input.attendee.name,
        role: ICalAttendeeRole.REQ,
        // They registered: the invite is already accepted, calendars add it without asking for an answer.
        status: input.status === 'CANCELLED' ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      })
    }
  }
  return calendar.toString()
}
