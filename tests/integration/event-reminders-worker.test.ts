// Reminders, updates and cancellations sent by real worker processes (jobs/worker.ts) to an SMTP listener of this
// file's own, with the file's own database and queue prefix. What arrived is read from the listener's .eml files
// (recipient, and the METHOD and SEQUENCE of the text/calendar part, parsed by mailparser), never from the database;
// the ledger and the queue's delayed jobs are read to show where each reminder stands: a reminder "moved" has its
// row and delayed job at the new time and nothing left at the old one, a reminder "removed" has neither.
//
// The worker-down case: the worker is killed before a reminder is due and started again after; the reminder then
// arrives once (the listener holds one copy after several reconcile rounds), or, when the event began meanwhile
// (its start moved into the past while no worker ran), nothing arrives and the row says SKIPPED 'event-started'.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it, vi } from 'vitest'
import { faultFileHarness, seedStaffId, tallySink, uniqueTag, waitForSinkTotal } from '#tests/helpers/campaign.ts'
import { staffEditInput } from '#tests/helpers/event-input.ts'
import { eventMessageJobKey } from '#jobs/event-dispatch.ts'
import { getQueue, jobIdFor } from '#jobs/queues.ts'
import { waitFor } from '#tests/helpers/processes.ts'
import { attendee, createTestEvent } from '#tests/helpers/registration.ts'
import { getEventForStaff, updateEvent } from '~/models/event.server.ts'
import { cancelEvent, registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}erem`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_erem`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

const { setUp } = faultFileHarness({ label: 'event-reminders', prefix: isolation.prefix })

const minute = 60_000
const day = 24 * 60 * minute

/** One received message: its recipient and its calendar invite's METHOD and SEQUENCE (null without an invite). */
interface Received {
  to: string
  method: string | null
  sequence: number | null
}

async function received(dir: string): Promise<Received[]> {
  const found: Received[] = []
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.eml'))) {
    const parsed = await simpleParser(readFileSync(join(dir, file)))
    const to = (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.address?.toLowerCase() ?? ''
    const calendar = parsed.attachments.find((part) => part.contentType === 'text/calendar')?.content.toString('utf8') ?? ''
    const method = /^METHOD:(\S+)/m.exec(calendar)?.[1] ?? null
    const sequence = /^SEQUENCE:(\d+)/m.exec(calendar)?.[1]
    found.push({ to, method, sequence: sequence === undefined ? null : Number(sequence) })
  }
  return found
}

/** How many messages to these addresses carry an invite with this METHOD and SEQUENCE. */
function countInvites(messages: Received[], emails: string[], method: string, sequence: number): number {
  return messages.filter((message) => emails.includes(message.to) && message.method === method && message.sequence === sequence).length
}

/** Lets the worker's reconciler (every second here) run several rounds: a second copy would have come by then. */
async function severalReconcileRounds(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 4000))
}

/** The times (ms) the queue's delayed jobs will run at. */
async function delayedJobTimes(): Promise<number[]> {
  const jobs = await getQueue('event').getDelayed(0, -1)
  return jobs.map((job) => job.timestamp + (job.opts.delay ?? 0))
}

describe('reminders with a worker', () => {
  it('rescheduling an event of 50: 50 updates, every reminder moved (ledger and delayed jobs); cancelling it: 50 calendar CANCELs, no reminder left', async () => {
    const tag = uniqueTag('resched')
    const { sink, workers } = await setUp(tag, {})
    await workers.start()
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 3 * day) })
    const emails = Array.from({ length: 50 }, (_, index) => `${tag}-${index}@resched.test`)
    for (const email of emails) {
      expect((await registerForEvent({ eventId: event.id, attendee: attendee(email), answers: {}, source: 'PUBLIC' })).status).toBe('confirmed')
    }
    await waitForSinkTotal(sink.dir, 50, undefined, 60_000)
    const old = (await getEventForStaff(event.id))!
    expect(countInvites(await received(sink.dir), emails, 'REQUEST', 0)).toBe(50)

    const startsAt = new Date(old.startsAt.getTime() + day)
    const outcome = await updateEvent(event.id, await staffEditInput(event.id, { startsAt, endsAt: new Date(old.endsAt.getTime() + day) }), { staffUserId })
    expect(outcome).toMatchObject({ sequenceBumped: true, updatesQueued: 50 })
    await waitForSinkTotal(sink.dir, 100, undefined, 60_000)
    // Same UID, SEQUENCE 1: each calendar moves its entry.
    expect(countInvites(await received(sink.dir), emails, 'REQUEST', 1)).toBe(50)

    const reminders = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'REMINDER' }, select: { id: true, status: true, dueAt: true, detail: true, offsetMinutes: true } })
    const live = reminders.filter((row) => row.status === 'SCHEDULED')
    const moved = reminders.filter((row) => row.status !== 'SCHEDULED')
    expect(live).toHaveLength(100)
    expect(moved).toHaveLength(100)
    expect(new Set(moved.map((row) => `${row.status} ${row.detail}`))).toEqual(new Set(['CANCELLED rescheduled']))
    for (const row of live) expect(row.dueAt.getTime()).toBe(startsAt.getTime() - row.offsetMinutes! * minute)
    for (const row of moved) expect(await getQueue('event').getJob(jobIdFor('event', eventMessageJobKey(row.id)))).toBeUndefined()
    const times = await delayedJobTimes()
    expect(times).toHaveLength(100)
    const newTimes = [startsAt.getTime() - day, startsAt.getTime() - 60 * minute]
    const oldTimes = [old.startsAt.getTime() - day, old.startsAt.getTime() - 60 * minute]
    // Each job runs at one of the new times (within the minute its delay was computed in), none at an old one.
    expect(times.filter((time) => newTimes.some((due) => Math.abs(time - due) < minute))).toHaveLength(100)
    expect(times.filter((time) => oldTimes.some((due) => Math.abs(time - due) < minute))).toEqual([])

    expect(await cancelEvent(event.id, { staffUserId })).toEqual({ notified: 50 })
    await waitForSinkTotal(sink.dir, 150, undefined, 60_000)
    await severalReconcileRounds()
    const all = await received(sink.dir)
    // SEQUENCE 2 (the event's went up with the cancellation): above every REQUEST the calendars hold.
    expect(countInvites(all, emails, 'CANCEL', 2)).toBe(50)
    expect(all).toHaveLength(150)
    expect(await prisma.eventMessage.count({ where: { eventId: event.id, kind: 'REMINDER', status: 'SCHEDULED' } })).toBe(0)
    expect(await delayedJobTimes()).toEqual([])
  })

  it('a worker down across a reminder’s time: the reminder is sent once when it is back, or skipped (event-started) when the event began meanwhile', async () => {
    const tag = uniqueTag('down')
    const { sink, workers } = await setUp(tag, {})
    const first = await workers.start()
    // Reminders two minutes before starts 170 s away: due in about 50 s, which leaves the confirmations time to
    // arrive before the worker is killed, and the restarted worker two minutes before the start even on a busy
    // machine (a reminder handled after the start would rightly be skipped).
    const events = [await createTestEvent({ startsAt: new Date(Date.now() + 170_000) }), await createTestEvent({ startsAt: new Date(Date.now() + 170_000) })]
    await prisma.event.updateMany({ where: { id: { in: events.map((event) => event.id) } }, data: { reminderOffsets: [2] } })
    const [onTime, late] = [`${tag}-ontime@down.test`, `${tag}-late@down.test`]
    for (const [index, email] of [onTime, late].entries()) {
      expect((await registerForEvent({ eventId: events[index]!.id, attendee: attendee(email), answers: {}, source: 'PUBLIC' })).status).toBe('confirmed')
    }
    await waitForSinkTotal(sink.dir, 2, undefined, 30_000)
    await first.stop('SIGKILL')
    const rows = await prisma.eventMessage.findMany({ where: { eventId: { in: events.map((event) => event.id) }, kind: 'REMINDER' }, orderBy: { eventId: 'asc' } })
    expect(rows.map((row) => row.status)).toEqual(['SCHEDULED', 'SCHEDULED'])
    const dueAt = Math.max(...rows.map((row) => row.dueAt.getTime()))

    // No worker while the reminders fall due; the second event begins meanwhile.
    await waitFor(async () => Date.now() > dueAt + 2000, 60_000, 'the reminders to fall due')
    await prisma.event.update({ where: { id: events[1]!.id }, data: { startsAt: new Date(Date.now() - minute) } })

    await workers.start()
    await waitFor(
      async () => (await prisma.eventMessage.count({ where: { id: { in: rows.map((row) => row.id) }, status: 'SCHEDULED' } })) === 0,
      60_000,
      `the reminders handled (${workers.output().slice(-2000)})`,
    )
    await severalReconcileRounds()
    expect(Object.fromEntries(tallySink(sink.dir).byRecipient)).toEqual({ [onTime]: 2, [late]: 1 })
    expect(await prisma.eventMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { eventId: 'asc' }, select: { status: true, detail: true } })).toEqual([
      { status: 'SENT', detail: null },
      { status: 'SKIPPED', detail: 'event-started' },
    ])
  }, 240_000)
})
