// Owns the worker process (`npm run worker`): one BullMQ Worker per queue, reconciliation and schedules at start, the
// heartbeat, and a graceful shutdown on SIGTERM/SIGINT that lets in-flight jobs finish before exiting 0.
// Several worker processes may run against one Redis and one PostgreSQL; each takes jobs from every queue.
import { getEnv } from '~/utils/env.server.ts'
import { type Processor, Worker } from 'bullmq'
import { type Redis } from 'ioredis'
import { z } from 'zod'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { closeCampaignMailer } from '~/utils/campaign-mailer.server.ts'
import { closeMailTransport } from '~/utils/mail.server.ts'
import { createRedis, redis, whenRedisReady } from '~/utils/redis.server.ts'
import { processCampaign, stopCampaignBatches } from './campaign.ts'
import { processEmail } from './email.ts'
import { processEventMessage } from './event.ts'
import { processImport } from './import.ts'
import { startHeartbeat, workerIdentity, type Heartbeat } from './heartbeat.ts'
import { declareMaintenanceSchedules, processMaintenance, startMaintenanceTimer, type MaintenanceTimer } from './maintenance.ts'
import { closeQueues, getQueue, queueNames, queueSettings, type QueueName } from './queues.ts'
import { reconcileAtStart } from './reconcile.ts'

// A missing or malformed variable stops the process here with one line naming it.
const env = getEnv()

/** Adding a queue to `queueNames` without its processor here is a type error. */
const processors: Record<QueueName, Processor> = {
  email: processEmail,
  maintenance: processMaintenance,
  import: processImport,
  campaign: processCampaign,
  event: processEventMessage,
}

function concurrencyVariable(queue: QueueName): string {
  return `WORKER_CONCURRENCY_${queue.toUpperCase().replace(/-/g, '_')}`
}

/** Optional tuning variables of the worker, checked like the rest of the configuration. */
function readWorkerSettings(source: NodeJS.ProcessEnv) {
  const problems: string[] = []
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = source[name]?.trim()
    if (!raw) return fallback
    const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw)
    if (parsed.success) return parsed.data
    problems.push(`Configuration invalide : ${name} doit être un entier entre ${min} et ${max}`)
    return fallback
  }
  const concurrency = Object.fromEntries(
    queueNames.map((queue) => [queue, integer(concurrencyVariable(queue), queueSettings[queue].concurrency, 1, 500)]),
  ) as Record<QueueName, number>
  // How long a job's lock lives without renewal: a worker killed mid-job has its job taken over after about this.
  const lockDurationMs = integer('WORKER_LOCK_DURATION_MS', 30_000, 1000, 10 * 60_000)
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`)
    process.exit(1)
  }
  return { concurrency, lockDurationMs }
}

const settings = readWorkerSettings(process.env)
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

let workers: Worker[] = []
let connection: Redis | undefined
let heartbeat: Heartbeat | undefined
let maintenanceTimer: MaintenanceTimer | undefined
let stopping = false

function startWorker(queue: QueueName, blockingConnection: Redis): Worker {
  const worker = new Worker(queue, processors[queue], {
    connection: blockingConnection,
    prefix: env.QUEUE_PREFIX,
    concurrency: settings.concurrency[queue],
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.lockDurationMs,
  })
  worker.on('error', (error) => logger.error({ queue, err: error.message }, 'worker error'))
  worker.on('stalled', (jobId) => logger.warn({ queue, jobId }, 'job stalled: its worker stopped without finishing it'))
  worker.on('failed', (job, error) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError'
    logger.warn({ queue, jobId: job?.id, attemptsMade: job?.attemptsMade, final, err: error.message }, 'job failed')
  })
  return worker
}

async function start(): Promise<void> {
  // The producer connection fails fast; give Redis a while to come up (e.g. started together by compose).
  await whenRedisReady(redis, 60_000)
  connection = createRedis('worker')
  await reconcileAtStart()
  await declareMaintenanceSchedules(getQueue('maintenance'))
  if (stopping) return
  const blocking = connection
  workers = queueNames.map((queue) => startWorker(queue, blocking))
  await Promise.all(workers.map((worker) => worker.waitUntilReady()))
  heartbeat = startHeartbeat(redis, { queues: settings.concurrency })
  maintenanceTimer = startMaintenanceTimer(getQueue('maintenance'))
  logger.info({ worker: workerIdentity, concurrency: settings.concurrency, prefix: env.QUEUE_PREFIX }, 'worker started')
}

/** Stops taking jobs, waits for the running ones, then closes everything in dependency order and exits. */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, 'second signal: exiting without waiting for running jobs')
    process.exit(1)
  }
  stopping = true
  logger.info({ signal, worker: workerIdentity }, 'shutting down: finishing running jobs')
  try {
    // A signal during start waits for the start to settle, so nothing is closed under its feet.
    await starting.catch(() => undefined)
    // Campaign batches stop taking rows, finish and record the messages in flight, and give the rest back, so a
    // graceful stop never sends a message twice; close() stops fetching and waits for every active job.
    stopCampaignBatches()
    await maintenanceTimer?.stop()
    await Promise.all(workers.map((worker) => worker.close()))
    await heartbeat?.stop()
    await closeQueues()
    await Promise.all([connection?.quit(), redis.quit()])
    await closeMailTransport()
    closeCampaignMailer()
    await prisma.$disconnect()
    logger.info({ worker: workerIdentity }, 'worker stopped cleanly')
    process.exit(0)
  } catch (error) {
    logger.error({ err: errorText(error) }, 'shutdown failed')
    process.exit(1)
  }
}

const starting = start()
starting.catch((error: unknown) => {
  if (stopping) return
  logger.fatal({ err: errorText(error) }, 'worker could not start')
  process.exit(1)
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (received) => void shutdown(received))
process.on('unhandledRejection', (reason) => logger.error({ err: errorText(reason) }, 'unhandled rejection'))
