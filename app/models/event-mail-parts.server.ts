// Owns what every event email is built from: the ledger row as loaded (message, event, registration, series), the
// values all messages about one event share, the practical details of its format (venue, personal join link, check-in
// QR code) and the calendar invite a message carries. event-mail.server.ts and event-mail-journey.server.ts use them.
import { checkinQrCid, eventGreeting, eventKindLabel, joinOpensText, venueLines, type EventFormat } from '#emails/event-parts.ts'
import type { EmailLocale, RenderedEmail } from '#emails/render.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import { formatDateTime, zoneLabel } from '~/i18n.ts'
import { getEnv } from '~/utils/env.server.ts'
import { registrationManageUrl } from '~/utils/links.server.ts'
import type { OutgoingEmail } from '~/utils/mail.server.ts'
import { checkinQrPng } from '~/utils/qr.server.ts'
import { personalJoinUrl, personLocale, registrationInvite } from './event-invite.server.ts'
import { getOrganization } from './organization.server.ts'

export const messageInclude = {
  event: { include: { series: true } },
  registration: true,
  seriesRegistration: { include: { series: true } },
  announcement: true,
} satisfies Prisma.EventMessageInclude

export type LoadedMessage = Prisma.EventMessageGetPayload<{ include: typeof messageInclude }>
export type LoadedEvent = NonNullable<LoadedMessage['event']>
export type LoadedRegistration = NonNullable<LoadedMessage['registration']>
export type LoadedSeriesRegistration = NonNullable<LoadedMessage['seriesRegistration']>

/** What a message needs besides its rendering: template name, recipient, attachments, calendar invite. */
export type Content = Pick<OutgoingEmail, 'template' | 'to' | 'contactId' | 'attachments' | 'icalEvent'> & RenderedEmail

/** A row with nothing to send: the reason staff see in the ledger (messageOutcomeDetail), or null. */
export type Skip = { skip: string | null }

/** The language of a message: the registrant's, narrowed as the calendar files do (French unless known). */
export const emailLocale = personLocale

/**
 * When an event takes place, in its own zone with the zone named: "jeudi 4 novembre 2027, 12:15 – 13:00 (heure
 * normale d’Europe centrale)"; both ends in full when it spans several days.
 */
export function formatEventWhen(event: { startsAt: Date; endsAt: Date; timeZone: string }, locale: EmailLocale): string {
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB'
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'full', timeZone: event.timeZone })
  const time = new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone: event.timeZone })
  if (day.format(event.startsAt) !== day.format(event.endsAt)) {
    return `${formatDateTime(event.startsAt, locale, event.timeZone)} – ${formatDateTime(event.endsAt, locale, event.timeZone)}`
  }
  return `${day.format(event.startsAt)}, ${time.format(event.startsAt)} – ${time.format(event.endsAt)} (${zoneLabel(event.startsAt, locale, event.timeZone)})`
}

export function absolute(path: string): string {
  return `${getEnv().APP_URL}${path}`
}

export async function layoutValues() {
  const organization = await getOrganization()
  return { organizationName: organization.name, postalAddress: organization.postalAddress }
}

/** The values every message about one event shares, for one registration. */
export async function eventValues(event: LoadedEvent, registration: LoadedRegistration, locale: EmailLocale, now: Date) {
  return {
    ...(await layoutValues()),
    greeting: eventGreeting(locale, registration.firstName),
    eventTitle: event.title,
    eventWhen: formatEventWhen(event, locale),
    eventKind: eventKindLabel(locale, event.kind),
    manageUrl: registrationManageUrl(registration.id, now),
  }
}

/** The practical details of the event's format: venue lines on site, the personal join link and its opening online. */
export function practicalDetails(event: LoadedEvent, registration: LoadedRegistration, locale: EmailLocale) {
  const venue = event.kind === 'ONLINE' ? '' : venueLines(locale, { name: event.venueName, address: event.venueAddress, accessNotes: event.accessNotes })
  if (event.kind === 'IN_PERSON') return { venue }
  return { venue, personalJoinUrl: personalJoinUrl(registration.token), joinOpens: joinOpensText(locale, event.joinOpensMinutes) }
}

export function recipient(person: { email: string; contactId: number | null }) {
  return { to: person.email, contactId: person.contactId ?? undefined }
}

/** The inline check-in QR code, for events with a venue. */
export async function qrAttachments(format: EventFormat, registrationId: number): Promise<OutgoingEmail['attachments']> {
  if (format === 'online') return undefined
  const png = await checkinQrPng(registrationId)
  return [{ filename: 'qr-code-accueil.png', contentType: 'image/png', content: png.toString('base64'), cid: checkinQrCid }]
}

/**
 * The message with the registration's calendar invite as nodemailer's `icalEvent`: the text/calendar alternative part
 * (what makes a mail client offer "add to calendar") and, added by nodemailer from the same text, the `invite.ics`
 * attachment for clients that only look at files. No second .ics of our own: the person would see the file twice.
 */
export async function withInvite(content: Content, event: LoadedEvent, registration: LoadedRegistration, method: 'REQUEST' | 'CANCEL', now: Date): Promise<Content> {
  const invite = await registrationInvite(event, registration, method, now)
  return { ...content, icalEvent: invite.icalEvent }
}
