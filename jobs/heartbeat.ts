// Owns the worker heartbeat in Redis: each worker process beats every few seconds; /healthz counts the live ones.
// Times come from Redis's own clock (TIME inside the scripts), so workers on several hosts with drifting clocks
// are judged by one clock.
import { hostname } from 'node:os'
import { type Redis } from 'ioredis'
import { getEnv } from '~/utils/env.server.ts'
import { logger } from '~/utils/logger.server.ts'

export const heartbeatIntervalMs = 5000
/** A worker whose last beat is older than this is counted as gone (four missed beats). */
export const heartbeatTtlMs = 20_000

/** `<hostname>-<pid>`: unique among the workers sharing one Redis, readable in an operator's `redis-cli`. */
export const workerIdentity = `${hostname()}-${process.pid}`

const indexKey = () => `${getEnv().QUEUE_PREFIX}:worker:heartbeats`

/** The key a live worker keeps (with a TTL) holding its details: `<prefix>:worker:heartbeat:<hostname>-<pid>`. */
export function workerHeartbeatKey(identity: string): string {
  return `${getEnv().QUEUE_PREFIX}:worker:heartbeat:${identity}`
}

// KEYS: index, worker key · ARGV: identity, ttl ms, details JSON · returns Redis time in ms.
const beatScript = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
return now`

// KEYS: index · ARGV: ttl ms · returns the newest beat (ms, 0 when none) and the number of live workers.
const readScript = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], now - ARGV[1], '+inf', 'WITHSCORES')
local newest = 0
for i = 2, #live, 2 do
  local score = tonumber(live[i])
  if score > newest then newest = score end
end
return { newest, #live / 2 }`

export interface Heartbeat {
  /** Stops beating and removes this worker from the live set (a graceful exit is visible at once). */
  stop(): Promise<void>
}

/** Starts beating now and every `heartbeatIntervalMs`; a failed beat is logged, never fatal (Redis may blink). */
export function startHeartbeat(connection: Redis, details: Record<string, unknown>): Heartbeat {
  const index = indexKey()
  const worker = workerHeartbeatKey(workerIdentity)
  const payload = JSON.stringify({ ...details, identity: workerIdentity, startedAt: new Date().toISOString() })
  let inFlight: Promise<unknown> = Promise.resolve()
  const beat = () => {
    inFlight = connection
      .eval(beatScript, 2, index, worker, workerIdentity, heartbeatTtlMs, payload)
      .catch((error: unknown) => logger.warn({ worker: workerIdentity, err: String(error) }, 'heartbeat failed'))
  }
  beat()
  const timer = setInterval(beat, heartbeatIntervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await inFlight
      await connection
        .multi()
        .zrem(index, workerIdentity)
        .del(worker)
        .exec()
        .catch((error: unknown) => logger.warn({ worker: workerIdentity, err: String(error) }, 'heartbeat removal failed'))
    },
  }
}

export interface WorkerPresence {
  workers: number
  lastHeartbeatAt: Date | null
}

/** How many workers have beaten within the TTL, and when the newest beat was. */
export async function readWorkerPresence(connection: Redis): Promise<WorkerPresence> {
  const result = (await connection.eval(readScript, 1, indexKey(), heartbeatTtlMs)) as [number, number]
  const [newest, workers] = result
  return { workers, lastHeartbeatAt: newest > 0 ? new Date(newest) : null }
}
