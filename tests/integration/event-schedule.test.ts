// The timed part of the event-message ledger against real PostgreSQL and Redis, without a worker: every change is
// made through the model functions staff and attendees use, then the ledger rows (kind, status, due time, detail,
// key) and the `event` queue's delayed jobs (one per row, its id derived from the row) are read back. A reminder
// "moved" or "removed" is proven on both sides: the row says CANCELLED with its reason and its job is gone from
// Redis, while the new row has a delayed job due at its new time. The file has its own database and queue prefix,
// since the follow-up recorder looks at every event of its database.
//
// Repairs are proven from a broken state made by hand (reminder rows deleted, as for registrations made before
// reminders existed): the reconcile tick writes them back with their jobs, and a second tick writes nothing.
import { describe, expect, it, vi } from 'vitest'
import { seedStaffId, uniqueTag } from '#tests/helpers/campaign.ts'
import { staffEditInput } from '#tests/helpers/event-input.ts'
import { attendee, createTestEvent, createTestSeries, registrationFileHooks } from '#tests/helpers/registration.ts'
import { eventMessageJobKey } from '#jobs/event-dispatch.ts'
import { getQueue, jobIdFor } from '#jobs/queues.ts'
import { reconcileEvents } from '#jobs/event.ts'
import { readUpdateDetail } from '~/models/event-message-detail.ts'
import { repairMissingReminders } from '~/models/event-reminder-repair.server.ts'
import { eventScheduleSummary } from '~/models/event-schedule-summary.server.ts'
import { recordDueFollowUps } from '~/models/event-schedule.server.ts'
import { createEvent, duplicateEvent, setEventPublished, updateEvent } from '~/models/event.server.ts'
import { eraseContact } from '~/models/privacy.server.ts'
import {
  approveRegistration,
  cancelEvent,
  cancelRegistration,
  moveRegistration,
  registerForEvent,
  registerForSeries,
} from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}esched`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_esched`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})
registrationFileHooks(isolation.prefix)

const minute = 60 * 1000
const hour = 60 * minute
const day = 24 * hour

async function register(eventId: number, email: string): Promise<number> {
  const outcome = await registerForEvent({ eventId, attendee: attendee(email), answers: {}, source: 'PUBLIC' })
  if (outcome.status === 'refused') throw new Error(`refused: ${outcome.reason}`)
  return outcome.registrationId
}

function reminders(registrationId: number) {
  return prisma.eventMessage.findMany({
    where: { registrationId, kind: 'REMINDER' },
    orderBy: [{ offsetMinutes: 'desc' }, { id: 'asc' }],
    select: { id: true, offsetMinutes: true, dueAt: true, status: true, detail: true, idempotencyKey: true },
  })
}

/** The `event` queue's job of a ledger row: when it will run (null when Redis holds no job for it). */
async function jobRunsAt(messageId: number): Promise<Date | null> {
  const job = await getQueue('event').getJob(jobIdFor('event', eventMessageJobKey(messageId)))
  if (!job) return null
  expect(await job.isDelayed()).toBe(true)
  return new Date(job.timestamp + (job.opts.delay ?? 0))
}

/** Whether Redis holds a job (in any state) for a ledger row: UPDATE rows are due at once, so not delayed. */
async function hasJob(messageId: number): Promise<boolean> {
  return (await getQueue('event').getJob(jobIdFor('event', eventMessageJobKey(messageId)))) !== undefined
}

/** Within a minute: the job's delay is computed from the clock when it was added. */
function expectNear(actual: Date | null, expected: Date): void {
  expect(actual).not.toBeNull()
  expect(Math.abs(actual!.getTime() - expected.getTime())).toBeLessThan(minute)
}

describe('reminders', () => {
  it('a confirmation writes one reminder per offset, due offset minutes before the start, each with a delayed job; a reminder already past is not written', async () => {
    const event = await createTestEvent()
    const { startsAt } = await prisma.event.findUniqueOrThrow({ where: { id: event.id }, select: { startsAt: true } })
    const id = await register(event.id, `${uniqueTag('rem')}@schedule.test`)
    const rows = await reminders(id)
    expect(rows.map((row) => [row.offsetMinutes, row.status, row.dueAt.getTime()])).toEqual([
      [1440, 'SCHEDULED', startsAt.getTime() - day],
      [60, 'SCHEDULED', startsAt.getTime() - hour],
    ])
    expect(rows[0]!.idempotencyKey).toBe(`reg:${id}:reminder:1440:${startsAt.getTime()}`)
    for (const row of rows) expectNear(await jobRunsAt(row.id), row.dueAt)

    // Two hours ahead: the day-before reminder is already past, only the hour-before one is written.
    const soon = await createTestEvent({ startsAt: new Date(Date.now() + 2 * hour) })
    const soonId = await register(soon.id, `${uniqueTag('soon')}@schedule.test`)
    expect((await reminders(soonId)).map((row) => row.offsetMinutes)).toEqual([60])
  })

  it('nothing for a waitlisted or pending registration; promotion and approval write the reminders; cancelling cancels them and removes their jobs', async () => {
    const tag = uniqueTag('promo')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
    const first = await register(event.id, `${tag}-first@schedule.test`)
    const second = await register(event.id, `${tag}-second@schedule.test`)
    expect(await reminders(second)).toEqual([])
    const firstRows = await reminders(first)
    expect(firstRows).toHaveLength(2)

    await cancelRegistration({ registrationId: first, by: 'attendee' })
    const cancelled = await reminders(first)
    expect(cancelled.map((row) => [row.id, row.status, row.detail])).toEqual(firstRows.map((row) => [row.id, 'CANCELLED', 'registration-cancelled']))
    for (const row of cancelled) expect(await jobRunsAt(row.id)).toBeNull()
    // The promoted person now has theirs, with jobs.
    const promoted = await reminders(second)
    expect(promoted.map((row) => [row.offsetMinutes, row.status])).toEqual([[1440, 'SCHEDULED'], [60, 'SCHEDULED']])
    for (const row of promoted) expectNear(await jobRunsAt(row.id), row.dueAt)

    const approval = await createTestEvent({ approvalRequired: true })
    const pending = await register(approval.id, `${tag}-pending@schedule.test`)
    expect(await reminders(pending)).toEqual([])
    expect(await approveRegistration(pending, { staffUserId })).toEqual({ ok: true, status: 'CONFIRMED' })
    expect((await reminders(pending)).map((row) => row.status)).toEqual(['SCHEDULED', 'SCHEDULED'])
  })

  it('re-registering after a cancellation brings the same reminders back; a staff move to the waitlist and back cancels then restores them', async () => {
    const tag = uniqueTag('again')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const email = `${tag}@schedule.test`
    const id = await register(event.id, email)
    const written = await reminders(id)
    await cancelRegistration({ registrationId: id, by: 'attendee' })
    expect(await register(event.id, email)).toBe(id)
    const back = await reminders(id)
    // Same rows (same keys: one registration × offset × start is sent at most once), scheduled again with jobs.
    expect(back.map((row) => [row.id, row.status, row.detail])).toEqual(written.map((row) => [row.id, 'SCHEDULED', null]))
    for (const row of back) expectNear(await jobRunsAt(row.id), row.dueAt)

    expect(await moveRegistration(id, 'WAITLISTED', { staffUserId })).toEqual({ ok: true, status: 'WAITLISTED' })
    expect((await reminders(id)).map((row) => [row.status, row.detail])).toEqual([
      ['CANCELLED', 'registration-cancelled'],
      ['CANCELLED', 'registration-cancelled'],
    ])
    for (const row of back) expect(await jobRunsAt(row.id)).toBeNull()
    expect(await moveRegistration(id, 'CONFIRMED', { staffUserId })).toEqual({ ok: true, status: 'CONFIRMED' })
    expect((await reminders(id)).map((row) => row.status)).toEqual(['SCHEDULED', 'SCHEDULED'])
  })

  it('a series registration writes the reminders of every session it confirms', async () => {
    const series = await createTestSeries()
    const sessions = [await createTestEvent({ seriesId: series.id }), await createTestEvent({ seriesId: series.id, startsAt: new Date(Date.now() + 14 * day) })]
    const outcome = await registerForSeries({ seriesId: series.id, attendee: attendee(`${uniqueTag('series')}@schedule.test`), source: 'SERIES' })
    expect(outcome.status).toBe('registered')
    for (const session of sessions) {
      const registration = await prisma.registration.findFirstOrThrow({ where: { eventId: session.id }, select: { id: true } })
      expect((await reminders(registration.id)).map((row) => row.offsetMinutes)).toEqual([1440, 60])
    }
  })
})

describe('staff changes', () => {
  it('new offsets: the dropped ones are cancelled (offset-removed) with their jobs, the new ones written with theirs; an offset taken back revives its row', async () => {
    const tag = uniqueTag('offsets')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const id = await register(event.id, `${tag}@schedule.test`)
    const before = await reminders(id)
    const outcome = await updateEvent(event.id, await staffEditInput(event.id, { reminderOffsets: [120, 60] }), { staffUserId })
    // Offsets are no calendar change: nobody gets an UPDATE.
    expect(outcome).toMatchObject({ sequenceBumped: false, updatesQueued: 0 })
    const after = await reminders(id)
    expect(after.map((row) => [row.offsetMinutes, row.status, row.detail])).toEqual([
      [1440, 'CANCELLED', 'offset-removed'],
      [120, 'SCHEDULED', null],
      [60, 'SCHEDULED', null],
    ])
    expect(await jobRunsAt(before[0]!.id)).toBeNull()
    // The kept offset keeps its row and job.
    expect(after[2]!.id).toBe(before[1]!.id)
    for (const row of after.slice(1)) expectNear(await jobRunsAt(row.id), row.dueAt)

    // Back to the day before: the same row (same key) is scheduled again with a job, never a second one.
    await updateEvent(event.id, await staffEditInput(event.id, { reminderOffsets: [1440, 60] }), { staffUserId })
    const back = await reminders(id)
    expect(back.map((row) => [row.id, row.offsetMinutes, row.status, row.detail])).toEqual([
      [before[0]!.id, 1440, 'SCHEDULED', null],
      [after[1]!.id, 120, 'CANCELLED', 'offset-removed'],
      [before[1]!.id, 60, 'SCHEDULED', null],
    ])
    expectNear(await jobRunsAt(before[0]!.id), before[0]!.dueAt)
    expect(await jobRunsAt(after[1]!.id)).toBeNull()
  })

  it('a new start: SEQUENCE + 1, one UPDATE per confirmed attendee saying what changed, reminders moved; a minor edit sends nothing unless staff ask', async () => {
    const tag = uniqueTag('move')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent({ capacity: 2 })
    const confirmed = [await register(event.id, `${tag}-a@schedule.test`), await register(event.id, `${tag}-b@schedule.test`)]
    const waitlisted = await register(event.id, `${tag}-c@schedule.test`)
    const old = await prisma.event.findUniqueOrThrow({ where: { id: event.id } })
    const startsAt = new Date(old.startsAt.getTime() + 2 * day)
    const endsAt = new Date(old.endsAt.getTime() + 2 * day)

    const outcome = await updateEvent(event.id, await staffEditInput(event.id, { startsAt, endsAt }), { staffUserId })
    expect(outcome).toMatchObject({ sequenceBumped: true, updatesQueued: 2 })
    expect((await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).icalSequence).toBe(old.icalSequence + 1)
    const updates = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'UPDATE' }, orderBy: { registrationId: 'asc' } })
    expect(updates.map((row) => [row.registrationId, row.idempotencyKey])).toEqual(
      confirmed.map((id) => [id, `event:${event.id}:update:${old.icalSequence + 1}:reg:${id}`]),
    )
    expect(readUpdateDetail(updates[0]!.detail)).toEqual({
      changes: ['time'],
      before: { title: old.title, startsAt: old.startsAt.toISOString(), endsAt: old.endsAt.toISOString(), timeZone: old.timeZone, venueName: null, venueAddress: null, kind: old.kind },
    })
    for (const id of confirmed) {
      const rows = await reminders(id)
      const live = rows.filter((row) => row.status === 'SCHEDULED')
      expect(live.map((row) => row.dueAt.getTime())).toEqual([startsAt.getTime() - day, startsAt.getTime() - hour])
      expect(rows.filter((row) => row.status === 'CANCELLED').map((row) => row.detail)).toEqual(['rescheduled', 'rescheduled'])
      for (const row of rows) {
        if (row.status === 'SCHEDULED') expectNear(await jobRunsAt(row.id), row.dueAt)
        else expect(await jobRunsAt(row.id)).toBeNull()
      }
    }
    expect(await reminders(waitlisted)).toEqual([])

    // A typo fixed in the title: no UPDATE, no new SEQUENCE.
    const typo = await updateEvent(event.id, await staffEditInput(event.id, { title: `${old.title} (corrigé)` }), { staffUserId })
    expect(typo).toMatchObject({ sequenceBumped: false, updatesQueued: 0 })
    // The same kind of edit with "prévenir les inscrit·es": SEQUENCE + 1 and an UPDATE about the details.
    const told = await updateEvent(event.id, await staffEditInput(event.id, { title: `${old.title} (nouveau titre)` }), { staffUserId }, { notify: true })
    expect(told).toMatchObject({ sequenceBumped: true, updatesQueued: 2 })
    const latest = await prisma.eventMessage.findFirstOrThrow({ where: { eventId: event.id, kind: 'UPDATE' }, orderBy: { id: 'desc' } })
    expect(latest.idempotencyKey).toBe(`event:${event.id}:update:${old.icalSequence + 2}:reg:${confirmed[1]}`)
    // No worker here: the time change's UPDATE had not gone, so this one replaces it and says both.
    expect(readUpdateDetail(latest.detail)?.changes).toEqual(['time', 'details'])
  })

  it('a webinar that becomes a meeting on site is a change of place: SEQUENCE + 1 and an UPDATE that knows it was online', async () => {
    const tag = uniqueTag('kind')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const confirmed = await register(event.id, `${tag}-a@schedule.test`)
    const old = await prisma.event.findUniqueOrThrow({ where: { id: event.id } })
    expect(old.kind).toBe('ONLINE')
    const change = { kind: 'IN_PERSON' as const, venueName: 'Salle des fêtes', venueAddress: '1 place de la Mairie, 29200 Brest' }
    const outcome = await updateEvent(event.id, await staffEditInput(event.id, change), { staffUserId })
    expect(outcome).toMatchObject({ sequenceBumped: true, updatesQueued: 1 })
    const update = await prisma.eventMessage.findFirstOrThrow({ where: { eventId: event.id, kind: 'UPDATE', registrationId: confirmed } })
    expect(readUpdateDetail(update.detail)).toMatchObject({ changes: ['place'], before: { kind: 'ONLINE', venueName: null } })
  })

  it('cancelling the event cancels every pending reminder (event-not-live) with its job and raises the SEQUENCE', async () => {
    const tag = uniqueTag('cancel')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const ids = [await register(event.id, `${tag}-a@schedule.test`), await register(event.id, `${tag}-b@schedule.test`)]
    const { icalSequence } = await prisma.event.findUniqueOrThrow({ where: { id: event.id } })
    expect(await cancelEvent(event.id, { staffUserId })).toEqual({ notified: 2 })
    expect((await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).icalSequence).toBe(icalSequence + 1)
    for (const id of ids) {
      const rows = await reminders(id)
      expect(rows.map((row) => [row.status, row.detail])).toEqual([
        ['CANCELLED', 'event-not-live'],
        ['CANCELLED', 'event-not-live'],
      ])
      for (const row of rows) expect(await jobRunsAt(row.id)).toBeNull()
    }
  })

  it('unpublishing cancels the reminders, publishing again writes them back', async () => {
    const tag = uniqueTag('draft')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const id = await register(event.id, `${tag}@schedule.test`)
    expect(await setEventPublished(event.id, false, { staffUserId })).toEqual({ changed: true })
    expect((await reminders(id)).map((row) => row.detail)).toEqual(['event-not-live', 'event-not-live'])
    expect(await setEventPublished(event.id, true, { staffUserId })).toEqual({ changed: true })
    expect((await reminders(id)).map((row) => row.status)).toEqual(['SCHEDULED', 'SCHEDULED'])
  })
})

describe('invite SEQUENCE of a registration', () => {
  it('grows when a confirmed registration is cancelled or moved off the list, and when a cancelled one is placed again', async () => {
    const tag = uniqueTag('seq')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const email = `${tag}@schedule.test`
    const id = await register(event.id, email)
    const sequence = async () => (await prisma.registration.findUniqueOrThrow({ where: { id } })).icalSequence
    expect(await sequence()).toBe(0)
    await cancelRegistration({ registrationId: id, by: 'attendee' })
    expect(await sequence()).toBe(1)
    await register(event.id, email)
    expect(await sequence()).toBe(2)
    await moveRegistration(id, 'WAITLISTED', { staffUserId })
    expect(await sequence()).toBe(3)
    // Cancelling a waitlisted registration: it had no calendar entry to remove.
    await cancelRegistration({ registrationId: id, by: 'staff', staffUserId })
    expect(await sequence()).toBe(3)
  })
})

describe('follow-ups', () => {
  async function confirmedRegistrations(eventId: number, tag: string, count: number): Promise<number[]> {
    const ids: number[] = []
    for (let index = 0; index < count; index += 1) ids.push(await register(eventId, `${tag}-${index}@schedule.test`))
    return ids
  }

  function followUps(eventId: number) {
    return prisma.eventMessage.findMany({ where: { eventId, kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] } }, orderBy: { registrationId: 'asc' }, select: { registrationId: true, kind: true, idempotencyKey: true } })
  }

  it('online: those who joined get the "thank you" follow-up, the others "sorry we missed you"; written once, after the delay', async () => {
    const tag = uniqueTag('online')
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 2 * day) })
    const [joined, absent] = await confirmedRegistrations(event.id, tag, 2)
    await prisma.registration.update({ where: { id: joined }, data: { joinedAt: new Date() } })
    // Over for an hour: the two-hour delay has not passed yet.
    const endsAt = new Date(Date.now() - hour)
    await prisma.event.update({ where: { id: event.id }, data: { startsAt: new Date(endsAt.getTime() - hour), endsAt } })
    await recordDueFollowUps(new Date())
    expect(await followUps(event.id)).toEqual([])

    const later = new Date(Date.now() + 2 * hour)
    expect(await recordDueFollowUps(later)).toBeGreaterThanOrEqual(2)
    expect(await followUps(event.id)).toEqual([
      { registrationId: joined, kind: 'FOLLOW_UP_ATTENDED', idempotencyKey: `event:${event.id}:follow-up:reg:${joined}` },
      { registrationId: absent, kind: 'FOLLOW_UP_ABSENT', idempotencyKey: `event:${event.id}:follow-up:reg:${absent}` },
    ])
    expect((await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).followUpsRecordedAt).not.toBeNull()
    await recordDueFollowUps(later)
    expect(await followUps(event.id)).toHaveLength(2)
  })

  it('in person: waits while nobody took attendance, then splits by it; an event over for more than 7 days gets none', async () => {
    const tag = uniqueTag('onsite')
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 2 * day) })
    const [present, absent] = await confirmedRegistrations(event.id, tag, 2)
    // (Registrations were made while the event was ahead; it is then moved into the past.)
    const endsAt = new Date(Date.now() - 3 * hour)
    await prisma.event.update({ where: { id: event.id }, data: { kind: 'IN_PERSON', venueName: 'Salle des fêtes', startsAt: new Date(endsAt.getTime() - hour), endsAt } })
    await recordDueFollowUps(new Date())
    expect(await followUps(event.id)).toEqual([])
    expect((await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).followUpsRecordedAt).toBeNull()

    await prisma.registration.update({ where: { id: present }, data: { attendance: 'PRESENT', checkedInAt: new Date() } })
    await recordDueFollowUps(new Date())
    expect((await followUps(event.id)).map((row) => [row.registrationId, row.kind])).toEqual([
      [present, 'FOLLOW_UP_ATTENDED'],
      [absent, 'FOLLOW_UP_ABSENT'],
    ])

    const old = await createTestEvent({ startsAt: new Date(Date.now() + 2 * day) })
    await confirmedRegistrations(old.id, `${tag}-old`, 1)
    await prisma.event.update({ where: { id: old.id }, data: { startsAt: new Date(Date.now() - 8 * day - hour), endsAt: new Date(Date.now() - 8 * day) } })
    await recordDueFollowUps(new Date())
    expect(await followUps(old.id)).toEqual([])
  })

  it('an event over whose follow-ups were written, moved into the future: the waiting ones are cancelled and written again after the new end', async () => {
    const tag = uniqueTag('reopen')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 2 * day) })
    const [id] = await confirmedRegistrations(event.id, tag, 1)
    const endsAt = new Date(Date.now() - 3 * hour)
    await prisma.event.update({ where: { id: event.id }, data: { startsAt: new Date(endsAt.getTime() - hour), endsAt } })
    await recordDueFollowUps(new Date())
    const [row] = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'FOLLOW_UP_ABSENT' } })
    expect(row?.status).toBe('SCHEDULED')

    const startsAt = new Date(Date.now() + day)
    await updateEvent(event.id, await staffEditInput(event.id, { startsAt, endsAt: new Date(startsAt.getTime() + hour) }), { staffUserId })
    expect(await prisma.eventMessage.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'CANCELLED', detail: 'rescheduled' })
    expect((await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).followUpsRecordedAt).toBeNull()
    // The reminders of the new date are written (the old ones had passed).
    expect((await reminders(id!)).filter((reminder) => reminder.status === 'SCHEDULED').map((reminder) => reminder.dueAt.getTime())).toEqual([
      startsAt.getTime() - day,
      startsAt.getTime() - hour,
    ].filter((due) => due > Date.now()))
  })
})

describe('missing reminders', () => {
  it('a confirmed registration without its reminder rows (made before they existed) gets them back on the reconcile tick, once', async () => {
    const tag = uniqueTag('repair')
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 36 * hour) })
    const ids = [await register(event.id, `${tag}-a@schedule.test`), await register(event.id, `${tag}-b@schedule.test`)]
    const written = await Promise.all(ids.map((id) => reminders(id)))
    // As before the deploy: no reminder row, no job.
    await prisma.eventMessage.deleteMany({ where: { registrationId: { in: ids }, kind: 'REMINDER' } })
    for (const rows of written) for (const row of rows) await getQueue('event').remove(jobIdFor('event', eventMessageJobKey(row.id)))

    await reconcileEvents(new Date())
    for (const [index, id] of ids.entries()) {
      const rows = await reminders(id)
      expect(rows.map((row) => [row.idempotencyKey, row.status, row.dueAt.getTime()])).toEqual(written[index]!.map((row) => [row.idempotencyKey, 'SCHEDULED', row.dueAt.getTime()]))
      for (const row of rows) expectNear(await jobRunsAt(row.id), row.dueAt)
    }
    // Idempotent: nothing is missing any more, nothing is written again.
    expect(await repairMissingReminders(new Date())).toBe(0)
    expect(await prisma.eventMessage.count({ where: { registrationId: { in: ids }, kind: 'REMINDER' } })).toBe(4)
  })

  it('a reminder cancelled for a reason (registration cancelled) is not brought back', async () => {
    const tag = uniqueTag('norepair')
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 36 * hour) })
    const id = await register(event.id, `${tag}@schedule.test`)
    await cancelRegistration({ registrationId: id, by: 'attendee' })
    await repairMissingReminders(new Date())
    expect((await reminders(id)).map((row) => row.status)).toEqual(['CANCELLED', 'CANCELLED'])
  })
})

describe('one-click registration of someone already registered (quietAlready)', () => {
  it('answers `already` even on a full event and writes no "already registered" email; without it the public answer is `full` and the email goes', async () => {
    const tag = uniqueTag('quiet')
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: false })
    const email = `${tag}@schedule.test`
    const id = await register(event.id, email)
    const again = (quietAlready: boolean) => registerForEvent({ eventId: event.id, attendee: attendee(email), answers: {}, source: 'INVITATION', quietAlready })
    expect(await again(true)).toEqual({ status: 'already', registrationId: id })
    expect(await prisma.eventMessage.count({ where: { registrationId: id, kind: 'ALREADY_REGISTERED' } })).toBe(0)
    expect(await again(false)).toEqual({ status: 'refused', reason: 'full' })
    expect(await prisma.eventMessage.count({ where: { registrationId: id, kind: 'ALREADY_REGISTERED' } })).toBe(1)
  })
})

describe('updates', () => {
  it('a second edit before the first UPDATE went replaces it: one waiting UPDATE per attendee, "instead of" the time they last heard, both changes', async () => {
    const tag = uniqueTag('supersede')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    const early = await register(event.id, `${tag}-early@schedule.test`)
    const old = await prisma.event.findUniqueOrThrow({ where: { id: event.id } })
    // 12:15 → 14:00 (a mistake) …
    const first = new Date(old.startsAt.getTime() + 2 * hour)
    await updateEvent(event.id, await staffEditInput(event.id, { startsAt: first, endsAt: new Date(first.getTime() + hour) }), { staffUserId })
    const firstRow = await prisma.eventMessage.findFirstOrThrow({ where: { registrationId: early, kind: 'UPDATE' } })
    expect(await hasJob(firstRow.id)).toBe(true)
    const late = await register(event.id, `${tag}-late@schedule.test`)
    // … then 14:15 at another place.
    const second = new Date(first.getTime() + 15 * minute)
    await updateEvent(event.id, await staffEditInput(event.id, { startsAt: second, endsAt: new Date(second.getTime() + hour), kind: 'HYBRID', venueName: 'Salle B' }), { staffUserId })

    expect(await prisma.eventMessage.findUniqueOrThrow({ where: { id: firstRow.id } })).toMatchObject({ status: 'CANCELLED', detail: 'superseded' })
    expect(await hasJob(firstRow.id)).toBe(false)
    const waiting = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'UPDATE', status: 'SCHEDULED' }, orderBy: { registrationId: 'asc' } })
    expect(waiting.map((row) => row.registrationId)).toEqual([early, late])
    // The early registrant last heard 12:15; the late one registered at 14:00 and only hears about the second change.
    expect(readUpdateDetail(waiting[0]!.detail)).toMatchObject({ changes: ['time', 'place'], before: { startsAt: old.startsAt.toISOString(), kind: 'ONLINE' } })
    expect(readUpdateDetail(waiting[1]!.detail)).toMatchObject({ changes: ['time', 'place'], before: { startsAt: first.toISOString() } })
    for (const row of waiting) expect(await hasJob(row.id)).toBe(true)
  })

  it('an event that moves on site says the place changed, never "the link changed" (it has no link any more)', async () => {
    const tag = uniqueTag('nolink')
    const staffUserId = await seedStaffId(tag)
    const event = await createTestEvent()
    await prisma.event.update({ where: { id: event.id }, data: { joinUrl: 'https://visio.example.org/salle' } })
    const id = await register(event.id, `${tag}@schedule.test`)
    await updateEvent(event.id, await staffEditInput(event.id, { kind: 'IN_PERSON', venueName: 'Salle des fêtes', joinUrl: null }), { staffUserId })
    const update = await prisma.eventMessage.findFirstOrThrow({ where: { registrationId: id, kind: 'UPDATE' } })
    expect(readUpdateDetail(update.detail)?.changes).toEqual(['place'])
  })
})

describe('erasure', () => {
  it('cancels the messages still to go to the erased registration (jobs removed) and nothing new is written for it', async () => {
    const tag = uniqueTag('erase')
    const staffUserId = await seedStaffId(tag)
    const email = `${tag}@schedule.test`
    const contact = await prisma.contact.create({ data: { email } })
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 36 * hour) })
    const id = await register(event.id, email)
    const kept = await register(event.id, `${tag}-kept@schedule.test`)
    const before = await reminders(id)
    expect(before).toHaveLength(2)

    await eraseContact(contact.id, { kind: 'self' })
    const after = await reminders(id)
    expect(after.map((row) => [row.id, row.status, row.detail])).toEqual(before.map((row) => [row.id, 'CANCELLED', 'registration-erased']))
    for (const row of after) expect(await jobRunsAt(row.id)).toBeNull()

    // The repair does not bring them back, and a reschedule writes reminders and an UPDATE for the others only.
    await repairMissingReminders(new Date())
    const startsAt = new Date(Date.now() + 40 * hour)
    await updateEvent(event.id, await staffEditInput(event.id, { startsAt, endsAt: new Date(startsAt.getTime() + hour) }), { staffUserId })
    expect((await reminders(id)).filter((row) => row.status === 'SCHEDULED')).toEqual([])
    expect(await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: 'UPDATE' }, select: { registrationId: true } })).toEqual([{ registrationId: kept }])
  })
})

describe('publication date', () => {
  it('is set when an event is first published (created published, published later, or by an edit) and never cleared', async () => {
    const tag = uniqueTag('pubat')
    const staffUserId = await seedStaffId(tag)
    const model = await createTestEvent()
    const draft = await createEvent(await staffEditInput(model.id, { title: `Brouillon ${tag}`, status: 'DRAFT' }), { staffUserId })
    const publishedAt = async (id: number) => (await prisma.event.findUniqueOrThrow({ where: { id } })).publishedAt
    expect(await publishedAt(draft.id)).toBeNull()
    await setEventPublished(draft.id, true, { staffUserId })
    const first = await publishedAt(draft.id)
    expect(first).not.toBeNull()
    await setEventPublished(draft.id, false, { staffUserId })
    await setEventPublished(draft.id, true, { staffUserId })
    expect(await publishedAt(draft.id)).toEqual(first)
    await cancelEvent(draft.id, { staffUserId })
    expect(await publishedAt(draft.id)).toEqual(first)

    const published = await createEvent(await staffEditInput(model.id, { title: `Publié ${tag}`, status: 'PUBLISHED' }), { staffUserId })
    expect(await publishedAt(published.id)).not.toBeNull()
    // A copy is a draft: never published yet.
    expect(await publishedAt((await duplicateEvent(published.id, { staffUserId })).id)).toBeNull()

    const edited = await createEvent(await staffEditInput(model.id, { title: `Édité ${tag}`, status: 'DRAFT' }), { staffUserId })
    await updateEvent(edited.id, await staffEditInput(edited.id, { status: 'PUBLISHED' }), { staffUserId })
    expect(await publishedAt(edited.id)).not.toBeNull()
  })
})

describe('follow-ups of a hybrid event', () => {
  it('one online join is not attendance taken in the room: the follow-up waits until on-site attendance is recorded, and the staff summary says so', async () => {
    const tag = uniqueTag('hybrid')
    const event = await createTestEvent({ startsAt: new Date(Date.now() + 2 * day) })
    const online = await register(event.id, `${tag}-online@schedule.test`)
    const room = await register(event.id, `${tag}-room@schedule.test`)
    const missed = await register(event.id, `${tag}-missed@schedule.test`)
    const endsAt = new Date(Date.now() - 3 * hour)
    await prisma.event.update({ where: { id: event.id }, data: { kind: 'HYBRID', venueName: 'Salle B', startsAt: new Date(endsAt.getTime() - hour), endsAt } })
    await prisma.registration.update({ where: { id: online }, data: { joinedAt: new Date(endsAt.getTime() - 30 * minute), attendance: 'PRESENT' } })
    const summaryEvent = async () => prisma.event.findUniqueOrThrow({ where: { id: event.id } })

    await recordDueFollowUps(new Date())
    expect(await prisma.eventMessage.count({ where: { eventId: event.id, kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] } } })).toBe(0)
    expect((await eventScheduleSummary(await summaryEvent())).followUp.state).toBe('awaitingAttendance')

    // Staff check in the room.
    await prisma.registration.update({ where: { id: room }, data: { checkedInAt: new Date(endsAt.getTime() - 50 * minute), attendance: 'PRESENT' } })
    expect((await eventScheduleSummary(await summaryEvent())).followUp).toMatchObject({ state: 'due', attended: 2, absent: 1 })
    await recordDueFollowUps(new Date())
    const rows = await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] } }, orderBy: { registrationId: 'asc' } })
    expect(rows.map((row) => [row.registrationId, row.kind])).toEqual([
      [online, 'FOLLOW_UP_ATTENDED'],
      [room, 'FOLLOW_UP_ATTENDED'],
      [missed, 'FOLLOW_UP_ABSENT'],
    ])
  })
})
