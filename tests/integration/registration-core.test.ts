// The registration core against real PostgreSQL: the seat decision under the event's row lock proven with 500
// registrations fired at once from two OS processes (each its own Prisma client and pool), waitlist promotion in
// lock order, refusals that store nothing, approval, staff moves, "already registered", cancelled events, the
// newsletter box and staff announcements. Outcomes are read back from the database rows and the message ledger.
import pg from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { report, seedStaffId, uniqueTag } from '#tests/helpers/campaign.ts'
import { attendee, createTestEvent, registrationFileHooks, startBurstProcess } from '#tests/helpers/registration.ts'
import type { BurstResult } from '#tests/helpers/attendee.ts'
import { createAnnouncement } from '~/models/event-message.server.ts'
import {
  approveRegistration,
  cancelEvent,
  cancelRegistration,
  fillFreeSeats,
  moveRegistration,
  refuseRegistration,
  registerForEvent,
  registrationState,
  seatCounts,
} from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

// A database and Redis prefix of this file's own: the burst's jobs and rows stay out of the other files' way.
const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}rcore`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_rcore`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})
registrationFileHooks(isolation.prefix)

const hour = 60 * 60 * 1000
const publicInput = (eventId: number, email: string) => ({ eventId, attendee: attendee(email), answers: {}, source: 'PUBLIC' as const })

/**
 * Samples the CONFIRMED count of an event on a connection of its own, as often as it can, until stopped: the
 * highest count any committed state showed while the burst ran.
 */
function watchConfirmed(eventId: number) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  let running = true
  let max = 0
  let samples = 0
  const loop = (async () => {
    await client.connect()
    while (running) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Registration" WHERE "eventId" = $1 AND "status" = 'CONFIRMED'`, [eventId])
      max = Math.max(max, rows[0]!.n)
      samples += 1
    }
    await client.end()
  })()
  return {
    async stop() {
      running = false
      await loop
      return { max, samples }
    },
  }
}

async function registrationsOf(eventId: number) {
  return prisma.registration.findMany({ where: { eventId }, orderBy: { id: 'asc' }, select: { id: true, email: true, status: true, waitlistedAt: true } })
}

/** Notices of the ledger by kind (reminders, timed before the start, are counted by reminderHolders). */
async function ledgerKinds(eventId: number): Promise<Record<string, number>> {
  const groups = await prisma.eventMessage.groupBy({ by: ['kind'], where: { eventId, kind: { not: 'REMINDER' } }, _count: { _all: true } })
  return Object.fromEntries(groups.map((group) => [group.kind, group._count._all]))
}

/** The registrations holding pending reminders (one per offset each) and how many such reminders there are. */
async function reminderHolders(eventId: number): Promise<{ registrations: number[]; reminders: number }> {
  const rows = await prisma.eventMessage.findMany({ where: { eventId, kind: 'REMINDER', status: 'SCHEDULED' }, select: { registrationId: true } })
  return { registrations: [...new Set(rows.map((row) => row.registrationId!))].sort((a, b) => a - b), reminders: rows.length }
}

describe('registration core', () => {
  it('500 registrations at once from two processes for 100 seats: 100 confirmed, 400 waitlisted in lock order, none lost; 30 cancellations promote the first 30', async () => {
    const event = await createTestEvent({ capacity: 100, waitlistEnabled: true })
    const tag = uniqueTag('burst')
    const emails = Array.from({ length: 500 }, (_, index) => `${tag}-${index}@burst.test`)
    // Half from a child process with its own Prisma client and pool, half from this one: only a lock held by
    // PostgreSQL can keep the two apart.
    const child = await startBurstProcess({ kind: 'register', eventId: event.id, emails: emails.slice(250) })
    const watch = watchConfirmed(event.id)
    const burstStarted = performance.now()
    const [fromChild, fromHere] = await Promise.all([
      child.go(),
      Promise.all(
        emails.slice(0, 250).map(async (email): Promise<BurstResult> => {
          try {
            const outcome = await registerForEvent(publicInput(event.id, email))
            return { status: outcome.status, registrationId: 'registrationId' in outcome ? outcome.registrationId : undefined }
          } catch (error) {
            return { status: `error: ${String(error)}` }
          }
        }),
      ),
    ])
    report(`[registration-core] 500 registrations from two processes in ${Math.round(performance.now() - burstStarted)} ms`)
    const results = [...fromHere, ...fromChild]
    expect(results.filter((result) => result.status.startsWith('error')).slice(0, 3)).toEqual([])
    expect(results.filter((result) => result.status === 'confirmed')).toHaveLength(100)
    expect(results.filter((result) => result.status === 'waitlisted')).toHaveLength(400)
    expect(new Set(results.map((result) => result.registrationId)).size).toBe(500)

    const rows = await registrationsOf(event.id)
    expect(rows).toHaveLength(500)
    expect(new Set(rows.map((row) => row.email))).toEqual(new Set(emails))
    // Ids are drawn inside the locked transaction, so id order is lock order: the first 100 to take the lock hold
    // the seats, and the waitlist order (waitlistedAt, then id) is that same order.
    expect(rows.slice(0, 100).every((row) => row.status === 'CONFIRMED' && row.waitlistedAt === null)).toBe(true)
    const waitlisted = rows.slice(100)
    expect(waitlisted.every((row) => row.status === 'WAITLISTED' && row.waitlistedAt !== null)).toBe(true)
    const byQueue = [...waitlisted].sort((a, b) => a.waitlistedAt!.getTime() - b.waitlistedAt!.getTime() || a.id - b.id)
    expect(byQueue.map((row) => row.id)).toEqual(waitlisted.map((row) => row.id))
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 100, WAITLISTED: 400 })
    // Each confirmed person, and only they, has the event's two reminders.
    expect(await reminderHolders(event.id)).toEqual({ registrations: rows.slice(0, 100).map((row) => row.id).sort((a, b) => a - b), reminders: 200 })

    // 30 cancellations at once, half from another process: exactly the first 30 of the queue move up.
    const confirmedIds = rows.slice(0, 100).map((row) => row.id)
    const cancelled = confirmedIds.filter((_, index) => index % 3 === 0).slice(0, 30)
    const firstThirty = byQueue.slice(0, 30).map((row) => row.id)
    const canceller = await startBurstProcess({ kind: 'cancel', registrationIds: cancelled.slice(15) })
    const [childCancels, ownCancels] = await Promise.all([
      canceller.go(),
      Promise.all(cancelled.slice(0, 15).map((registrationId) => cancelRegistration({ registrationId, by: 'attendee' }))),
    ])
    const { max, samples } = await watch.stop()
    expect(childCancels.every((result) => result.status === 'cancelled')).toBe(true)
    expect(ownCancels.every((result) => result.cancelled)).toBe(true)
    const promoted = [...childCancels.flatMap((result) => result.promoted ?? []), ...ownCancels.flatMap((result) => result.promotedRegistrationIds)]
    expect(promoted.sort((a, b) => a - b)).toEqual([...firstThirty].sort((a, b) => a - b))

    const after = await registrationsOf(event.id)
    const confirmedAfter = after.filter((row) => row.status === 'CONFIRMED').map((row) => row.id)
    expect(confirmedAfter.sort((a, b) => a - b)).toEqual([...confirmedIds.filter((id) => !cancelled.includes(id)), ...firstThirty].sort((a, b) => a - b))
    expect(after.filter((row) => row.status === 'WAITLISTED')).toHaveLength(370)
    expect(after.filter((row) => row.status === 'CANCELLED').map((row) => row.id).sort((a, b) => a - b)).toEqual([...cancelled].sort((a, b) => a - b))
    const promotedRows = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'PROMOTED' }, select: { registrationId: true } })
    expect(promotedRows.map((row) => row.registrationId).sort((a, b) => a! - b!)).toEqual([...firstThirty].sort((a, b) => a - b))
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 100, WAITLISTED: 400, CANCELLATION: 30, PROMOTED: 30 })
    // The reminders followed the seats: the cancelled lost theirs, the promoted got theirs.
    expect(await reminderHolders(event.id)).toEqual({ registrations: confirmedAfter, reminders: 200 })

    // Never above capacity: not in any state the watcher saw during both bursts, nor at the end (plain SQL count).
    expect(samples).toBeGreaterThan(0)
    expect(max).toBeLessThanOrEqual(100)
    const counted = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Registration" WHERE "eventId" = ${event.id} AND "status" = 'CONFIRMED'`
    expect(counted).toEqual([{ n: 100 }])
    expect(await seatCounts(event.id)).toEqual({ capacity: 100, confirmed: 100, waitlisted: 370, pending: 0, seatsLeft: 0 })
  })

  it('registrations waiting their turn go through the lock together; one that fails fails alone, nothing of it stored', async () => {
    const event = await createTestEvent({ capacity: 10 })
    const tag = uniqueTag('group')
    const emails = Array.from({ length: 20 }, (_, index) => `${tag}-${index}@group.test`)
    // Fired in one tick: the first takes the lock, the other nineteen wait as one group. The eleventh names a series
    // registration that does not exist, which the database refuses (foreign key) in the middle of the group.
    const outcomes = await Promise.allSettled(
      emails.map((email, index) =>
        registerForEvent(index === 10 ? { ...publicInput(event.id, email), source: 'SERIES', seriesRegistrationId: 2_000_000_000 } : publicInput(event.id, email)),
      ),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(emails.map((_, index) => (index === 10 ? 'rejected' : 'fulfilled')))
    const rows = await registrationsOf(event.id)
    expect(rows.map((row) => row.email)).toEqual(emails.filter((_, index) => index !== 10))
    expect(rows.map((row) => row.status)).toEqual([...Array<string>(10).fill('CONFIRMED'), ...Array<string>(9).fill('WAITLISTED')])
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 10, WAITLISTED: 9 })
  })

  it('refuses a full event without waitlist, a closed, not yet open, started, draft or cancelled event, and stores nothing', async () => {
    const tag = uniqueTag('refuse')
    const full = await createTestEvent({ capacity: 1, waitlistEnabled: false })
    expect(await registerForEvent(publicInput(full.id, `${tag}-first@refuse.test`))).toMatchObject({ status: 'confirmed' })
    expect(await registerForEvent(publicInput(full.id, `${tag}-second@refuse.test`))).toEqual({ status: 'refused', reason: 'full' })
    expect((await registrationsOf(full.id)).map((row) => row.email)).toEqual([`${tag}-first@refuse.test`])
    expect(await ledgerKinds(full.id)).toEqual({ CONFIRMATION: 1 })
    // The registered person trying again sees what anyone would ("complet"), so the page reveals nobody's
    // registration; they are told by email that they are registered.
    expect(await registerForEvent(publicInput(full.id, `${tag}-first@refuse.test`))).toEqual({ status: 'refused', reason: 'full' })
    expect(await ledgerKinds(full.id)).toEqual({ CONFIRMATION: 1, ALREADY_REGISTERED: 1 })

    const past = new Date(Date.now() - hour)
    const cases = [
      { fixture: { registrationClosesAt: past }, reason: 'closed' },
      { fixture: { registrationOpensAt: new Date(Date.now() + hour) }, reason: 'not-open' },
      { fixture: { startsAt: past }, reason: 'started' },
      // Started wins over a closing time that also passed: the page says the event has begun.
      { fixture: { startsAt: past, registrationClosesAt: new Date(Date.now() - 2 * hour) }, reason: 'started' },
      { fixture: { status: 'DRAFT' as const }, reason: 'draft' },
      { fixture: { status: 'CANCELLED' as const }, reason: 'cancelled' },
    ]
    for (const { fixture, reason } of cases) {
      const event = await createTestEvent(fixture)
      expect(await registerForEvent(publicInput(event.id, `${tag}-${reason}@refuse.test`)), reason).toEqual({ status: 'refused', reason })
      expect(await prisma.registration.count({ where: { eventId: event.id } })).toBe(0)
      expect(await prisma.eventMessage.count({ where: { eventId: event.id } })).toBe(0)
    }

    // Staff adding by hand skip the window (someone at the door after the start), never a cancelled event.
    const staffUserId = await seedStaffId(tag)
    const started = await createTestEvent({ startsAt: past })
    expect(await registerForEvent({ ...publicInput(started.id, `${tag}-door@refuse.test`), source: 'STAFF', staffUserId })).toMatchObject({ status: 'confirmed' })
    expect(await prisma.auditLog.count({ where: { action: 'registration.add', actorId: staffUserId } })).toBe(1)
    const cancelledEvent = await createTestEvent({ status: 'CANCELLED' })
    expect(await registerForEvent({ ...publicInput(cancelledEvent.id, `${tag}-door@refuse.test`), source: 'STAFF', staffUserId })).toEqual({ status: 'refused', reason: 'cancelled' })
    expect(await prisma.registration.count({ where: { eventId: cancelledEvent.id } })).toBe(0)
    // Nor a draft: it has no public page yet, so a confirmation's links would lead nowhere.
    const draft = await createTestEvent({ status: 'DRAFT' })
    expect(await registerForEvent({ ...publicInput(draft.id, `${tag}-draft@refuse.test`), source: 'STAFF', staffUserId })).toEqual({ status: 'refused', reason: 'draft' })
    expect(await prisma.registration.count({ where: { eventId: draft.id } })).toBe(0)
    expect(await prisma.eventMessage.count({ where: { eventId: draft.id } })).toBe(0)
  })

  it('a cancellation after the start frees the seat but promotes nobody; before the start it promotes the first waitlisted', async () => {
    const tag = uniqueTag('started')
    for (const started of [true, false]) {
      const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
      const seated = await registerForEvent(publicInput(event.id, `${tag}-${started}-seat@started.test`))
      const waiting = await registerForEvent(publicInput(event.id, `${tag}-${started}-wait@started.test`))
      expect(waiting).toMatchObject({ status: 'waitlisted' })
      // The meeting began 20 minutes ago (or begins in a week, as created).
      if (started) await prisma.event.update({ where: { id: event.id }, data: { startsAt: new Date(Date.now() - hour / 3) } })
      const result = await cancelRegistration({ registrationId: 'registrationId' in seated ? seated.registrationId : 0, by: 'attendee' })
      expect(result.cancelled).toBe(true)
      const rows = await registrationsOf(event.id)
      expect(rows.map((row) => row.status)).toEqual(started ? ['CANCELLED', 'WAITLISTED'] : ['CANCELLED', 'CONFIRMED'])
      expect((await ledgerKinds(event.id)).PROMOTED ?? 0).toBe(started ? 0 : 1)
    }
  })

  it('tells the page why registration is closed or how many seats are left (registrationState)', () => {
    const now = new Date('2026-11-22T10:00:00Z')
    const base = {
      status: 'PUBLISHED' as const,
      startsAt: new Date('2026-11-26T11:15:00Z'),
      registrationOpensAt: null,
      registrationClosesAt: null,
      capacity: 10,
      waitlistEnabled: true,
    }
    expect(registrationState(base, { seatsLeft: 3 }, now)).toEqual({ open: true, seatsLeft: 3, waitlist: false })
    expect(registrationState(base, { seatsLeft: 0 }, now)).toEqual({ open: true, seatsLeft: 0, waitlist: true })
    expect(registrationState({ ...base, waitlistEnabled: false }, { seatsLeft: 0 }, now)).toEqual({ open: false, reason: 'full' })
    expect(registrationState({ ...base, capacity: null }, { seatsLeft: null }, now)).toEqual({ open: true, seatsLeft: null, waitlist: false })
    expect(registrationState({ ...base, registrationClosesAt: now }, { seatsLeft: 3 }, now)).toEqual({ open: false, reason: 'closed' })
    expect(registrationState({ ...base, registrationOpensAt: new Date(now.getTime() + 1) }, { seatsLeft: 3 }, now)).toEqual({ open: false, reason: 'not-open' })
    expect(registrationState({ ...base, startsAt: now }, { seatsLeft: 3 }, now)).toEqual({ open: false, reason: 'started' })
    expect(registrationState({ ...base, status: 'DRAFT' }, { seatsLeft: 3 }, now)).toEqual({ open: false, reason: 'draft' })
    expect(registrationState({ ...base, status: 'CANCELLED' }, { seatsLeft: 3 }, now)).toEqual({ open: false, reason: 'cancelled' })
  })

  it('approval: pending takes no seat; approve confirms, then waitlists or says full; refuse tells the person', async () => {
    const tag = uniqueTag('approve')
    const staff = { staffUserId: await seedStaffId(tag) }
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: false, approvalRequired: true })
    const a = await registerForEvent(publicInput(event.id, `${tag}-a@approve.test`))
    const b = await registerForEvent(publicInput(event.id, `${tag}-b@approve.test`))
    expect(a).toMatchObject({ status: 'pending' })
    expect(b).toMatchObject({ status: 'pending' })
    expect(await seatCounts(event.id)).toMatchObject({ confirmed: 0, pending: 2, seatsLeft: 1 })
    const aId = 'registrationId' in a ? a.registrationId : 0
    const bId = 'registrationId' in b ? b.registrationId : 0
    expect(await approveRegistration(aId, staff)).toEqual({ ok: true, status: 'CONFIRMED' })
    expect(await approveRegistration(aId, staff)).toEqual({ ok: false, reason: 'invalid' })
    expect(await approveRegistration(bId, staff)).toEqual({ ok: false, reason: 'full' })
    expect(await refuseRegistration(bId, staff)).toEqual({ ok: true, status: 'REFUSED' })
    expect((await registrationsOf(event.id)).map((row) => row.status)).toEqual(['CONFIRMED', 'REFUSED'])
    expect(await ledgerKinds(event.id)).toEqual({ PENDING_APPROVAL: 2, CONFIRMATION: 1, REFUSED: 1 })
    expect(await prisma.auditLog.count({ where: { actorId: staff.staffUserId, action: { in: ['registration.approve', 'registration.refuse'] } } })).toBe(2)

    // With a waitlist, approval past capacity puts the person at the end of the queue.
    const withWaitlist = await createTestEvent({ capacity: 1, waitlistEnabled: true, approvalRequired: true })
    const ids: number[] = []
    for (const name of ['c', 'd']) {
      const outcome = await registerForEvent(publicInput(withWaitlist.id, `${tag}-${name}@approve.test`))
      ids.push('registrationId' in outcome ? outcome.registrationId : 0)
    }
    expect(await approveRegistration(ids[0]!, staff)).toEqual({ ok: true, status: 'CONFIRMED' })
    expect(await approveRegistration(ids[1]!, staff)).toEqual({ ok: true, status: 'WAITLISTED' })
    // A refusal sticks: the public form does not bring the person back; staff may.
    expect(await refuseRegistration(ids[1]!, staff)).toEqual({ ok: true, status: 'REFUSED' })
    expect(await registerForEvent(publicInput(withWaitlist.id, `${tag}-d@approve.test`))).toEqual({ status: 'already', registrationId: ids[1] })
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: ids[1]! } })).toMatchObject({ status: 'REFUSED' })
    expect(await registerForEvent({ ...publicInput(withWaitlist.id, `${tag}-d@approve.test`), source: 'STAFF', staffUserId: staff.staffUserId })).toEqual({
      status: 'waitlisted',
      registrationId: ids[1],
    })
  })

  it('staff moves: out of a seat goes to the end of the queue and the first waitlisted moves up; into a seat is refused when full', async () => {
    const tag = uniqueTag('move')
    const staff = { staffUserId: await seedStaffId(tag) }
    const event = await createTestEvent({ capacity: 2, waitlistEnabled: true })
    const ids: number[] = []
    for (const name of ['a', 'b', 'c', 'd']) {
      const outcome = await registerForEvent(publicInput(event.id, `${tag}-${name}@move.test`))
      ids.push('registrationId' in outcome ? outcome.registrationId : 0)
    }
    const [a, b, c, d] = ids as [number, number, number, number]
    expect(await moveRegistration(a, 'WAITLISTED', staff)).toEqual({ ok: true, status: 'WAITLISTED' })
    const status = async () => Object.fromEntries((await registrationsOf(event.id)).map((row) => [row.id, row.status]))
    // c was first in the queue: promoted; a is now behind d.
    expect(await status()).toEqual({ [a]: 'WAITLISTED', [b]: 'CONFIRMED', [c]: 'CONFIRMED', [d]: 'WAITLISTED' })
    expect(await moveRegistration(a, 'CONFIRMED', staff)).toEqual({ ok: false, reason: 'full' })
    expect(await cancelRegistration({ registrationId: b, by: 'staff', staffUserId: staff.staffUserId })).toEqual({ cancelled: true, promotedRegistrationIds: [d] })
    expect(await cancelRegistration({ registrationId: b, by: 'staff', staffUserId: staff.staffUserId })).toEqual({ cancelled: false, promotedRegistrationIds: [] })
    expect(await moveRegistration(d, 'WAITLISTED', staff)).toEqual({ ok: true, status: 'WAITLISTED' })
    // d went behind a, so a (now first) takes the seat d left.
    expect(await status()).toEqual({ [a]: 'CONFIRMED', [b]: 'CANCELLED', [c]: 'CONFIRMED', [d]: 'WAITLISTED' })
    const promoted = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'PROMOTED' }, orderBy: { id: 'asc' }, select: { registrationId: true } })
    expect(promoted.map((row) => row.registrationId)).toEqual([c, d, a])
    expect(await prisma.auditLog.count({ where: { actorId: staff.staffUserId, action: { in: ['registration.move', 'registration.cancel'] } } })).toBe(3)

    // A capacity raise: fillFreeSeats moves the queue up in order; a newcomer never jumps it.
    await prisma.event.update({ where: { id: event.id }, data: { capacity: 3 } })
    const newcomer = await registerForEvent(publicInput(event.id, `${tag}-e@move.test`))
    expect(newcomer).toMatchObject({ status: 'waitlisted' })
    expect(await status()).toMatchObject({ [d]: 'CONFIRMED' })
    await prisma.event.update({ where: { id: event.id }, data: { capacity: 4 } })
    expect(await fillFreeSeats(event.id)).toEqual(['registrationId' in newcomer ? newcomer.registrationId : 0])
    expect(await fillFreeSeats(event.id)).toEqual([])
  })

  it('already registered: one registration, one ALREADY_REGISTERED message per hour; a cancelled person may register again', async () => {
    const tag = uniqueTag('again')
    const contact = await prisma.contact.create({ data: { email: `${tag}-known@again.test`, firstName: 'Connue' } })
    const event = await createTestEvent({ capacity: 10 })
    // Typed with capitals and spaces: stored normalised and matched to the known contact.
    const first = await registerForEvent(publicInput(event.id, `  ${tag.toUpperCase()}-Known@Again.TEST `))
    expect(first).toMatchObject({ status: 'confirmed' })
    const registrationId = 'registrationId' in first ? first.registrationId : 0
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: registrationId } })).toMatchObject({ email: `${tag}-known@again.test`, contactId: contact.id })

    expect(await registerForEvent(publicInput(event.id, `${tag}-known@again.test`))).toEqual({ status: 'already', registrationId })
    expect(await registerForEvent(publicInput(event.id, `${tag}-known@again.test`))).toEqual({ status: 'already', registrationId })
    expect(await prisma.registration.count({ where: { eventId: event.id } })).toBe(1)
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 1, ALREADY_REGISTERED: 1 })
    // An hour later the person may be told again.
    expect(await registerForEvent(publicInput(event.id, `${tag}-known@again.test`), new Date(Date.now() + hour + 60_000))).toEqual({ status: 'already', registrationId })
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 1, ALREADY_REGISTERED: 2 })

    // Cancelled, then registered again: the same row, new answers, a confirmation of its own.
    expect(await cancelRegistration({ registrationId, by: 'attendee' })).toEqual({ cancelled: true, promotedRegistrationIds: [] })
    const again = await registerForEvent({ ...publicInput(event.id, `${tag}-known@again.test`), answers: { repas: 'Végétarien' } })
    expect(again).toEqual({ status: 'confirmed', registrationId })
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: registrationId } })).toMatchObject({ status: 'CONFIRMED', cancelledAt: null, answers: { repas: 'Végétarien' } })
    expect(await ledgerKinds(event.id)).toEqual({ CONFIRMATION: 2, ALREADY_REGISTERED: 2, CANCELLATION: 1 })
    const keys = await prisma.eventMessage.findMany({ where: { registrationId, kind: 'CONFIRMATION' }, select: { idempotencyKey: true } })
    expect(new Set(keys.map((row) => row.idempotencyKey)).size).toBe(2)
  })

  it('a cancelled event refuses registrations and tells every active registrant once', async () => {
    const tag = uniqueTag('cancel-event')
    const staff = { staffUserId: await seedStaffId(tag) }
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
    for (const name of ['a', 'b']) await registerForEvent(publicInput(event.id, `${tag}-${name}@cancel.test`))
    const gone = await registerForEvent(publicInput(event.id, `${tag}-c@cancel.test`))
    await cancelRegistration({ registrationId: 'registrationId' in gone ? gone.registrationId : 0, by: 'attendee' })
    expect(await cancelEvent(event.id, staff)).toEqual({ notified: 2 })
    expect(await cancelEvent(event.id, staff)).toEqual({ notified: 0 })
    expect(await ledgerKinds(event.id)).toMatchObject({ EVENT_CANCELLED: 2 })
    expect(await registerForEvent(publicInput(event.id, `${tag}-d@cancel.test`))).toEqual({ status: 'refused', reason: 'cancelled' })
    expect(await prisma.auditLog.count({ where: { actorId: staff.staffUserId, action: 'event.cancel' } })).toBe(1)
  })

  it('the newsletter box goes through the sign-up path: consent recorded, double opt-in pending; private lists are ignored', async () => {
    const tag = uniqueTag('box')
    const open = await prisma.mailingList.create({ data: { slug: `${tag}-open`, name: `Lettre ${tag}`, doubleOptIn: true } })
    const closed = await prisma.mailingList.create({ data: { slug: `${tag}-private`, name: `Interne ${tag}`, isPublic: false } })
    const event = await createTestEvent()
    const email = `${tag}-box@box.test`
    const outcome = await registerForEvent({ ...publicInput(event.id, email), newsletterListId: open.id })
    const contact = await prisma.contact.findUniqueOrThrow({ where: { email } })
    expect(await prisma.subscription.findMany({ where: { contactId: contact.id }, select: { listId: true, status: true } })).toEqual([{ listId: open.id, status: 'PENDING' }])
    const consent = await prisma.consentRecord.findFirstOrThrow({ where: { contactId: contact.id, action: 'SUBSCRIBE' } })
    expect(consent.listIds).toEqual([open.id])
    expect(consent.consentTextHash).toMatch(/^[0-9a-f]{64}$/)
    expect(consent.source).toBe('EVENT_REGISTRATION')
    // The registration is linked to the contact the sign-up made.
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: 'registrationId' in outcome ? outcome.registrationId : 0 } })).toMatchObject({ contactId: contact.id })

    const other = `${tag}-private@box.test`
    await registerForEvent({ ...publicInput(event.id, other), newsletterListId: closed.id })
    expect(await prisma.contact.findUnique({ where: { email: other } })).toBeNull()
  })

  it('a staff announcement goes to the filtered registrants, one ledger row each', async () => {
    const tag = uniqueTag('announce')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent({ capacity: 2 })
    const people = [
      { email: `${tag}-a@announce.test`, organization: 'Mairie de Bègles' },
      { email: `${tag}-b@announce.test`, organization: 'Association Relais' },
      { email: `${tag}-c@announce.test`, organization: 'Mairie de Pessac' },
    ]
    for (const person of people) await registerForEvent({ ...publicInput(event.id, person.email), attendee: attendee(person.email, { organization: person.organization }) })
    const mairies = await createAnnouncement({ eventId: event.id, subject: 'Salle changée', body: 'Rendez-vous salle B.', filter: { statuses: ['CONFIRMED', 'WAITLISTED'], q: 'mairie' }, staffUserId })
    expect(mairies.recipients).toBe(2)
    const rows = await prisma.eventMessage.findMany({ where: { announcementId: mairies.announcementId }, select: { kind: true, registration: { select: { email: true } } } })
    expect(rows.map((row) => row.registration?.email).sort()).toEqual([people[0]!.email, people[2]!.email])
    const waitlistOnly = await createAnnouncement({ eventId: event.id, subject: 'Liste d’attente', body: 'Patience.', filter: { statuses: ['WAITLISTED'] }, staffUserId })
    expect(waitlistOnly.recipients).toBe(1)
    expect(await prisma.eventAnnouncement.findUniqueOrThrow({ where: { id: mairies.announcementId } })).toMatchObject({ recipientCount: 2, createdById: staffUserId })
    expect(await prisma.auditLog.count({ where: { actorId: staffUserId, action: 'event.announce' } })).toBe(2)
  })
})
