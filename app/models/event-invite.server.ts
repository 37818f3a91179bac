// Owns the calendar invite of one registration: its stable UID (per registration and event), its SEQUENCE (the
// event's, which grows on every change of time, place or link, plus the registration's own, which grows when it is
// cancelled or taken again), and the VEVENT every email about it carries (REQUEST) or removes (CANCEL). The
// attendee is the only ATTENDEE; ORGANIZER is the organisation's reply address; DESCRIPTION holds the personal join
// link (online and hybrid events) and the management link. Also the calendar files of a series registration (one
// VEVENT per confirmed session, each with its registration's UID; on cancellation, one CANCEL per session that had
// reached the calendar), whether a person was ever sent an invite (so a CANCEL only goes to calendars that hold the
// event), and the helpers the event emails and files share (event page URL, the person's language, the file words).
import addressparser from 'nodemailer/lib/addressparser/index.js'
import type { EmailLocale } from '#emails/render.ts'
import type { EventKind } from '~/generated/prisma/enums.ts'
import { defaultLocale, isLocale, resources } from '~/i18n.ts'
import { buildCalendar, type CalendarEventInput, type CalendarMethod } from '~/utils/calendar.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { registrationManageUrl } from '~/utils/links.server.ts'
import type { OutgoingEmail } from '~/utils/mail.server.ts'
import { getOrganization } from './organization.server.ts'

export interface InviteEvent {
  id: number
  slug: string
  kind: EventKind
  title: string
  summary: string
  startsAt: Date
  endsAt: Date
  timeZone: string
  venueName: string | null
  venueAddress: string | null
  status: 'DRAFT' | 'PUBLISHED' | 'CANCELLED'
  icalUid: string
  icalSequence: number
}

export interface InviteRegistration {
  id: number
  email: string
  firstName: string
  lastName: string
  locale: string
  token: string
  icalSequence: number
}

/** The UID of one registration's invite: stable for its whole life (confirmation, updates, cancellation). */
export function registrationInviteUid(event: Pick<InviteEvent, 'icalUid'>, registrationId: number): string {
  return `r${registrationId}-${event.icalUid}`
}

/** SEQUENCE of the invite now: both parts only grow, so every new REQUEST or CANCEL is higher than the last. */
export function registrationInviteSequence(event: Pick<InviteEvent, 'icalSequence'>, registration: Pick<InviteRegistration, 'icalSequence'>): number {
  return event.icalSequence + registration.icalSequence
}

/** The attendee's personal join link (`/j/<token>`): online and hybrid events only. */
export function personalJoinUrl(token: string): string {
  return `${getEnv().APP_URL}/j/${token}`
}

/** A registrant's or organisation's stored language as one the app speaks (French unless it is a known one). */
export function personLocale(locale: string | null | undefined): EmailLocale {
  return isLocale(locale) ? locale : defaultLocale
}

/** The words calendar files carry (calendarLinks.file), read synchronously from the locale resources. */
export function calendarFileCopy(locale: EmailLocale) {
  return resources[locale].translation.calendarLinks.file
}

/** The event's public page (slug encoded): the URL of every calendar entry and the link of the emails. */
export function eventPageUrl(slug: string): string {
  return `${getEnv().APP_URL}/events/${encodeURIComponent(slug)}`
}

/** LOCATION: the venue (name and address), "En ligne", or both for a hybrid event. */
export function inviteLocation(event: Pick<InviteEvent, 'kind' | 'venueName' | 'venueAddress'>, locale: EmailLocale): string {
  const copy = calendarFileCopy(locale)
  const venue = [event.venueName, event.venueAddress].filter((part) => part && part.trim()).join(', ')
  if (event.kind === 'ONLINE' || !venue) return copy.online
  return event.kind === 'HYBRID' ? copy.onlineAnd.replace('{{venue}}', venue) : venue
}

type Organizer = { name: string; replyTo: string }

/**
 * ORGANIZER's address: the organisation's reply address, or the sender address of MAIL_FROM when none was set
 * (an instance installed without the demo data has an empty one, and ical-generator refuses an empty ORGANIZER).
 */
export function organizerAddress(replyTo: string): string {
  if (replyTo.trim()) return replyTo.trim()
  const [sender] = addressparser(getEnv().MAIL_FROM, { flatten: true })
  return sender?.address ?? ''
}

/**
 * The VEVENT of one registration's invite. REQUEST and PUBLISH carry the personal join link (online and hybrid) and
 * the management link; a CANCEL only says which event it was. PUBLISH names no ATTENDEE (RFC 5546).
 */
export function inviteEventInput(event: InviteEvent, registration: InviteRegistration, method: CalendarMethod, organizer: Organizer, now: Date): CalendarEventInput {
  const locale = personLocale(registration.locale)
  const copy = calendarFileCopy(locale)
  const pageUrl = eventPageUrl(event.slug)
  const lines = [event.summary.trim()].filter(Boolean)
  if (method !== 'CANCEL' && event.kind !== 'IN_PERSON') lines.push(`${copy.join} : ${personalJoinUrl(registration.token)}`)
  if (method !== 'CANCEL') lines.push(`${copy.manage} : ${registrationManageUrl(registration.id, now)}`)
  lines.push(`${copy.page} : ${pageUrl}`)
  return {
    uid: registrationInviteUid(event, registration.id),
    sequence: registrationInviteSequence(event, registration),
    start: event.startsAt,
    end: event.endsAt,
    timeZone: event.timeZone,
    summary: event.title,
    description: lines.join('\n\n'),
    location: inviteLocation(event, locale),
    url: pageUrl,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    // No address at all (neither reply address nor MAIL_FROM): no ORGANIZER rather than an invite that cannot be built.
    ...(organizerAddress(organizer.replyTo) ? { organizer: { name: organizer.name, email: organizerAddress(organizer.replyTo) } } : {}),
    ...(method === 'PUBLISH'
      ? {}
      : { attendee: { name: `${registration.firstName} ${registration.lastName}`.trim() || registration.email, email: registration.email } }),
    stamp: now,
  }
}

type Attachment = NonNullable<OutgoingEmail['attachments']>[number]

function calendarAttachment(filename: string, method: CalendarMethod, content: string): Attachment {
  return { filename, contentType: `text/calendar; charset=utf-8; method=${method}`, content: Buffer.from(content, 'utf8').toString('base64') }
}

/**
 * The invite of one registration as nodemailer's `icalEvent` (the text/calendar alternative part; nodemailer also
 * attaches the same text as `invitation.ics` / `annulation.ics`, so an email carrying `icalEvent` needs no `attachment`) plus the same text
 * as an `.ics` attachment for messages sent without the alternative part. `method` REQUEST for confirmations,
 * updates and reminders; CANCEL (STATUS:CANCELLED) when the registration or the event is cancelled.
 */
export async function registrationInvite(
  event: InviteEvent,
  registration: InviteRegistration,
  method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>,
  now = new Date(),
): Promise<{ icalEvent: NonNullable<OutgoingEmail['icalEvent']>; attachment: Attachment; content: string }> {
  const content = buildCalendar(method, [inviteEventInput(event, registration, method, await getOrganization(), now)])
  return {
    icalEvent: { method, content, filename: method === 'CANCEL' ? 'annulation.ics' : 'invitation.ics' },
    attachment: calendarAttachment(method === 'CANCEL' ? 'annulation.ics' : 'invitation.ics', method, content),
    content,
  }
}

/**
 * The calendar file of a series registration's confirmation (`seances.ics`, METHOD:PUBLISH): one VEVENT per upcoming
 * published session the person holds CONFIRMED (no RRULE: sessions are separate events), each with that session
 * registration's own UID and SEQUENCE, so a later update or cancellation of one session replaces its entry. Null
 * when no session holds a confirmed place. One email carries many UIDs, so there is no iTIP alternative part.
 */
export async function seriesSessionsCalendar(
  seriesRegistration: { seriesId: number; email: string },
  options: { name: string; now?: Date },
): Promise<Attachment | null> {
  const now = options.now ?? new Date()
  const registrations = await prisma.registration.findMany({
    where: { email: seriesRegistration.email, status: 'CONFIRMED', event: { seriesId: seriesRegistration.seriesId, status: 'PUBLISHED', startsAt: { gt: now } } },
    include: { event: true },
    orderBy: [{ event: { startsAt: 'asc' } }, { id: 'asc' }],
  })
  if (registrations.length === 0) return null
  const organization = await getOrganization()
  const events = registrations.map(({ event, ...registration }) => inviteEventInput(event, registration, 'PUBLISH', organization, now))
  return calendarAttachment('seances.ics', 'PUBLISH', buildCalendar('PUBLISH', events, { name: options.name }))
}

/**
 * The calendar file of a cancelled series registration (`annulation-seances.ics`, METHOD:CANCEL): one VEVENT per
 * upcoming session registration cancelled together with it (same cancelledAt) whose invite had been sent, each under
 * its own UID with its current SEQUENCE and STATUS:CANCELLED, so every session leaves the person's calendar. Many UIDs
 * in one email: an attachment, no iTIP alternative part. Null when no session had reached the calendar.
 */
export async function seriesCancelCalendar(
  seriesRegistration: { id: number; cancelledAt: Date | null },
  options: { name: string; now?: Date },
): Promise<Attachment | null> {
  const now = options.now ?? new Date()
  if (!seriesRegistration.cancelledAt) return null
  const registrations = await prisma.registration.findMany({
    where: { seriesRegistrationId: seriesRegistration.id, status: 'CANCELLED', cancelledAt: seriesRegistration.cancelledAt, event: { startsAt: { gt: now } } },
    include: { event: true },
    orderBy: [{ event: { startsAt: 'asc' } }, { id: 'asc' }],
  })
  const invited = []
  for (const registration of registrations) if (await inviteWasSent(registration)) invited.push(registration)
  if (invited.length === 0) return null
  const organization = await getOrganization()
  const events = invited.map(({ event, ...registration }) => inviteEventInput(event, registration, 'CANCEL', organization, now))
  return calendarAttachment('annulation-seances.ics', 'CANCEL', buildCalendar('CANCEL', events, { name: options.name }))
}

/** Kinds of a registration's messages that carry its invite (REQUEST). */
const inviteKinds = ['CONFIRMATION', 'PROMOTED', 'UPDATE', 'REMINDER'] as const

/**
 * Whether the person's calendar may hold this registration's event: one of its messages carrying the invite was
 * sent, or the confirmation of the series registration it belongs to (its calendar file lists the confirmed
 * sessions) was sent after it existed. Waitlisted and pending people never had one, so they get no CANCEL.
 */
export async function inviteWasSent(registration: { id: number; seriesRegistrationId: number | null; createdAt: Date }): Promise<boolean> {
  const series = registration.seriesRegistrationId
    ? [{ seriesRegistrationId: registration.seriesRegistrationId, kind: 'SERIES_CONFIRMATION' as const, sentAt: { gte: registration.createdAt } }]
    : []
  const row = await prisma.eventMessage.findFirst({
    where: { status: 'SENT', OR: [{ registrationId: registration.id, kind: { in: [...inviteKinds] } }, ...series] },
    select: { id: true },
  })
  return row !== null
}
