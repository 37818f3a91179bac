// Owns the calendar invite of one registration: its stable UID (per registration and event), its SEQUENCE (the
// event's, which grows on every change of time, place or link, plus the registration's own, which grows when it is
// cancelled or taken again), and the VEVENT every email about it carries (REQUEST) or removes (CANCEL). The
// attendee is the only ATTENDEE; ORGANIZER is the organisation's reply address; DESCRIPTION holds the personal join
// link (online and hybrid events) and the management link.
import type { EmailLocale } from '#emails/render.ts'
import type { EventKind } from '~/generated/prisma/enums.ts'
import { buildCalendar, type CalendarMethod } from '~/utils/calendar.server.ts'
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

const copy = {
  fr: { online: 'En ligne', onlineAnd: (venue: string) => `${venue} et en ligne`, join: 'Rejoindre l’événement (lien personnel)', manage: 'Gérer mon inscription', page: 'Page de l’événement' },
  en: { online: 'Online', onlineAnd: (venue: string) => `${venue} and online`, join: 'Join the event (personal link)', manage: 'Manage my registration', page: 'Event page' },
} as const

/** LOCATION: the venue (name and address), "En ligne", or both for a hybrid event. */
export function inviteLocation(event: Pick<InviteEvent, 'kind' | 'venueName' | 'venueAddress'>, locale: EmailLocale): string {
  const venue = [event.venueName, event.venueAddress].filter((part) => part && part.trim()).join(', ')
  if (event.kind === 'ONLINE' || !venue) return copy[locale].online
  return event.kind === 'HYBRID' ? copy[locale].onlineAnd(venue) : venue
}

/**
 * The invite of one registration as nodemailer's `icalEvent` (the text/calendar alternative part) plus the same
 * text as an `.ics` attachment. `method` REQUEST for confirmations, updates and reminders; CANCEL (STATUS:CANCELLED)
 * when the registration or the event is cancelled.
 */
export async function registrationInvite(
  event: InviteEvent,
  registration: InviteRegistration,
  method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>,
  now = new Date(),
): Promise<{ icalEvent: NonNullable<OutgoingEmail['icalEvent']>; attachment: NonNullable<OutgoingEmail['attachments']>[number]; content: string }> {
  const locale: EmailLocale = registration.locale === 'en' ? 'en' : 'fr'
  const organization = await getOrganization()
  const pageUrl = `${getEnv().APP_URL}/events/${event.slug}`
  const lines = [event.summary.trim()].filter(Boolean)
  if (method === 'REQUEST' && event.kind !== 'IN_PERSON') lines.push(`${copy[locale].join} : ${personalJoinUrl(registration.token)}`)
  if (method === 'REQUEST') lines.push(`${copy[locale].manage} : ${registrationManageUrl(registration.id, now)}`)
  lines.push(`${copy[locale].page} : ${pageUrl}`)
  const content = buildCalendar(method, [
    {
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
      organizer: { name: organization.name, email: organization.replyTo },
      attendee: { name: `${registration.firstName} ${registration.lastName}`.trim() || registration.email, email: registration.email },
      stamp: now,
    },
  ])
  return {
    icalEvent: { method, content },
    attachment: {
      filename: method === 'CANCEL' ? 'annulation.ics' : 'invitation.ics',
      contentType: `text/calendar; charset=utf-8; method=${method}`,
      content: Buffer.from(content, 'utf8').toString('base64'),
    },
    content,
  }
}
