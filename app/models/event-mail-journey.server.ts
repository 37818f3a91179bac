// Owns the content of the attendee journey's timed emails, built when they go out from the current state: reminders
// (how soon: from the offset, or from what is left when sent late; the personal join link or the venue and QR code;
// the invite), updates (what changed, then the current details and the invite) and the follow-up after the event (split by attendance: thanks, replay, resources and the
// feedback form, or "sorry we missed you"). Each either gives the email or says why it is skipped.
import { eventFormatOf, eventGreeting } from '#emails/event-parts.ts'
import { followUpIntro, followUpResourcesText } from '#emails/event-follow-up.ts'
import { reminderTiming } from '#emails/event-reminder.ts'
import { renderEmail } from '#emails/render.ts'
import { updateChangesText } from '#emails/event-update.ts'
import { prisma } from '~/utils/db.server.ts'
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

/** A reminder going out later than this after its time (a worker outage) says how long is really left. */
const lateAfterMs = 5 * 60_000

/**
 * Whether a reminder closer to the start (smaller offset) of the same registration is also due and going or gone:
 * after an outage only the latest one goes, so nobody gets "c’est demain" twenty minutes before the start.
 */
async function closerReminderDue(message: LoadedMessage, now: Date): Promise<boolean> {
  if (message.offsetMinutes === null || message.registrationId === null) return false
  const closer = await prisma.eventMessage.findFirst({
    where: { registrationId: message.registrationId, kind: 'REMINDER', id: { not: message.id }, offsetMinutes: { lt: message.offsetMinutes }, dueAt: { lte: now }, status: { in: ['SCHEDULED', 'SENT'] } },
    select: { id: true },
  })
  return closer !== null
}

/** Minutes before the start the reminder speaks of: its offset when on time, what is left now when late or unknown. */
function reminderLead(message: LoadedMessage, event: LoadedEvent, now: Date): number {
  const late = now.getTime() - message.dueAt.getTime() > lateAfterMs
  if (message.offsetMinutes !== null && !late) return message.offsetMinutes
  return Math.round((event.startsAt.getTime() - now.getTime()) / 60_000)
}

/**
 * A reminder before the event; skipped once the registration is not confirmed, the event not live or begun, or when
 * a reminder closer to the start is also due (superseded).
 */
async function reminderContent(message: LoadedMessage, event: LoadedEvent, registration: LoadedRegistration, now: Date): Promise<Content | Skip> {
  if (registration.status !== 'CONFIRMED') return skip(messageOutcomeDetail.notConfirmed)
  if (event.status !== 'PUBLISHED') return skip(messageOutcomeDetail.eventNotLive)
  if (event.startsAt <= now) return skip(messageOutcomeDetail.eventStarted)
  if (await closerReminderDue(message, now)) return skip(messageOutcomeDetail.superseded)
  const locale = emailLocale(registration.locale)
  const format = eventFormatOf(event.kind)
  const values = { ...(await eventValues(event, registration, locale, now)), ...practicalDetails(event, registration, locale), ...reminderTiming(locale, reminderLead(message, event, now)) }
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
  // An event now in person has no link to speak of (its join URL was dropped with the change of format).
  const changes = event.kind === 'IN_PERSON' ? detail.changes.filter((change) => change !== 'link') : detail.changes
  const whenBefore = formatEventWhen({ startsAt: new Date(before.startsAt), endsAt: new Date(before.endsAt), timeZone: before.timeZone }, locale)
  const placeBefore = inviteLocation({ kind: before.kind ?? event.kind, venueName: before.venueName, venueAddress: before.venueAddress }, locale)
  return updateChangesText(locale, { changes, whenBefore, placeBefore, ...now })
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
