// Owns what staff see of an event's messages to its attendees, read from the EventMessage ledger: reminders per
// offset (how many scheduled, sent, skipped, cancelled, failed, and the next due), the calendar updates sent, where
// the follow-up stands (sent, leaving at a time to so many present and absent, or waiting for attendance), and the
// feedback received. Read-only: the schedule itself is written by event-schedule.server.ts and the worker.
import type { EventKind, EventMessageStatus, EventStatus } from '~/generated/prisma/enums.ts'
import { formatDateTime, type Locale } from '~/i18n.ts'
import { prisma } from '~/utils/db.server.ts'
import { attendanceTaken, attended as attendedRule, followUpWindowMs, receivesMessages } from './event-follow-up-rules.server.ts'

/** The ledger statuses as counted for staff. */
export type StatusCounts = Record<'scheduled' | 'sent' | 'skipped' | 'cancelled' | 'failed', number>

export interface ReminderLine extends StatusCounts {
  offsetMinutes: number
  /** Still one of the event's offsets (false: removed by staff, only past rows remain). */
  current: boolean
  /** The earliest due time of its scheduled rows, null when none is waiting. */
  nextDueAt: Date | null
}

/**
 * Where the follow-up stands. `planned`: the event is not over yet; `scheduled`: leaving at `at` (rows written, or
 * to be written then from the attendance counted now); `due`: its time has come, the rows are about to be written;
 * `sending`/`sent`: rows gone out (some or all); `awaitingAttendance`: an in-person event is over without
 * any attendance recorded, or a hybrid one without attendance taken in the room (the follow-up waits for it); `nobody`: no one to write to; `cancelled`: the event is
 * cancelled; `draft`: over but never published; `lapsed`: over for more than the 7 days within which
 * recordDueFollowUps still writes follow-ups, without them.
 */
export type FollowUpState =
  | { state: 'planned'; at: Date }
  | { state: 'due' | 'scheduled'; at: Date; attended: number; absent: number }
  | { state: 'sending'; at: Date; sent: number; total: number }
  | { state: 'sent'; at: Date; attended: number; absent: number }
  | { state: 'awaitingAttendance'; at: Date }
  | { state: 'nobody' | 'cancelled' | 'draft' | 'lapsed' }

export interface ScheduleSummary {
  reminders: ReminderLine[]
  updates: StatusCounts
  followUp: FollowUpState
  feedback: { count: number; average: number | null }
}

type SummaryEvent = {
  id: number
  kind: EventKind
  status: EventStatus
  endsAt: Date
  reminderOffsets: number[]
  followUpDelayMinutes: number
  followUpsRecordedAt: Date | null
}

const statusKeys: Record<EventMessageStatus, keyof StatusCounts> = { SCHEDULED: 'scheduled', SENT: 'sent', SKIPPED: 'skipped', CANCELLED: 'cancelled', FAILED: 'failed' }

const noCounts = (): StatusCounts => ({ scheduled: 0, sent: 0, skipped: 0, cancelled: 0, failed: 0 })

/** Reminder rows per offset and status, with each offset's next due time; the event's offsets listed even without rows. */
async function reminderLines(event: SummaryEvent): Promise<ReminderLine[]> {
  const [counts, next] = await Promise.all([
    prisma.eventMessage.groupBy({ by: ['offsetMinutes', 'status'], where: { eventId: event.id, kind: 'REMINDER' }, _count: { _all: true } }),
    prisma.eventMessage.groupBy({ by: ['offsetMinutes'], where: { eventId: event.id, kind: 'REMINDER', status: 'SCHEDULED' }, _min: { dueAt: true } }),
  ])
  const lines = new Map<number, ReminderLine>()
  const line = (offsetMinutes: number) => {
    let found = lines.get(offsetMinutes)
    if (!found) lines.set(offsetMinutes, (found = { offsetMinutes, current: event.reminderOffsets.includes(offsetMinutes), nextDueAt: null, ...noCounts() }))
    return found
  }
  for (const offset of event.reminderOffsets) line(offset)
  for (const row of counts) if (row.offsetMinutes !== null) line(row.offsetMinutes)[statusKeys[row.status]] += row._count._all
  for (const row of next) if (row.offsetMinutes !== null) line(row.offsetMinutes).nextDueAt = row._min.dueAt
  return [...lines.values()].sort((a, b) => b.offsetMinutes - a.offsetMinutes)
}

async function updateCounts(eventId: number): Promise<StatusCounts> {
  const rows = await prisma.eventMessage.groupBy({ by: ['status'], where: { eventId, kind: 'UPDATE' }, _count: { _all: true } })
  const counts = noCounts()
  for (const row of rows) counts[statusKeys[row.status]] += row._count._all
  return counts
}

/** The follow-up from its ledger rows once written, otherwise from the event's time and its attendance so far. */
async function followUpState(event: SummaryEvent, now: Date): Promise<FollowUpState> {
  if (event.status === 'CANCELLED') return { state: 'cancelled' }
  const at = new Date(event.endsAt.getTime() + event.followUpDelayMinutes * 60_000)
  if (event.followUpsRecordedAt) {
    const rows = await prisma.eventMessage.groupBy({
      by: ['kind', 'status'],
      where: { eventId: event.id, kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] }, status: { not: 'CANCELLED' } },
      _count: { _all: true },
      _min: { dueAt: true },
      _max: { sentAt: true },
    })
    const count = (filter: (row: (typeof rows)[number]) => boolean) => rows.filter(filter).reduce((sum, row) => sum + row._count._all, 0)
    const attended = count((row) => row.kind === 'FOLLOW_UP_ATTENDED')
    const absent = count((row) => row.kind === 'FOLLOW_UP_ABSENT')
    if (attended + absent === 0) return { state: 'nobody' }
    const waiting = count((row) => row.status === 'SCHEDULED')
    const dueAt = rows.reduce<Date>((earliest, row) => (row._min.dueAt && row._min.dueAt < earliest ? row._min.dueAt : earliest), at)
    const sentAt = rows.reduce<Date | null>((latest, row) => (row._max.sentAt && (!latest || row._max.sentAt > latest) ? row._max.sentAt : latest), null)
    if (waiting === 0) return { state: 'sent', at: sentAt ?? dueAt, attended, absent }
    if (waiting === attended + absent) return { state: 'scheduled', at: dueAt, attended, absent }
    return { state: 'sending', at: dueAt, sent: attended + absent - waiting, total: attended + absent }
  }
  if (now < event.endsAt) return { state: 'planned', at }
  if (event.status !== 'PUBLISHED') return { state: 'draft' }
  // Read with the rules recordDueFollowUps writes by (event-follow-up-rules.server.ts).
  const [counts] = await prisma.$queryRaw<{ confirmed: number; present: number; taken: boolean }[]>`
    SELECT count(r."id") FILTER (WHERE ${receivesMessages('r')})::int AS "confirmed",
           count(r."id") FILTER (WHERE ${receivesMessages('r')} AND ${attendedRule('r')})::int AS "present",
           ${attendanceTaken('e')} AS "taken"
    FROM "Event" e LEFT JOIN "Registration" r ON r."eventId" = e."id"
    WHERE e."id" = ${event.id}
    GROUP BY e."id"`
  const { confirmed, present, taken } = counts ?? { confirmed: 0, present: 0, taken: false }
  if (confirmed === 0) return { state: 'nobody' }
  if (now.getTime() - event.endsAt.getTime() > followUpWindowMs) return { state: 'lapsed' }
  if (!taken) return { state: 'awaitingAttendance', at }
  // Before its time, it leaves at `at` to those counted now; after it, on the next reconcile tick.
  return { state: at > now ? 'scheduled' : 'due', at, attended: present, absent: confirmed - present }
}

async function feedbackFigures(eventId: number): Promise<ScheduleSummary['feedback']> {
  const result = await prisma.feedback.aggregate({ where: { registration: { eventId } }, _count: { _all: true }, _avg: { rating: true } })
  return { count: result._count._all, average: result._avg.rating }
}

/** Everything the "Messages aux inscrit·es" section of the staff event page shows. */
export async function eventScheduleSummary(event: SummaryEvent, now = new Date()): Promise<ScheduleSummary> {
  const [reminders, updates, followUp, feedback] = await Promise.all([reminderLines(event), updateCounts(event.id), followUpState(event, now), feedbackFigures(event.id)])
  return { reminders, updates, followUp, feedback }
}

type Dated<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] }

/** The summary with its times written out in the event's zone (what the page shows), the average to one decimal. */
export type ScheduleSummaryView = {
  reminders: Dated<ReminderLine>[]
  updates: StatusCounts
  followUp: FollowUpState extends infer S ? (S extends { at: Date } ? Dated<S> : S) : never
  feedback: { count: number; average: string | null }
}

export function scheduleSummaryView(summary: ScheduleSummary, locale: Locale, timeZone: string): ScheduleSummaryView {
  const at = (date: Date) => formatDateTime(date, locale, timeZone)
  const average = summary.feedback.average
  return {
    reminders: summary.reminders.map((line) => ({ ...line, nextDueAt: line.nextDueAt ? at(line.nextDueAt) : null })),
    updates: summary.updates,
    followUp: 'at' in summary.followUp ? { ...summary.followUp, at: at(summary.followUp.at) } : summary.followUp,
    feedback: { count: summary.feedback.count, average: average === null ? null : new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(average) },
  }
}
