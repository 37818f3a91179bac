// Owns the demo's attendee journey around its events: the reminders of the confirmed registrations ahead (written
// by the app's own schedule, as for any registration: the worker sends them when due), and for each event already
// held, its reminders and follow-ups recorded as sent (a follow-up per confirmed registration, thanks or "sorry we
// missed you" by attendance; every row keyed as the app keys it) and a few feedback answers from people who came.
// Staff pages then show a finished journey, and the worker thanks nobody at demo start for an event the demo says
// was held days ago. Insert-only: an event whose follow-ups are already recorded (by an earlier run, or by the
// worker itself) is left as it is, and existing ledger rows are kept, so a rerun adds nothing.
import { writeReminders } from '~/models/event-schedule.server.ts'
import { prisma } from '~/utils/db.server.ts'

export interface JourneyReport {
  /** Reminders scheduled for the events ahead, and recorded as sent for the events held. */
  remindersAdded: number
  followUpsRecorded: number
  feedbackAdded: number
}

/** What people who came wrote in the feedback form: rating 1–5 and an optional comment, in French. */
const feedbackAnswers: { rating: number; comment: string | null }[] = [
  { rating: 5, comment: 'Très concret : le retour d’expérience de Saint-Céré m’a donné des idées pour notre conseil municipal.' },
  { rating: 4, comment: 'Bon rythme, mais j’aurais aimé plus de temps pour les questions.' },
  { rating: 5, comment: null },
  { rating: 4, comment: 'La fiche sur les parties prenantes tombe à pic pour notre projet de tiers-lieu.' },
  { rating: 3, comment: 'Intéressant, un peu général pour une commune déjà engagée dans la démarche.' },
  { rating: 5, comment: 'Merci pour le replay, je le partage avec mes adjoints.' },
  { rating: 4, comment: 'Des exemples de petites communes rurales seraient bienvenus la prochaine fois.' },
  { rating: 2, comment: 'Le son coupait souvent de mon côté ; le replay m’a permis de rattraper.' },
]

/** Feedback answers per event: more for the longer webinar than for a weekly flash session. */
const feedbackPerEvent = (title: string) => (title.startsWith('Webinaire') ? feedbackAnswers.length : 3)

interface PastEvent {
  id: number
  title: string
  startsAt: Date
  endsAt: Date
  reminderOffsets: number[]
  followUpDelayMinutes: number
}

/**
 * The reminders a held event sent: one per confirmed registration and offset, except those whose time had already
 * passed when the person registered (the app skips those too). Keyed like app/models/event-schedule.server.ts.
 */
async function recordSentReminders(event: PastEvent): Promise<number> {
  const registrations = await prisma.registration.findMany({ where: { eventId: event.id, status: 'CONFIRMED' }, select: { id: true, createdAt: true } })
  const { count } = await prisma.eventMessage.createMany({
    data: registrations.flatMap((registration) =>
      [...new Set(event.reminderOffsets)]
        .map((offset) => ({ offset, dueAt: new Date(event.startsAt.getTime() - offset * 60_000) }))
        .filter(({ dueAt }) => dueAt > registration.createdAt)
        .map(({ offset, dueAt }) => ({
          eventId: event.id,
          registrationId: registration.id,
          kind: 'REMINDER' as const,
          offsetMinutes: offset,
          status: 'SENT' as const,
          dueAt,
          sentAt: dueAt,
          idempotencyKey: `reg:${registration.id}:reminder:${offset}:${event.startsAt.getTime()}`,
          createdAt: registration.createdAt,
        })),
    ),
    skipDuplicates: true,
  })
  return count
}

/**
 * Records one held event's follow-ups as sent, if nobody recorded them yet: the event row is claimed first
 * (followUpsRecordedAt from null), so a rerun, or a worker that got there first, leaves it alone.
 */
async function recordSentFollowUps(event: PastEvent): Promise<number> {
  const sentAt = new Date(event.endsAt.getTime() + event.followUpDelayMinutes * 60_000)
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.event.updateMany({ where: { id: event.id, followUpsRecordedAt: null }, data: { followUpsRecordedAt: sentAt } })
    if (claimed.count === 0) return 0
    const registrations = await tx.registration.findMany({
      where: { eventId: event.id, status: 'CONFIRMED' },
      select: { id: true, attendance: true, joinedAt: true, checkedInAt: true },
      orderBy: { id: 'asc' },
    })
    const { count } = await tx.eventMessage.createMany({
      data: registrations.map((registration) => ({
        eventId: event.id,
        registrationId: registration.id,
        kind: registration.attendance === 'PRESENT' || registration.joinedAt || registration.checkedInAt ? ('FOLLOW_UP_ATTENDED' as const) : ('FOLLOW_UP_ABSENT' as const),
        status: 'SENT' as const,
        dueAt: sentAt,
        sentAt,
        // The key app/models/event-schedule.server.ts gives a follow-up: the worker would never write a second one.
        idempotencyKey: `event:${event.id}:follow-up:reg:${registration.id}`,
        createdAt: sentAt,
      })),
      skipDuplicates: true,
    })
    return count
  })
}

/** The first few people present answer the feedback form, an hour or more after their follow-up. */
async function addFeedback(event: PastEvent): Promise<number> {
  const present = await prisma.registration.findMany({
    where: { eventId: event.id, status: 'CONFIRMED', attendance: 'PRESENT' },
    select: { id: true },
    orderBy: { id: 'asc' },
    take: feedbackPerEvent(event.title),
  })
  const followUpAt = event.endsAt.getTime() + event.followUpDelayMinutes * 60_000
  const { count } = await prisma.feedback.createMany({
    data: present.map((registration, index) => {
      const answeredAt = new Date(followUpAt + (index + 1) * 47 * 60_000)
      return { registrationId: registration.id, ...feedbackAnswers[index % feedbackAnswers.length]!, createdAt: answeredAt, updatedAt: answeredAt }
    }),
    skipDuplicates: true,
  })
  return count
}

/**
 * For every demo event (by slug): ahead, the reminders of its confirmed registrations (those whose time is still to
 * come; the worker's reconciler queues them); held, its reminders recorded as sent and, once its follow-ups were due
 * by `now`, follow-ups recorded as sent, then feedback. Events still running, or whose follow-up time is ahead, are left to the app, like every other event.
 */
export async function loadJourney(slugs: string[], now: Date): Promise<JourneyReport> {
  const events = await prisma.event.findMany({
    where: { slug: { in: slugs }, status: 'PUBLISHED' },
    select: { id: true, title: true, startsAt: true, endsAt: true, reminderOffsets: true, followUpDelayMinutes: true },
    orderBy: { endsAt: 'asc' },
  })
  const report: JourneyReport = { remindersAdded: 0, followUpsRecorded: 0, feedbackAdded: 0 }
  for (const event of events.filter((candidate) => candidate.startsAt > now)) {
    // Rows that exist (scheduled, sent) are left alone: a rerun writes none.
    report.remindersAdded += (await prisma.$transaction((tx) => writeReminders(tx, { eventId: event.id }, now))).length
  }
  for (const event of events.filter((candidate) => candidate.endsAt < now)) {
    report.remindersAdded += await recordSentReminders(event)
    if (event.endsAt.getTime() + event.followUpDelayMinutes * 60_000 > now.getTime()) continue
    report.followUpsRecorded += await recordSentFollowUps(event)
    report.feedbackAdded += await addFeedback(event)
  }
  return report
}
