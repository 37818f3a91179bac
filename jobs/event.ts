// Owns the `event` queue: it sends the rows of the event-message ledger (EventMessage: confirmations, waitlist and
// promotion notices, announcements, later reminders and follow-ups) once each, and rebuilds lost jobs from that
// ledger. See app/models/event-message.server.ts for how rows are written.
//
// Once each: a job only acts on a SCHEDULED row, the email's idempotency key is `event-message:<id>` (the mail
// module sends one key once, so a crash after the mail module recorded the send but before this row's SENT mark
// sends nothing twice on retry), and SENT / SKIPPED / FAILED are written with a conditional update on SCHEDULED.
// The one window left is SMTP's own: a worker killed between the server's "250" and the mail module's record sends
// that message again (same Message-ID), as for every email of the app.
import { type Job, UnrecoverableError } from 'bullmq'
import { buildEventMessageOutcome } from '~/models/event-mail.server.ts'
import { repairMissingReminders } from '~/models/event-reminder-repair.server.ts'
import { recordDueFollowUps } from '~/models/event-schedule.server.ts'
import { addSeriesMembersToEvent, fillFreeSeats } from '~/models/registration.server.ts'
import { suppressAddress, suppressionReason } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { MailError, sendEmail } from '~/utils/mail.server.ts'
import { sqlWallClock } from '~/utils/sql-time.server.ts'
import { enqueueEventMessages, eventMessageJobKey } from './event-dispatch.ts'
import { getQueue, jobIdFor, jobSchemas } from './queues.ts'
import type { Reconciler } from './reconcile.ts'

/** A job running this much before its row is due does nothing (the reconciler adds it again when due). */
const earlyToleranceMs = 60_000

export type EventJobResult = { status: 'sent' | 'already-sent' | 'skipped' | 'not-scheduled' | 'not-due' | 'failed' }

async function finish(messageId: number, data: { status: 'SENT' | 'SKIPPED' | 'FAILED'; detail?: string }): Promise<void> {
  await prisma.eventMessage.updateMany({
    where: { id: messageId, status: 'SCHEDULED' },
    data: { status: data.status, ...(data.status === 'SENT' ? { sentAt: new Date() } : {}), ...(data.detail ? { detail: data.detail } : {}) },
  })
}

export async function processEventMessage(job: Job): Promise<EventJobResult> {
  const parsed = jobSchemas.event.safeParse(job.data)
  if (!parsed.success) throw new UnrecoverableError('invalid event job data')
  const { messageId } = parsed.data
  const row = await prisma.eventMessage.findUnique({ where: { id: messageId }, select: { status: true, dueAt: true } })
  if (!row || row.status !== 'SCHEDULED') return { status: 'not-scheduled' }
  if (row.dueAt.getTime() > Date.now() + earlyToleranceMs) return { status: 'not-due' }
  // On the last attempt a failure is written to the row (FAILED, with its reason), so the ledger never shows as
  // waiting a message that nobody will try again.
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
  try {
    return await sendLedgerRow(job, messageId)
  } catch (error) {
    if (!lastAttempt || error instanceof UnrecoverableError) throw error
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error'
    await finish(messageId, { status: 'FAILED', detail: `gave up after ${job.attemptsMade + 1} attempts: ${reason}` })
    logger.warn({ jobId: job.id, messageId, err: reason }, 'event message failed for good')
    return { status: 'failed' }
  }
}

async function sendLedgerRow(job: Job, messageId: number): Promise<EventJobResult> {
  const outcome = await buildEventMessageOutcome(messageId)
  if (!outcome.email) {
    await finish(messageId, { status: 'SKIPPED', ...(outcome.skip ? { detail: outcome.skip } : {}) })
    logger.info({ jobId: job.id, messageId, reason: outcome.skip }, 'event message skipped: nothing to send any more')
    return { status: 'skipped' }
  }
  const { email } = outcome
  const suppressed = await suppressionReason(email.to)
  if (suppressed && suppressed !== 'ERASURE') {
    await finish(messageId, { status: 'SKIPPED', detail: `suppressed: ${suppressed}` })
    return { status: 'skipped' }
  }
  try {
    const result = await sendEmail(email)
    await finish(messageId, { status: 'SENT' })
    logger.info({ jobId: job.id, messageId, status: result.status, attempt: job.attemptsMade + 1 }, 'event message sent')
    return { status: result.status }
  } catch (error) {
    if (!(error instanceof MailError)) throw error
    // The SMTP text may quote the address: keep only the code in the ledger, in Redis and in logs.
    const code = error.responseCode ?? error.code ?? 'no code'
    if (error.recipientRejected) await suppressAddress({ email: email.to, reason: 'HARD_BOUNCE', detail: `SMTP ${code}` })
    if (error.permanent) {
      await finish(messageId, { status: 'FAILED', detail: `permanent SMTP refusal (${code})` })
      logger.warn({ jobId: job.id, messageId, code }, 'event message failed for good')
      return { status: 'failed' }
    }
    throw new Error(`temporary SMTP failure (${code})`, { cause: error })
  }
}

/** Rows looked at per run, by pages of this many (bounded, so a start never waits on a full scan). */
const pageSize = 500
const maxPerRun = 5000
/** Rows due within this horizon are (re)added; later ones wait for a later run. */
const horizonMs = 5 * 60_000
/** A row still SCHEDULED this long after it was due may have a job that failed for good without reaching its row. */
const staleMs = 10 * 60_000
const maxRevivalChecksPerRun = 200

/** Where the previous run stopped: runs go round the due rows, so rows stuck in retries never hide the ones after. */
let resumeAfterId = 0

/**
 * A job that failed for good without writing its row (its worker died on the last attempt, or it stalled twice)
 * stays in Redis for days, and adding its id again does nothing: such jobs of stale rows are removed so the add
 * that follows brings them back. Returns how many it removed.
 */
async function removeDeadJobs(rows: { id: number; dueAt: Date }[], now: Date, budget: number): Promise<number> {
  const stale = rows.filter((row) => row.dueAt.getTime() < now.getTime() - staleMs).slice(0, budget)
  let removed = 0
  for (const row of stale) {
    const job = await getQueue('event').getJob(jobIdFor('event', eventMessageJobKey(row.id)))
    if (job && (await job.isFailed())) {
      await job.remove()
      removed += 1
    }
  }
  return removed
}

/**
 * Adds again the job of every SCHEDULED row due soon. The job id comes from the row, so a job still in Redis makes
 * this a no-op; a row whose job was lost (Redis flushed, enqueue failed after commit) or died gets it back.
 */
export async function reconcileEventMessages(now: Date): Promise<{ enqueued: number; stranded: number }> {
  const startAfterId = resumeAfterId
  let afterId = startAfterId
  let wrapped = startAfterId === 0
  let seen = 0
  let revived = 0
  while (seen < maxPerRun) {
    const rows = await prisma.eventMessage.findMany({
      where: { status: 'SCHEDULED', dueAt: { lte: new Date(now.getTime() + horizonMs) }, id: { gt: afterId } },
      select: { id: true, dueAt: true },
      orderBy: { id: 'asc' },
      take: pageSize,
    })
    if (rows.length === 0) {
      afterId = 0
      if (wrapped) break
      wrapped = true
      continue
    }
    revived += await removeDeadJobs(rows, now, maxRevivalChecksPerRun - Math.min(seen, maxRevivalChecksPerRun))
    if (!(await enqueueEventMessages(rows, now.getTime()))) break
    seen += rows.length
    afterId = rows.at(-1)!.id
    if (wrapped && startAfterId > 0 && afterId >= startAfterId) break
  }
  resumeAfterId = afterId
  if (revived > 0) logger.warn({ revived }, 'event messages whose job had failed for good were queued again')
  return { enqueued: seen, stranded: 0 }
}

/** Events looked at per run by each repair below (bounded, so a start never waits on a full scan). */
const maxRepairsPerRun = 100

/**
 * Steps that run after their edit has committed, redone when the process died in between (their functions are
 * idempotent and take the event's lock, so running them again changes nothing when nothing was missed):
 * - fillFreeSeats after a capacity raise: a future published event with a free seat and someone waitlisted;
 * - addSeriesMembersToEvent after a session was published (or created published, or attached to a series): a
 *   future published session where an active series member has no registration row at all. A member who cancelled
 *   that one session keeps their CANCELLED row, so they are not added again; sessions that would refuse the member
 *   anyway (closed to registrations, full without a waitlist) are left out so they are not retried on every tick.
 */
export async function repairAfterCommitSteps(now: Date): Promise<{ promoted: number; seriesMembersAdded: number }> {
  const at = sqlWallClock(now)
  const waiting = await prisma.$queryRaw<{ id: number }[]>`
    SELECT e."id" FROM "Event" e
    WHERE e."status" = 'PUBLISHED' AND e."startsAt" > ${at}
      AND EXISTS (SELECT 1 FROM "Registration" w WHERE w."eventId" = e."id" AND w."status" = 'WAITLISTED')
      AND (e."capacity" IS NULL
           OR (SELECT count(*) FROM "Registration" c WHERE c."eventId" = e."id" AND c."status" = 'CONFIRMED') < e."capacity")
    ORDER BY e."startsAt", e."id"
    LIMIT ${maxRepairsPerRun}`
  const missing = await prisma.$queryRaw<{ id: number }[]>`
    SELECT e."id" FROM "Event" e
    WHERE e."seriesId" IS NOT NULL AND e."status" = 'PUBLISHED' AND e."startsAt" > ${at}
      AND (e."registrationClosesAt" IS NULL OR e."registrationClosesAt" > ${at})
      AND (e."capacity" IS NULL OR e."waitlistEnabled"
           OR (SELECT count(*) FROM "Registration" c WHERE c."eventId" = e."id" AND c."status" = 'CONFIRMED') < e."capacity")
      AND EXISTS (
        SELECT 1 FROM "SeriesRegistration" m
        WHERE m."seriesId" = e."seriesId" AND m."status" = 'CONFIRMED'
          AND NOT EXISTS (SELECT 1 FROM "Registration" r WHERE r."eventId" = e."id" AND r."email" = m."email"))
    ORDER BY e."startsAt", e."id"
    LIMIT ${maxRepairsPerRun}`
  let promoted = 0
  let seriesMembersAdded = 0
  for (const { id } of waiting) {
    try {
      promoted += (await fillFreeSeats(id, now)).length
    } catch (error) {
      logger.error({ eventId: id, err: error instanceof Error ? error.message : String(error) }, 'waitlist promotion after a capacity change failed')
    }
  }
  for (const { id } of missing) {
    try {
      seriesMembersAdded += await addSeriesMembersToEvent(id, now)
    } catch (error) {
      logger.error({ eventId: id, err: error instanceof Error ? error.message : String(error) }, 'adding series members to a session failed')
    }
  }
  if (promoted + seriesMembersAdded > 0) logger.warn({ promoted, seriesMembersAdded }, 'registration steps missed after an event edit were done')
  return { promoted, seriesMembersAdded }
}

/**
 * The event reconciler: missed after-commit steps first, the reminders confirmed registrations lack, and the
 * follow-ups of events just over (they write ledger rows), then the ledger's lost jobs.
 */
export async function reconcileEvents(now: Date): Promise<{ enqueued: number; stranded: number }> {
  try {
    await repairAfterCommitSteps(now)
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'event repair failed')
  }
  try {
    await repairMissingReminders(now)
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'missing reminders not repaired')
  }
  try {
    await recordDueFollowUps(now)
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'event follow-ups not recorded')
  }
  return reconcileEventMessages(now)
}

export const eventMessageReconciler: Reconciler = { name: 'event-messages', run: reconcileEvents }
