// Fixtures for the registration tests: a database and Redis prefix of the file's own (set by the file's
// `vi.hoisted` with isolateFile, opened and dropped by registrationFileHooks), events and series made straight in
// the database, attendees, and a child process that registers or cancels from its own Prisma client (so that the
// lock is proven in PostgreSQL, not inside one Node process).
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import type { EventStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { closeFileDatabase, deletePrefixKeys, openFileDatabase, uniqueTag } from './campaign.ts'
import type { BurstCommand, BurstResult } from './attendee.ts'
import { projectRoot } from './processes.ts'

export { attendee } from './attendee.ts'

/** Registers the file's hooks: its own database before, and after: its queues' keys removed, database dropped. */
export function registrationFileHooks(prefix: string): void {
  beforeAll(async () => {
    await openFileDatabase()
  })
  afterAll(async () => {
    await closeQueues()
    await deletePrefixKeys(prefix)
    await redis.quit()
    await closeFileDatabase()
  })
}

const day = 24 * 60 * 60 * 1000

export interface EventFixture {
  capacity?: number | null
  waitlistEnabled?: boolean
  approvalRequired?: boolean
  status?: EventStatus
  startsAt?: Date
  registrationOpensAt?: Date | null
  registrationClosesAt?: Date | null
  seriesId?: number | null
  questions?: unknown[]
}

/** A published online event a week ahead (by default), made straight in the database. */
export async function createTestEvent(fixture: EventFixture = {}): Promise<{ id: number; slug: string }> {
  const slug = uniqueTag('evt').toLowerCase()
  const startsAt = fixture.startsAt ?? new Date(Date.now() + 7 * day)
  return prisma.event.create({
    data: {
      slug,
      kind: 'ONLINE',
      title: `Webinaire ${slug}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * 60 * 1000),
      status: fixture.status ?? 'PUBLISHED',
      capacity: fixture.capacity === undefined ? null : fixture.capacity,
      waitlistEnabled: fixture.waitlistEnabled ?? true,
      approvalRequired: fixture.approvalRequired ?? false,
      registrationOpensAt: fixture.registrationOpensAt ?? null,
      registrationClosesAt: fixture.registrationClosesAt ?? null,
      seriesId: fixture.seriesId ?? null,
      questions: (fixture.questions ?? []) as object[],
      icalUid: `${randomUUID()}@relais.test`,
    },
    select: { id: true, slug: true },
  })
}

export async function createTestSeries(status: EventStatus = 'PUBLISHED'): Promise<{ id: number }> {
  const slug = uniqueTag('series').toLowerCase()
  return prisma.series.create({ data: { slug, title: `Cycle ${slug}`, status }, select: { id: true } })
}

/**
 * Starts tests/helpers/registration-burst.ts (its own process and Prisma client, the file's database and prefix)
 * and resolves once it is connected and waiting; `go()` fires every call of the command at once.
 */
export async function startBurstProcess(command: BurstCommand): Promise<{ go: () => Promise<BurstResult[]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/registration-burst.ts'], {
    cwd: projectRoot,
    env: { ...process.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const lines = createInterface({ input: child.stdout })
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`burst process exited with ${code}: ${errors.slice(-2000)}`))
      child.once('exit', onExit)
      lines.once('line', (line) => {
        child.off('exit', onExit)
        resolve(line)
      })
    })
  child.stdin.write(`${JSON.stringify(command)}\n`)
  const ready = await nextLine()
  if (ready !== 'ready') throw new Error(`burst process said ${ready}: ${errors.slice(-2000)}`)
  return {
    async go() {
      child.stdin.write('go\n')
      const result = JSON.parse(await nextLine()) as BurstResult[]
      child.stdin.end()
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
      return result
    },
  }
}
