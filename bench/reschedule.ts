// `npm run bench:reschedule [-- --registrations 3000 --runs 3]`: staff move an event with 3,000 confirmed
// registrations (two reminders each) by one week, through updateEvent, the function the staff form calls: under the
// event's lock it writes one UPDATE row per attendee (calendar REQUEST, new SEQUENCE), cancels every reminder at the old
// time and writes the new ones; after commit it queues the UPDATE jobs and the delayed reminder jobs and removes the
// old delayed jobs from Redis. Reference in the same run: a title-only edit of the same event (same lock, same
// transaction and audit, nobody notified). Also timed: a registration to the same event posted while a reschedule
// holds its lock (how long a visitor waits behind staff). Then the ledger and BullMQ are read to check the outcome:
// every attendee has one UPDATE, no reminder is left at the old time in the ledger or in Redis.
import { performance } from 'node:perf_hooks'
import { benchRedisUrl, clearRedisPrefix, dropBenchDatabase, machineDescription, ms, openBenchDatabase, say } from './setup.ts'

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const registrations = argument('registrations', 3000)
const runs = argument('runs', 3)
const databaseName = 'relais_bench_reschedule'
const prefix = 'relaisbenchresched'
const redisUrl = benchRedisUrl
const day = 24 * 60 * 60 * 1000

function clearRedis(): Promise<void> {
  return clearRedisPrefix(prefix, redisUrl)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

async function main(): Promise<void> {
  await openBenchDatabase(databaseName, { QUEUE_PREFIX: prefix, REDIS_URL: redisUrl })
  await clearRedis()
  const { prisma } = await import('~/utils/db.server.ts')
  const { getEventForStaff, updateEvent } = await import('~/models/event.server.ts')
  const { registerForEvent } = await import('~/models/registration.server.ts')
  const { getQueue, closeQueues } = await import('#jobs/queues.ts')
  const { redis } = await import('~/utils/redis.server.ts')
  try {
    const staff = await prisma.staffUser.create({ data: { email: 'bench@bench.example', name: 'Bench', role: 'ADMIN', status: 'ACTIVE' } })
    const startsAt = new Date(Date.now() + 14 * day)
    const event = await prisma.event.create({
      data: {
        slug: 'bench-reschedule',
        kind: 'ONLINE',
        title: 'Webinaire du banc d’essai',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 60 * 60 * 1000),
        status: 'PUBLISHED',
        joinUrl: 'https://visio.bench.example/salle',
        icalUid: 'bench-reschedule@bench.example',
      },
    })
    say(`Seeding ${registrations} confirmed registrations through registerForEvent…`)
    const seedStart = performance.now()
    for (let from = 0; from < registrations; from += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, registrations - from) }, (_, k) => {
          const i = from + k
          return registerForEvent({
            eventId: event.id,
            attendee: { email: `personne${i}@bench.example`, firstName: 'Camille', lastName: `Martin ${i}`, locale: 'fr' },
            answers: {},
            source: 'PUBLIC',
          })
        }),
      )
    }
    const reminders = await prisma.eventMessage.count({ where: { eventId: event.id, kind: 'REMINDER', status: 'SCHEDULED' } })
    say(`  done in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${reminders} reminders scheduled`)

    const inputOf = async () => {
      const current = (await getEventForStaff(event.id))!
      const { id: _id, slug: _slug, series: _series, icalUid: _uid, icalSequence: _seq, createdAt: _c, updatedAt: _u, followUpsRecordedAt: _f, ...input } = current
      return input
    }
    const reference: number[] = []
    const reschedule: number[] = []
    const waits: number[] = []
    let updates = 0
    for (let run = 0; run < runs; run += 1) {
      const titled = await inputOf()
      let begin = performance.now()
      await updateEvent(event.id, { ...titled, title: `Webinaire du banc d’essai (${run + 1})` }, { staffUserId: staff.id })
      reference.push(performance.now() - begin)

      const moved = await inputOf()
      const week = 7 * day
      begin = performance.now()
      const pending = updateEvent(event.id, { ...moved, startsAt: new Date(moved.startsAt.getTime() + week), endsAt: new Date(moved.endsAt.getTime() + week) }, { staffUserId: staff.id })
      // A visitor registering while the reschedule runs: waits on the same lock.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const visitorStart = performance.now()
      const visitor = registerForEvent({
        eventId: event.id,
        attendee: { email: `visiteur${run}@bench.example`, firstName: 'Lucie', lastName: 'Durand', locale: 'fr' },
        answers: {},
        source: 'PUBLIC',
      }).then(() => performance.now() - visitorStart)
      const outcome = await pending
      reschedule.push(performance.now() - begin)
      waits.push(await visitor)
      updates += outcome.updatesQueued
    }

    // The outcome, read from the ledger and from BullMQ.
    const current = await prisma.event.findUniqueOrThrow({ where: { id: event.id }, select: { startsAt: true } })
    const scheduled = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'REMINDER', status: 'SCHEDULED' }, select: { id: true, dueAt: true, offsetMinutes: true } })
    const stale = scheduled.filter((row) => row.dueAt.getTime() !== current.startsAt.getTime() - (row.offsetMinutes ?? 0) * 60_000).length
    const delayed = await getQueue('event').getDelayed(0, -1)
    const scheduledIds = new Set(scheduled.map((row) => `${row.id}`))
    const strayJobs = delayed.filter((job) => !scheduledIds.has(String((job.data as { messageId: number }).messageId))).length
    const confirmed = await prisma.registration.count({ where: { eventId: event.id, status: 'CONFIRMED' } })

    say()
    say(`## Reschedule of an event with ${registrations.toLocaleString('en')} confirmed registrations (${new Date().toISOString().slice(0, 10)})`)
    say()
    say(`Machine: ${machineDescription()}`)
    say()
    say('| step | median of ' + runs + ' runs | runs |')
    say('| --- | --- | --- |')
    say(`| reference: title-only edit (lock, update, audit; nobody notified) | ${ms(median(reference))} | ${reference.map(ms).join(', ')} |`)
    say(`| **move by one week** (UPDATE per attendee, reminders moved in the ledger and in Redis) | **${ms(median(reschedule))}** | ${reschedule.map(ms).join(', ')} |`)
    say(`| a registration posted during the move (waits on the event lock) | ${ms(median(waits))} | ${waits.map(ms).join(', ')} |`)
    say(`| ratio move / reference | ${(median(reschedule) / median(reference)).toFixed(1)} × | |`)
    say()
    say(`Outcome: ${updates} UPDATE rows for ${runs} moves (expected ${runs} × confirmed at the time), ${confirmed} confirmed now, ${scheduled.length} reminders scheduled (${stale} at a stale time), ${delayed.length} delayed jobs in BullMQ (${strayJobs} not matching a scheduled reminder).`)
    say()
    say(`Command: \`npm run bench:reschedule -- --registrations ${registrations} --runs ${runs}\``)
    if (stale > 0 || strayJobs > 0) process.exitCode = 1
  } finally {
    await closeQueues()
    redis.disconnect()
    await prisma.$disconnect()
    await clearRedis()
    await dropBenchDatabase(databaseName)
  }
}

await main()
