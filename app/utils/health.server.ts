// Owns what "healthy" means for GET /healthz: PostgreSQL answers `SELECT 1`, Redis answers PING, and at least one
// worker has beaten recently. Every check has a short timeout, so a part that is down never makes the probe hang.
import { readWorkerPresence } from '#jobs/heartbeat.ts'
import { prisma } from './db.server.ts'
import { redis, whenRedisReady } from './redis.server.ts'

const databaseTimeoutMs = 2000
const redisTimeoutMs = 1000

export interface PartHealth {
  status: 'ok' | 'down'
  latencyMs: number
  /** Why the part is down, in operator's words (never personal data). */
  error?: string
}

export interface WorkerHealth {
  /** `unknown` when Redis, which holds the heartbeats, cannot be read. */
  status: 'ok' | 'down' | 'unknown'
  lastHeartbeatAt: string | null
  workers: number
}

export interface HealthReport {
  status: 'ok' | 'degraded'
  database: PartHealth
  redis: PartHealth
  worker: WorkerHealth
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<PartHealth> {
  const started = performance.now()
  try {
    await withTimeout(check(), timeoutMs)
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: reason }
  }
}

async function checkWorker(): Promise<WorkerHealth> {
  try {
    const presence = await withTimeout(readWorkerPresence(redis), redisTimeoutMs)
    return {
      status: presence.workers > 0 ? 'ok' : 'down',
      lastHeartbeatAt: presence.lastHeartbeatAt?.toISOString() ?? null,
      workers: presence.workers,
    }
  } catch {
    return { status: 'unknown', lastHeartbeatAt: null, workers: 0 }
  }
}

export async function checkHealth(): Promise<HealthReport> {
  const [database, redisHealth] = await Promise.all([
    probe(() => prisma.$queryRaw`SELECT 1`, databaseTimeoutMs),
    // Waiting for "ready" counts against the same budget: a connection still dialling a dead port is down.
    probe(async () => {
      await whenRedisReady(redis, redisTimeoutMs)
      await redis.ping()
    }, redisTimeoutMs),
  ])
  const worker: WorkerHealth = redisHealth.status === 'ok' ? await checkWorker() : { status: 'unknown', lastHeartbeatAt: null, workers: 0 }
  const healthy = database.status === 'ok' && redisHealth.status === 'ok' && worker.status === 'ok'
  return { status: healthy ? 'ok' : 'degraded', database, redis: redisHealth, worker }
}
