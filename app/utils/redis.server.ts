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
