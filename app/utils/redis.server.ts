// Owns Redis connections. Workers need `maxRetriesPerRequest: null`; producers fail fast when Redis is down
// (`enableOfflineQueue: false`) so that a web request never hangs on a missing Redis.
import { remember } from '@epic-web/remember'
import { Redis, type RedisOptions } from 'ioredis'
import { getEnv } from './env.server.ts'
import { logger } from './logger.server.ts'

export function createRedis(kind: 'worker' | 'producer', url = getEnv().REDIS_URL): Redis {
  const options: RedisOptions =
    kind === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }
  const redis = new Redis(url, {
    ...options,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  })
  redis.on('error', (error: Error) => logger.warn({ err: error.message, kind }, 'redis connection error'))
  return redis
}

/** The shared producer connection of a web process (queues, rate limits, health). */
export const redis: Redis = remember('redis-producer', () => createRedis('producer'))

/** Key inside this instance's namespace (shared with BullMQ's prefix). */
export function redisKey(...parts: string[]): string {
  return [getEnv().QUEUE_PREFIX, ...parts].join(':')
}

/**
 * Resolves once the connection is ready, or rejects after `timeoutMs`. The producer connection has no offline
 * queue, so without this a command sent while it is still connecting fails; and BullMQ's own wait has no timeout,
 * so a web request would hang while Redis is down.
 */
export async function whenRedisReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return
  if (connection.status === 'end') throw new Error('Redis connection is closed')
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      connection.off('ready', onReady)
      reject(new Error(`Redis not ready after ${timeoutMs} ms (${connection.status})`))
    }, timeoutMs)
    connection.once('ready', onReady)
  })
}
