// Owns the queues: their names, the Redis connection and key prefix they use, the schema of each queue's job data,
// default job options, deterministic job ids, and the producer API the app calls (`enqueue…`). PostgreSQL is the
// source of truth; a job only carries work that can be rebuilt from the database.
import { createHash } from 'node:crypto'
import { Queue, type JobsOptions } from 'bullmq'
import { z } from 'zod'
import { getEnv } from '~/utils/env.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { outgoingEmailSchema, type OutgoingEmail } from '~/utils/mail.server.ts'
import { redis, whenRedisReady } from '~/utils/redis.server.ts'

/** One queue per concern, so that a slow concern (a campaign) never holds up another (a confirmation email). */
export const queueNames = ['email', 'maintenance', 'import', 'campaign', 'event'] as const
export type QueueName = (typeof queueNames)[number]

/**
 * A campaign job: `batch` sends the QUEUED deliveries of one range of Delivery ids (bigints as decimal strings,
 * bounds included); `launch` starts a campaign scheduled for `scheduledAt` if it is still scheduled for then.
 */
export const campaignJobSchema = z.union([
  z.object({ kind: z.literal('batch'), campaignId: z.number().int().positive(), fromId: z.string().regex(/^\d{1,19}$/), toId: z.string().regex(/^\d{1,19}$/) }).strict(),
  z.object({ kind: z.literal('launch'), campaignId: z.number().int().positive(), scheduledAt: z.string().datetime() }).strict(),
])

export type CampaignJobData = z.infer<typeof campaignJobSchema>

/** The data a job of each queue carries, checked again by its processor (a job may outlive a deploy). */
export const jobSchemas = {
  email: outgoingEmailSchema,
  maintenance: z.object({}).strict(),
  import: z.object({ batchId: z.number().int().positive() }).strict(),
  campaign: campaignJobSchema,
  /** Sends one row of the event-message ledger (EventMessage) when it is due; see jobs/event.ts. */
  event: z.object({ messageId: z.number().int().positive() }).strict(),
} satisfies Record<QueueName, z.ZodTypeAny>

export type JobData<N extends QueueName> = z.infer<(typeof jobSchemas)[N]>

const day = 24 * 60 * 60

interface QueueSettings {
  /** Jobs one worker process runs at once on this queue (override: WORKER_CONCURRENCY_<NAME>). */
  concurrency: number
  jobOptions: JobsOptions
}

export const queueSettings: Record<QueueName, QueueSettings> = {
  email: {
    concurrency: 5,
    jobOptions: {
      // SMTP 4xx (greylisting, throttling) clears within minutes: ten tries spread over about two hours, with
      // jitter so that a burst deferred together is not retried together.
      attempts: 10,
      backoff: { type: 'exponential', delay: 15_000, jitter: 0.5 },
      // Completed ids are kept a day so that a double enqueue within that day stays a no-op at the queue level;
      // after that, the mail module's idempotency key still keeps the message to one.
      removeOnComplete: { age: day, count: 10_000 },
      removeOnFail: { age: 14 * day, count: 10_000 },
    },
  },
  maintenance: {
    concurrency: 1,
    jobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 60_000, jitter: 0.5 },
      removeOnComplete: { count: 50 },
      removeOnFail: { count: 200 },
    },
  },
  import: {
    // An import is heavy on the database: one at a time per worker process.
    concurrency: 1,
    jobOptions: {
      // A retry resumes from the batch's committed progress (see app/models/import-run.server.ts).
      attempts: 5,
      backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
      removeOnComplete: { age: day, count: 1000 },
      removeOnFail: { age: 14 * day, count: 1000 },
    },
  },
  campaign: {
    // Each job holds up to CAMPAIGN_SMTP_CONNECTIONS messages in flight across the process (a shared limit), so a
    // second job only fills the connections the first one's tail leaves idle.
    concurrency: 2,
    jobOptions: {
      // A thrown batch (database blip) is retried; it only claims rows still QUEUED, so a retry never re-sends.
      attempts: 5,
      backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
      // Removed when done (either way), so the reconciler can enqueue the same range id again later; while a job
      // exists, enqueueing its id again is a no-op. Failures are logged by the worker.
      removeOnComplete: true,
      removeOnFail: true,
    },
  },
  event: {
    concurrency: 5,
    jobOptions: {
      // Same rhythm as plain emails: an SMTP 4xx clears within minutes. The ledger row says whether it went out.
      attempts: 10,
      backoff: { type: 'exponential', delay: 15_000, jitter: 0.5 },
      // Removed when done, so the reconciler can add the same message id again if its row is still SCHEDULED.
      removeOnComplete: true,
      removeOnFail: { age: 14 * day, count: 10_000 },
    },
  },
}

/** A BullMQ job id for a business identity: hashed, so it never contains ':' (which BullMQ forbids in custom ids). */
export function jobIdFor(queue: QueueName, businessKey: string): string {
  return `${queue}-${createHash('sha256').update(businessKey).digest('hex').slice(0, 40)}`
}

/** Thrown by the producer API when Redis cannot take the job now; routes answer with a French "try again". */
export class QueueUnavailableError extends Error {
  constructor(queue: QueueName, options?: { cause?: unknown }) {
    super(`queue ${queue} is unavailable: Redis did not answer`, options)
    this.name = 'QueueUnavailableError'
  }
}

const queues = new Map<QueueName, Queue>()

/** The producer side of a queue, created on first use on the shared fail-fast connection. */
export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name)
  if (!queue) {
    queue = new Queue(name, { connection: redis, prefix: getEnv().QUEUE_PREFIX, defaultJobOptions: queueSettings[name].jobOptions })
    queue.on('error', (error: Error) => logger.warn({ queue: name, err: error.message }, 'queue error'))
    queues.set(name, queue)
  }
  return queue
}

const enqueueTimeoutMs = 2000

/**
 * Adds one job whose id is derived from its business key: adding the same key again while the job is kept in Redis
 * is a no-op (a double click enqueues once). Throws QueueUnavailableError when Redis is down.
 */
export async function enqueue<N extends QueueName>(name: N, jobName: string, data: JobData<N>, businessKey: string): Promise<void> {
  const jobId = jobIdFor(name, businessKey)
  try {
    await whenRedisReady(redis, enqueueTimeoutMs)
    await getQueue(name).add(jobName, jobSchemas[name].parse(data), { jobId })
  } catch (error) {
    if (error instanceof z.ZodError) throw error
    logger.error({ queue: name, jobId, err: error instanceof Error ? error.message : String(error) }, 'enqueue failed')
    throw new QueueUnavailableError(name, { cause: error })
  }
}

/** Queues one email for the worker; the message's idempotency key makes the job id, so it is sent at most once. */
export async function enqueueEmail(message: OutgoingEmail): Promise<void> {
  await enqueue('email', 'send', message, message.idempotencyKey)
}

export interface CampaignJob {
  data: CampaignJobData
  /** The business key the deterministic job id is derived from. */
  key: string
  delayMs?: number
}

/** Adds campaign jobs in one round trip; a key whose job still exists is a no-op. Throws QueueUnavailableError. */
export async function enqueueCampaignJobs(jobs: CampaignJob[]): Promise<void> {
  if (jobs.length === 0) return
  try {
    await whenRedisReady(redis, enqueueTimeoutMs)
    const queue = getQueue('campaign')
    for (let start = 0; start < jobs.length; start += 1000) {
      await queue.addBulk(
        jobs.slice(start, start + 1000).map((job) => ({
          name: job.data.kind,
          data: campaignJobSchema.parse(job.data),
          opts: { jobId: jobIdFor('campaign', job.key), ...(job.delayMs && job.delayMs > 0 ? { delay: Math.ceil(job.delayMs) } : {}) },
        })),
      )
    }
  } catch (error) {
    if (error instanceof z.ZodError) throw error
    logger.error({ queue: 'campaign', jobs: jobs.length, err: error instanceof Error ? error.message : String(error) }, 'enqueue failed')
    throw new QueueUnavailableError('campaign', { cause: error })
  }
}

/** Closes the producer queues of this process (the shared connection itself is closed by its owner). */
export async function closeQueues(): Promise<void> {
  const open = [...queues.values()]
  queues.clear()
  await Promise.all(open.map((queue) => queue.close()))
}
