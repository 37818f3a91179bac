// Owns the producer side of the `event` queue: one job per event-message ledger row, its id derived from the row
// (`event-message:<id>`), delayed until the row is due. Used after commit by the registration code and by the
// reconciler; a job id still in Redis makes a second add a no-op.
import { z } from 'zod'
import { logger } from '~/utils/logger.server.ts'
import { redis, whenRedisReady } from '~/utils/redis.server.ts'
import { getQueue, jobIdFor, jobSchemas } from './queues.ts'

/** The business key of a ledger row's job; the job id is derived from it. */
export function eventMessageJobKey(messageId: number): string {
  return `event-message:${messageId}`
}

const readyTimeoutMs = 2000

/**
 * Adds the jobs of these rows (delayed when due later). Returns false when Redis did not take them: the failure is
 * logged, not thrown, since the rows are committed and the reconciler adds their jobs again.
 */
export async function enqueueEventMessages(rows: { id: number; dueAt: Date }[], now = Date.now()): Promise<boolean> {
  if (rows.length === 0) return true
  try {
    await whenRedisReady(redis, readyTimeoutMs)
    const queue = getQueue('event')
    for (let start = 0; start < rows.length; start += 500) {
      await queue.addBulk(
        rows.slice(start, start + 500).map((row) => {
          const delay = row.dueAt.getTime() - now
          return {
            name: 'message',
            data: jobSchemas.event.parse({ messageId: row.id }),
            opts: { jobId: jobIdFor('event', eventMessageJobKey(row.id)), ...(delay > 0 ? { delay } : {}) },
          }
        }),
      )
    }
    return true
  } catch (error) {
    if (error instanceof z.ZodError) throw error
    logger.error({ queue: 'event', messages: rows.length, firstId: rows[0]?.id, err: error instanceof Error ? error.message : String(error) }, 'event messages not enqueued: the reconciler will add them')
    return false
  }
}

/**
 * Removes the jobs of rows that will not go any more (CANCELLED by a reschedule or a cancellation), so that Redis
 * holds no delayed job at an old time. Best effort, after commit: a job left behind finds its row not SCHEDULED and
 * does nothing. A job being processed right now is locked and stays (it finds its row cancelled).
 */
export async function removeEventMessageJobs(messageIds: number[]): Promise<void> {
  if (messageIds.length === 0) return
  try {
    await whenRedisReady(redis, readyTimeoutMs)
    const queue = getQueue('event')
    // In parallel by chunks: ioredis pipelines the commands of one chunk, so a reschedule of thousands of reminders
    // costs a few round trips rather than one per job.
    for (let start = 0; start < messageIds.length; start += 500) {
      await Promise.all(messageIds.slice(start, start + 500).map((id) => queue.remove(jobIdFor('event', eventMessageJobKey(id)))))
    }
  } catch (error) {
    logger.warn({ queue: 'event', messages: messageIds.length, err: error instanceof Error ? error.message : String(error) }, 'jobs of cancelled event messages not removed: they will find their rows cancelled')
  }
}
