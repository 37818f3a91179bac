// Owns the content of every event email (confirmation, waitlist, promotion, approval, refusal, cancellations,
// series, announcements; reminders, updates and follow-ups through event-mail-journey.server.ts): from one
// EventMessage row to the message the mail module sends, in the registrant's language, with the management link, the
// personal join link online, the check-in QR code inline on site, and the calendar invite (REQUEST for a confirmed
// seat, CANCEL when it goes, also when staff move the person to the waitlist or refuse them; one file per series
// registration, and one CANCEL file for the sessions a cancelled series registration leaves).
import { registrationStatusLabel } from '#emails/event-already-registered.ts'
import { eventFormatOf, eventGreeting } from '#emails/event-parts.ts'
import { seriesSessionsText, type SeriesSessionLine } from '#emails/event-series-confirmation.ts'
import { renderEmail, type EmailLocale } from '#emails/render.ts'
import { prisma } from '~/utils/db.server.ts'
import { registrationManageUrl, seriesRegistrationManageUrl } from '~/utils/links.server.ts'
import type { OutgoingEmail } from '~/utils/mail.server.ts'
import { eventPageUrl, inviteWasSent, seriesCancelCalendar, seriesSessionsCalendar } from './event-invite.server.ts'
import { journeyContent, journeyKinds } from './event-mail-journey.server.ts'
import {
  absolute,
  emailLocale,
  eventValues,
  formatEventWhen,
  layoutValues,
  messageInclude,
  practicalDetails,
  qrAttachments,
  recipient,
  withInvite,
  type Content,
  type LoadedEvent,
  type LoadedMessage,
  type LoadedRegistration,
  type LoadedSeriesRegistration,
  type Skip,
} from './event-mail-parts.server.ts'

export { formatEventWhen }

/** Values of EventMessage.detail this module reads (the ledger's writers set them). */
export const eventMessageDetail = {
  /** On a CONFIRMATION, WAITLISTED or PENDING_APPROVAL: a session added to a series registered its members. */
  seriesSessionAdded: 'series-session-added',
  /** On a CANCELLATION: the organisers cancelled it ('attendee' when the person did). */
  byStaff: 'staff',
} as const

/**
 * CONFIRMATION and PROMOTED: the practical details for the event's format (the personal join link online, the venue
 * and QR code on site) and the calendar invite (REQUEST).
 */
async function confirmationContent(message: LoadedMessage, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content> {
  const locale = emailLocale(registration.locale)
  const format = eventFormatOf(event.kind)
  const values = { ...(await eventValues(event, registration, locale, now)), ...practicalDetails(event, registration, locale) }
  const base = { ...recipient(registration), attachments: await qrAttachments(format, registration.id) }
  const rendered = async (): Promise<Content> => {
    if (message.kind === 'PROMOTED') {
      const template = `event-promoted-${format}` as const
      return { template, ...base, ...(await renderEmail(template, values, locale)) }
    }
    if (message.detail === eventMessageDetail.seriesSessionAdded && event.series) {
      const template = `event-session-added-${format}` as const
      return { template, ...base, ...(await renderEmail(template, { ...values, seriesTitle: event.series.title }, locale)) }
    }
    const template = `event-confirmation-${format}` as const
    return { template, ...base, ...(await renderEmail(template, values, locale)) }
  }
  return withInvite(await rendered(), event, registration, 'REQUEST', now)
}

/** A cancellation notice removes the event from the person's calendar (CANCEL), if an invite ever put it there. */
async function withCancelIfInvited(content: Content, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content> {
  return (await inviteWasSent(registration)) ? withInvite(content, event, registration, 'CANCEL', now) : content
}

/** Messages about one registration to one event; null when the row no longer matches the registration's state. */
async function registrationContent(message: LoadedMessage, now: Date): Promise<Content | null> {
  const { event, registration } = message
  if (!event || !registration) return null
  const locale = emailLocale(registration.locale)
  const status = registration.status
  // Notices about taking part make no sense once the event is cancelled or over.
  const eventLive = event.status !== 'CANCELLED' && event.endsAt > now
  switch (message.kind) {
    case 'CONFIRMATION':
    case 'PROMOTED':
      return status === 'CONFIRMED' && eventLive ? confirmationContent(message, event, registration, now) : null
    case 'WAITLISTED':
    case 'PENDING_APPROVAL': {
      if (status !== message.kind || !eventLive) return null
      const values = await eventValues(event, registration, locale, now)
      const base = status === 'WAITLISTED' ? 'event-waitlisted' : 'event-pending-approval'
      const content =
        message.detail === eventMessageDetail.seriesSessionAdded && event.series
          ? await render(`${base}-session-added`, { ...values, seriesTitle: event.series.title }, locale, registration)
          : await render(base, values, locale, registration)
      // Moved off the confirmed list by staff: the seat (and the calendar entry its invite made) is gone.
      return withCancelIfInvited(content, event, registration, now)
    }
    case 'REFUSED': {
      if (status !== 'REFUSED') return null
      const { manageUrl: _manageUrl, ...values } = await eventValues(event, registration, locale, now)
      return withCancelIfInvited(await render('event-refused', { ...values, eventsUrl: absolute('/events') }, locale, registration), event, registration, now)
    }
    case 'CANCELLATION': {
      if (status !== 'CANCELLED') return null
      const { manageUrl: _manageUrl, ...values } = await eventValues(event, registration, locale, now)
      const template = message.detail === eventMessageDetail.byStaff ? 'event-cancellation-by-staff' : 'event-cancellation'
      const content = await render(template, { ...values, eventUrl: eventPageUrl(event.slug) }, locale, registration)
      return withCancelIfInvited(content, event, registration, now)
    }
    case 'EVENT_CANCELLED': {
      if (event.status !== 'CANCELLED') return null
      const { manageUrl: _manageUrl, ...values } = await eventValues(event, registration, locale, now)
      return withCancelIfInvited(await render('event-cancelled', values, locale, registration), event, registration, now)
    }
    case 'ALREADY_REGISTERED':
      if (status === 'CANCELLED') return null
      return render('event-already-registered', { ...(await eventValues(event, registration, locale, now)), statusLabel: registrationStatusLabel(locale, status) }, locale, registration)
    case 'ANNOUNCEMENT': {
      const { announcement } = message
      if (!announcement || status === 'CANCELLED' || status === 'REFUSED') return null
      const values = { ...(await eventValues(event, registration, locale, now)), announcementSubject: announcement.subject, announcementBody: announcement.body }
      return render('event-announcement', values, locale, registration)
    }
    default:
      return null
  }
}

type SimpleTemplate =
  | 'event-waitlisted'
  | 'event-waitlisted-session-added'
  | 'event-pending-approval'
  | 'event-pending-approval-session-added'
  | 'event-refused'
  | 'event-cancellation'
  | 'event-cancellation-by-staff'
  | 'event-cancelled'
  | 'event-already-registered'
  | 'event-announcement'
  | 'event-series-confirmation'
  | 'event-series-already-registered'
  | 'event-series-cancelled'
  | 'event-series-registration-cancelled'

async function render<N extends SimpleTemplate>(
  template: N,
  values: Parameters<typeof renderEmail<N>>[1],
  locale: EmailLocale,
  person: { email: string; contactId: number | null },
): Promise<Content> {
  return { template, ...recipient(person), ...(await renderEmail(template, values, locale)) }
}

/**
 * The upcoming published sessions of a series where the person holds a registration (confirmed, waitlisted or
 * awaiting approval), each with that status and a link to its own management page. The registration is looked up by
 * the series registration's address, so a session where they were already registered on their own counts too;
 * sessions where they hold none (full without waitlist, closed) or a cancelled or refused one are left out.
 */
async function upcomingSessions(seriesRegistration: LoadedSeriesRegistration, locale: EmailLocale, now: Date): Promise<string> {
  const sessions = await prisma.event.findMany({
    where: { seriesId: seriesRegistration.seriesId, status: 'PUBLISHED', startsAt: { gt: now } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    select: {
      title: true,
      startsAt: true,
      endsAt: true,
      timeZone: true,
      registrations: { where: { email: seriesRegistration.email }, select: { id: true, status: true } },
    },
  })
  const lines: SeriesSessionLine[] = []
  for (const session of sessions) {
    const registration = session.registrations[0]
    if (!registration || registration.status === 'CANCELLED' || registration.status === 'REFUSED') continue
    lines.push({
      when: formatEventWhen(session, locale),
      title: session.title,
      statusLabel: registrationStatusLabel(locale, registration.status),
      manageUrl: registrationManageUrl(registration.id, now),
    })
  }
  return seriesSessionsText(locale, lines)
}

/** Messages about a whole-series registration. */
async function seriesContent(message: LoadedMessage, now: Date): Promise<Content | null> {
  const { seriesRegistration } = message
  if (!seriesRegistration) return null
  const locale = emailLocale(seriesRegistration.locale)
  const { series } = seriesRegistration
  const values = { ...(await layoutValues()), greeting: eventGreeting(locale, seriesRegistration.firstName), seriesTitle: series.title }
  const manageUrl = seriesRegistrationManageUrl(seriesRegistration.id, now)
  switch (message.kind) {
    case 'SERIES_CONFIRMATION': {
      if (seriesRegistration.status === 'CANCELLED' || series.status === 'CANCELLED') return null
      const sessions = await upcomingSessions(seriesRegistration, locale, now)
      const content = await render('event-series-confirmation', { ...values, sessions, manageUrl }, locale, seriesRegistration)
      // One calendar file with every session held confirmed, each under its own registration's UID.
      const calendar = await seriesSessionsCalendar(seriesRegistration, { name: series.title, now })
      return calendar ? { ...content, attachments: [calendar] } : content
    }
    case 'ALREADY_REGISTERED':
      if (seriesRegistration.status === 'CANCELLED') return null
      return render('event-series-already-registered', { ...values, manageUrl }, locale, seriesRegistration)
    case 'SERIES_CANCELLED': {
      if (series.status !== 'CANCELLED' && seriesRegistration.status !== 'CANCELLED') return null
      const content =
        series.status === 'CANCELLED'
          ? await render('event-series-cancelled', values, locale, seriesRegistration)
          : await render('event-series-registration-cancelled', { ...values, seriesUrl: absolute(`/series/${series.slug}`) }, locale, seriesRegistration)
      // The sessions its invites put in the calendar leave it (one CANCEL per session UID, in one file).
      const calendar = await seriesCancelCalendar(seriesRegistration, { name: series.title, now })
      return calendar ? { ...content, attachments: [calendar] } : content
    }
    default:
      return null
  }
}

/** What the worker does with one ledger row: send this email, or skip it (with the reason staff see, if any). */
export type EventMessageOutcome = { email: OutgoingEmail; skip?: undefined } | { skip: string | null; email?: undefined }

function isSkip(content: Content | Skip): content is Skip {
  return 'skip' in content
}

/**
 * The email of one ledger row, or a skip when there is nothing to send any more (its registration was erased, or a
 * notice no longer applies: e.g. a PROMOTED row whose registration was cancelled meanwhile, a reminder whose event
 * has started, with the reason from messageOutcomeDetail). The idempotency key of the email is `event-message:<id>`.
 */
export async function buildEventMessageOutcome(messageId: number, now = new Date()): Promise<EventMessageOutcome> {
  const message = await prisma.eventMessage.findUnique({ where: { id: messageId }, include: messageInclude })
  if (!message) return { skip: null }
  const seriesLevel = message.kind === 'SERIES_CONFIRMATION' || message.kind === 'SERIES_CANCELLED' || (message.kind === 'ALREADY_REGISTERED' && !message.registration)
  const content = journeyKinds.has(message.kind)
    ? await journeyContent(message, now)
    : ((seriesLevel ? await seriesContent(message, now) : await registrationContent(message, now)) ?? { skip: null })
  if (isSkip(content)) return content
  return { email: { idempotencyKey: `event-message:${message.id}`, kind: 'transactional', ...content } }
}

/** The email of one ledger row, or null when it would be skipped (see buildEventMessageOutcome). */
export async function buildEventMessage(messageId: number, now = new Date()): Promise<OutgoingEmail | null> {
  return (await buildEventMessageOutcome(messageId, now)).email ?? null
}
