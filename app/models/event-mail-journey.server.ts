// Owns the content of the attendee journey's timed emails, built when they go out from the current state: reminders
// (how soon, the personal join link or the venue and QR code, the invite), updates (what changed, then the current
// details and the invite) and the follow-up after the event (split by attendance: thanks, replay, resources and the
// feedback form, or "sorry we missed you"). Each either gives the email or says why it is skipped.
import { eventFormatOf, eventGreeting } from '#emails/event-parts.ts'
import { followUpIntro, followUpResourcesText } from '#emails/event-follow-up.ts'
import { reminderTiming } from '#emails/event-reminder.ts'
import { renderEmail } from '#emails/render.ts'
import { updateChangesText } from '#emails/event-update.ts'
import { feedbackUrl } from '~/utils/links.server.ts'
import { inviteLocation } from './event-invite.server.ts'
import { messageOutcomeDetail, readUpdateDetail } from './event-message-detail.ts'
import {
  absolute,
  emailLocale,
  eventValues,
  formatEventWhen,
  layoutValues,
  practicalDetails,
  qrAttachments,
  recipient,
  withInvite,
  type Content,
  type LoadedEvent,
  type LoadedMessage,
  type LoadedRegistration,
  type Skip,
} from './event-mail-parts.server.ts'
import { readResources } from './event-resources.ts'

const skip = (reason: string): Skip => ({ skip: reason })

/** A reminder before the event; skipped once the registration is not confirmed, the event not live or begun. */
async function reminderContent(message: LoadedMessage, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content | Skip> {
  if (registration.status !== 'CONFIRMED') return skip(messageOutcomeDetail.notConfirmed)
  if (event.status !== 'PUBLISHED') return skip(messageOutcomeDetail.eventNotLive)
  if (event.startsAt <= now) return skip(messageOutcomeDetail.eventStarted)
  const locale = emailLocale(registration.locale)
  const format = eventFormatOf(event.kind)
  // A row without its offset (never written so) says how long is left now.
  const offset = message.offsetMinutes ?? Math.round((event.startsAt.getTime() - now.getTime()) / 60_000)
  const values = { ...(await eventValues(event, registration, locale, now)), ...practicalDetails(event, registration, locale), ...reminderTiming(locale, offset) }
  const template = `event-reminder-${format}` as const
  const content = { template, ...recipient(registration), attachments: await qrAttachments(format, registration.id), ...(await renderEmail(template, values, locale)) }
  return withInvite(content, event, registration, 'REQUEST', now)
}

/** The "what changed" line of an UPDATE row, from the event as it was (the row's detail) and as it is now. */
function changesText(message: LoadedMessage, event: LoadedEvent, locale: 'fr' | 'en'): string {
  const detail = readUpdateDetail(message.detail)
  const now = { when: formatEventWhen(event, locale), place: inviteLocation(event, locale) }
  if (!detail) return updateChangesText(locale, { changes: [], whenBefore: '', placeBefore: '', ...now })
  const { before } = detail
  const whenBefore = formatEventWhen({ startsAt: new Date(before.startsAt), endsAt: new Date(before.endsAt), timeZone: before.timeZone }, locale)
  const placeBefore = inviteLocation({ kind: before.kind ?? event.kind, venueName: before.venueName, venueAddress: before.venueAddress }, locale)
  return updateChangesText(locale, { changes: detail.changes, whenBefore, placeBefore, ...now })
}

/** The organisers changed the event: what changed, the current details, the updated invite. */
async function updateContent(message: LoadedMessage, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content | Skip> {
  if (registration.status !== 'CONFIRMED') return skip(messageOutcomeDetail.notConfirmed)
  if (event.status !== 'PUBLISHED') return skip(messageOutcomeDetail.eventNotLive)
  // Over: a change no longer matters to anyone's calendar.
  if (event.endsAt <= now) return skip(messageOutcomeDetail.eventStarted)
  const locale = emailLocale(registration.locale)
  const format = eventFormatOf(event.kind)
  const values = { ...(await eventValues(event, registration, locale, now)), ...practicalDetails(event, registration, locale), changes: changesText(message, event, locale) }
  const template = `event-update-${format}` as const
  const content = { template, ...recipient(registration), attachments: await qrAttachments(format, registration.id), ...(await renderEmail(template, values, locale)) }
  return withInvite(content, event, registration, 'REQUEST', now)
}

/**
 * Whether the follow-up thanks the person for coming. The row says what attendance was when it was written; a
 * later correction by staff (marked present or absent since) wins, so nobody is told "we missed you" after coming.
 */
function attended(message: LoadedMessage, registration: LoadedRegistration): boolean {
  if (registration.attendance === 'PRESENT') return true
  if (registration.attendance === 'ABSENT') return false
  return message.kind === 'FOLLOW_UP_ATTENDED'
}

/** After the event: thanks, replay, resources and the feedback form, or "sorry we missed you" with replay and resources. */
async function followUpContent(message: LoadedMessage, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content | Skip> {
  if (registration.status !== 'CONFIRMED') return skip(messageOutcomeDetail.notConfirmed)
  if (event.status === 'CANCELLED') return skip(messageOutcomeDetail.eventNotLive)
  const locale = emailLocale(registration.locale)
  const came = attended(message, registration)
  const ownWords = came ? event.followUpAttendedMessage : event.followUpAbsentMessage
  const values = {
    ...(await layoutValues()),
    greeting: eventGreeting(locale, registration.firstName),
    eventTitle: event.title,
    intro: followUpIntro(locale, came ? 'attended' : 'absent', event.title, ownWords),
    resources: followUpResourcesText(locale, readResources(event.resources)),
    eventsUrl: absolute('/events'),
  }
  const base = { ...recipient(registration) }
  const replayUrl = event.replayUrl?.trim()
  if (came) {
    const attendedValues = { ...values, feedbackUrl: feedbackUrl(registration.id, now) }
    if (replayUrl) return { template: 'event-follow-up-attended-replay', ...base, ...(await renderEmail('event-follow-up-attended-replay', { ...attendedValues, replayUrl }, locale)) }
    return { template: 'event-follow-up-attended', ...base, ...(await renderEmail('event-follow-up-attended', attendedValues, locale)) }
  }
  if (replayUrl) return { template: 'event-follow-up-absent-replay', ...base, ...(await renderEmail('event-follow-up-absent-replay', { ...values, replayUrl }, locale)) }
  return { template: 'event-follow-up-absent', ...base, ...(await renderEmail('event-follow-up-absent', values, locale)) }
}

/** The kinds this module builds. */
export const journeyKinds = new Set(['REMINDER', 'UPDATE', 'FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'])

/** The email of a REMINDER, UPDATE or FOLLOW_UP_* row, or why it is skipped. */
export async function journeyContent(message: LoadedMessage, now: Date): Promise<Content | Skip> {
  const { event, registration } = message
  if (!event || !registration) return { skip: null }
  switch (message.kind) {
    case 'REMINDER':
      return reminderContent(message, event, registration, now)
    case 'UPDATE':
      return updateContent(message, event, registration, now)
    case 'FOLLOW_UP_ATTENDED':
    case 'FOLLOW_UP_ABSENT':
      return followUpContent(message, event, registration, now)
    default:
      return { skip: null }
  }
}
