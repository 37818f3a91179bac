// Owns the `event` queue: it sends the rows of the event-message ledger (EventMessage: confirmations, waitlist and
// promotion notices, announcements, later reminders and follow-ups) once each, and rebuilds lost jobs from that
// ledger. See app/models/event-message.server.ts for how rows are written.
//
// Once each: a job only acts on a SCHEDULED row, the email's idempotency key is `event-message:<id>` (the mail
// module sends one key once, so a crash between the SMTP answer and the SENT mark sends nothing twice on retry),
// and SENT / SKIPPED / FAILED are written with a conditional update on SCHEDULED.
import { type Job, UnrecoverableError } from 'bullmq'
import { buildEventMessage } from '~/models/event-mail.server.ts'
import { suppressAddress, suppressionReason } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { MailError, sendEmail } from '~/utils/mail.server.ts'
import { enqueueEventMessages } from './event-dispatch.ts'
import { jobSchemas } from './queues.ts'
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
  const email = await buildEventMessage(messageId)
  if (!email) {
    await finish(messageId, { status: 'SKIPPED' })
    logger.info({ jobId: job.id, messageId }, 'event message skipped: nothing to send any more')
    return { status: 'skipped' }
  }
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

/**
 * Adds again the job of every SCHEDULED row due soon. The job id comes from the row, so a job still in Redis makes
 * this a no-op; a row whose job was lost (Redis flushed, enqueue failed after commit) gets it back.
 */
export async function reconcileEventMessages(now: Date): Promise<{ enqueued: number; stranded: number }> {
  let afterId = 0
  let seen = 0
  while (seen < maxPerRun) {
    const rows = await prisma.eventMessage.findMany({
      where: { status: 'SCHEDULED', dueAt: { lte: new Date(now.getTime() + horizonMs) }, id: { gt: afterId } },
      select: { id: true, dueAt: true },
      orderBy: { id: 'asc' },
      take: pageSize,
    })
    if (rows.length === 0) break
    if (!(await enqueueEventMessages(rows, now.getTime()))) break
    seen += rows.length
    afterId = rows.at(-1)!.id
    if (rows.length < pageSize) break
  }
  return { enqueued: seen, stranded: 0 }
}

export const eventMessageReconciler: Reconciler = { name: 'event-messages', run: reconcileEventMessages }
