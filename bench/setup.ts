// Owns what every benchmark shares: a database of its own (created, migrated, dropped at the end), the environment
// the app modules read, and a description of the machine for bench/RESULTS.md. Import app modules only after
// `openBenchDatabase()` has set the environment (with a dynamic import), so that they connect to that database.
import { cpus, totalmem } from 'node:os'
import { Redis } from 'ioredis'
import pg from 'pg'
import { applyMigrations } from '../prisma/migrations.ts'

/** The server's maintenance database (BENCH_POSTGRES_URL), from which the bench database is created. */
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

export function databaseUrlFor(name: string): string {
  return adminUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`)
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Creates and migrates a fresh database `name` and points this process's environment at it. */
export async function openBenchDatabase(name: string, extraEnv: Record<string, string> = {}): Promise<string> {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await adminQuery(`CREATE DATABASE "${name}"`)
  const url = databaseUrlFor(name)
  await applyMigrations(url)
  Object.assign(process.env, {
    DATABASE_URL: url,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14',
    QUEUE_PREFIX: 'relaisbench',
    APP_URL: 'http://127.0.0.1:3999',
    SESSION_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    MAIL_FROM: 'Relais bench <bench@bench.example>',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  })
  return url
}

export async function dropBenchDatabase(name: string): Promise<void> {
  if (process.env.BENCH_KEEP_DATABASE) return
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}

export function machineDescription(): string {
  const cpu = cpus()
  return `${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}`
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

export const ms = (value: number) => `${value.toFixed(1)} ms`

/** Writes a line of the report (benchmarks print rather than log: their output is the product). */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** The Redis every benchmark uses (BENCH_REDIS_URL, database 14 by default). */
export const benchRedisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14'

/** Removes every key of a bench's prefix (queues, rate limits, spent proofs) so that runs do not see each other. */
export async function clearRedisPrefix(prefix: string, url = benchRedisUrl): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await redis.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}
