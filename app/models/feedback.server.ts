// Owns attendees' feedback on an event (Feedback: one per registration, rating 1–5 and an optional comment, changed
// from the same /avis/:token link): who may answer (a confirmed registration of an event that has started and is not
// cancelled), saving an answer, and what staff see (count, average, distribution, comments with names).
import { prisma } from '~/utils/db.server.ts'
import { FEEDBACK_COMMENT_MAX } from '~/utils/feedback-form.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'

export const feedbackRatings = [1, 2, 3, 4, 5] as const

export interface FeedbackTarget {
  registrationId: number
  event: { title: string; slug: string }
  /** The answer already given, to prefill the form. */
  previous: { rating: number; comment: string } | null
}

export type FeedbackAccess =
  | { state: 'invalid' }
  | { state: 'not-started' | 'event-cancelled' | 'not-confirmed'; event: { title: string; slug: string } }
  | ({ state: 'open' } & FeedbackTarget)

/** What a feedback link allows now: nothing for a forged, expired or unknown one; the form once the event started. */
export async function feedbackAccess(token: string | undefined, now = new Date()): Promise<FeedbackAccess> {
  const registrationId = token ? readRegistrationToken(token, 'feedback', now) : null
  if (registrationId === null) return { state: 'invalid' }
  const registration = await prisma.registration.findUnique({
    where: { id: registrationId },
    select: {
      id: true,
      status: true,
      event: { select: { title: true, slug: true, status: true, startsAt: true } },
      feedback: { select: { rating: true, comment: true } },
    },
  })
  if (!registration || registration.event.status === 'DRAFT') return { state: 'invalid' }
  const event = { title: registration.event.title, slug: registration.event.slug }
  if (registration.event.status === 'CANCELLED') return { state: 'event-cancelled', event }
  if (registration.status !== 'CONFIRMED') return { state: 'not-confirmed', event }
  if (registration.event.startsAt > now) return { state: 'not-started', event }
  const { feedback } = registration
  return { state: 'open', registrationId: registration.id, event, previous: feedback ? { rating: feedback.rating, comment: feedback.comment ?? '' } : null }
}

/** Stores the answer of a registration, replacing an earlier one (one row per registration). */
export async function saveFeedback(registrationId: number, answer: { rating: number; comment: string | null }): Promise<void> {
  const comment = answer.comment?.trim() ? answer.comment.trim().slice(0, FEEDBACK_COMMENT_MAX) : null
  await prisma.feedback.upsert({
    where: { registrationId },
    create: { registrationId, rating: answer.rating, comment },
    update: { rating: answer.rating, comment },
  })
}

export interface FeedbackComment {
  id: number
  name: string
  rating: number
  comment: string
  updatedAt: Date
}

export interface FeedbackSummary {
  count: number
  /** Mean rating, null without answers. */
  average: number | null
  /** How many answers gave each rating, 1 to 5. */
  distribution: { rating: number; count: number }[]
  comments: FeedbackComment[]
}

/** How many comments the attendance page lists (most recent first). */
export const feedbackCommentsShown = 200

/** The answers to an event's feedback form, as staff see them. */
export async function eventFeedbackSummary(eventId: number): Promise<FeedbackSummary> {
  const where = { registration: { eventId } }
  const [groups, rows] = await Promise.all([
    prisma.feedback.groupBy({ by: ['rating'], where, _count: { _all: true } }),
    prisma.feedback.findMany({
      where: { ...where, comment: { not: null } },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: feedbackCommentsShown,
      select: { id: true, rating: true, comment: true, updatedAt: true, registration: { select: { firstName: true, lastName: true } } },
    }),
  ])
  const counts = new Map(groups.map((group) => [group.rating, group._count._all]))
  const count = groups.reduce((sum, group) => sum + group._count._all, 0)
  const total = groups.reduce((sum, group) => sum + group.rating * group._count._all, 0)
  return {
    count,
    average: count > 0 ? total / count : null,
    distribution: feedbackRatings.map((rating) => ({ rating, count: counts.get(rating) ?? 0 })),
    comments: rows.map((row) => ({
      id: row.id,
      name: `${row.registration.firstName} ${row.registration.lastName}`.trim(),
      rating: row.rating,
      comment: row.comment ?? '',
      updatedAt: row.updatedAt,
    })),
  }
}
