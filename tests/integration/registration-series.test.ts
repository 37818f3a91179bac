// Whole-series registrations against real PostgreSQL: registering to the series registers to every future published
// session (capacity and approval per session, one series confirmation), a session added later takes the members
// in, and cancelling the series registration cancels the future sessions only (a past one keeps its row and its
// attendance), freeing seats for the waitlist.
import { describe, expect, it, vi } from 'vitest'
import { seedStaffId, uniqueTag } from '#tests/helpers/campaign.ts'
import { attendee, createTestEvent, createTestSeries, registrationFileHooks } from '#tests/helpers/registration.ts'
import { addSeriesMembersToEvent, cancelSeriesRegistration, registerForEvent, registerForSeries } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}rser`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_rseries`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})
registrationFileHooks(isolation.prefix)

const day = 24 * 60 * 60 * 1000
const inDays = (days: number) => new Date(Date.now() + days * day)

async function statusesOf(email: string) {
  const rows = await prisma.registration.findMany({ where: { email }, select: { eventId: true, status: true, attendance: true, source: true, seriesRegistrationId: true } })
  return new Map(rows.map((row) => [row.eventId, row]))
}

describe('series registrations', () => {
  it('registers to every future published session, one series confirmation; a later session takes members in; cancelling spares the past', async () => {
    const tag = uniqueTag('cycle')
    const series = await createTestSeries()
    const past = await createTestEvent({ seriesId: series.id, startsAt: inDays(-7) })
    const next = await createTestEvent({ seriesId: series.id, startsAt: inDays(1), capacity: 1, waitlistEnabled: true })
    const later = await createTestEvent({ seriesId: series.id, startsAt: inDays(8), capacity: 1, waitlistEnabled: true })
    const draft = await createTestEvent({ seriesId: series.id, startsAt: inDays(15), status: 'DRAFT' })
    const approval = await createTestEvent({ seriesId: series.id, startsAt: inDays(22), approvalRequired: true })
    // A session whose registration has not opened yet takes series members; one whose registration closed does not.
    const notYetOpen = await createTestEvent({ seriesId: series.id, startsAt: inDays(36), registrationOpensAt: inDays(20) })
    const closed = await createTestEvent({ seriesId: series.id, startsAt: inDays(4), registrationClosesAt: inDays(-1) })
    const elsewhere = await createTestEvent({ startsAt: inDays(3) })
    // `later` is already full: the series member waits there like anyone.
    await registerForEvent({ eventId: later.id, attendee: attendee(`${tag}-first@cycle.test`), answers: {}, source: 'PUBLIC' })

    const email = `${tag}-member@cycle.test`
    const outcome = await registerForSeries({ seriesId: series.id, attendee: attendee(`  ${email.toUpperCase()}`), source: 'PUBLIC' })
    expect(outcome.status).toBe('registered')
    if (outcome.status !== 'registered') return
    expect(new Map(outcome.sessions.map((session) => [session.eventId, session.status]))).toEqual(
      new Map([
        [next.id, 'CONFIRMED'],
        [later.id, 'WAITLISTED'],
        [approval.id, 'PENDING_APPROVAL'],
        [notYetOpen.id, 'CONFIRMED'],
      ]),
    )
    const rows = await statusesOf(email)
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([next.id, later.id, approval.id, notYetOpen.id])
    expect([...rows.values()].every((row) => row.source === 'SERIES' && row.seriesRegistrationId === outcome.seriesRegistrationId)).toBe(true)
    expect(rows.has(past.id) || rows.has(draft.id) || rows.has(elsewhere.id) || rows.has(closed.id)).toBe(false)
    // One series confirmation, no per-session notice.
    const messages = await prisma.eventMessage.findMany({ where: { seriesRegistrationId: outcome.seriesRegistrationId }, select: { kind: true } })
    expect(messages.map((row) => row.kind)).toEqual(['SERIES_CONFIRMATION'])
    // (Each confirmed session has its reminders, timed before its start: those are not notices.)
    expect(await prisma.eventMessage.count({ where: { registration: { email }, kind: { not: 'REMINDER' } } })).toBe(0)
    expect(await prisma.seriesRegistration.findUniqueOrThrow({ where: { id: outcome.seriesRegistrationId } })).toMatchObject({
      email,
      firstName: 'Camille',
      organization: 'Commune de Test',
      status: 'CONFIRMED',
    })

    expect(await registerForSeries({ seriesId: series.id, attendee: attendee(email), source: 'PUBLIC' })).toEqual({ status: 'already', seriesRegistrationId: outcome.seriesRegistrationId })
    expect(await prisma.seriesRegistration.count({ where: { seriesId: series.id } })).toBe(1)

    // A session added later (as createEvent would: the row, then the members): the member is in it, once. Another
    // member who joined the series after the session existed already has a row there and is left alone.
    const added = await createTestEvent({ seriesId: series.id, startsAt: inDays(29) })
    const individual = `${tag}-solo@cycle.test`
    const soloSeries = await registerForSeries({ seriesId: series.id, attendee: attendee(individual), source: 'PUBLIC' })
    expect(soloSeries.status).toBe('registered')
    expect(await addSeriesMembersToEvent(added.id)).toBe(1)
    expect(await addSeriesMembersToEvent(added.id)).toBe(0)
    expect(await prisma.registration.count({ where: { eventId: added.id } })).toBe(2)
    const addedRow = await prisma.registration.findUniqueOrThrow({ where: { eventId_email: { eventId: added.id, email } } })
    expect(addedRow).toMatchObject({ status: 'CONFIRMED', source: 'SERIES', seriesRegistrationId: outcome.seriesRegistrationId, firstName: 'Camille' })
    expect(await prisma.eventMessage.findMany({ where: { registrationId: addedRow.id, kind: { not: 'REMINDER' } }, select: { kind: true, detail: true } })).toEqual([
      { kind: 'CONFIRMATION', detail: 'series-session-added' },
    ])
    // A draft session takes nobody until published.
    expect(await addSeriesMembersToEvent(draft.id)).toBe(0)

    // The first session happened: the member attended. Then they leave the series (the clock is after `next`).
    await prisma.registration.updateMany({ where: { eventId: next.id, email }, data: { attendance: 'PRESENT' } })
    const afterNext = new Date(inDays(1).getTime() + 2 * 60 * 60 * 1000)
    expect(await cancelSeriesRegistration(outcome.seriesRegistrationId, afterNext)).toEqual({ cancelledSessions: 4 })
    expect(await cancelSeriesRegistration(outcome.seriesRegistrationId, afterNext)).toEqual({ cancelledSessions: 0 })
    const after = await statusesOf(email)
    expect(after.get(next.id)).toMatchObject({ status: 'CONFIRMED', attendance: 'PRESENT' })
    expect([later.id, approval.id, added.id, notYetOpen.id].map((id) => after.get(id)?.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED'])
    expect(await prisma.seriesRegistration.findUniqueOrThrow({ where: { id: outcome.seriesRegistrationId } })).toMatchObject({ status: 'CANCELLED' })
    const seriesMessages = await prisma.eventMessage.findMany({ where: { seriesRegistrationId: outcome.seriesRegistrationId }, orderBy: { id: 'asc' }, select: { kind: true } })
    expect(seriesMessages.map((row) => row.kind)).toEqual(['SERIES_CONFIRMATION', 'ALREADY_REGISTERED', 'SERIES_CANCELLED'])
    // The other member keeps every session.
    expect([...(await statusesOf(individual)).values()].every((row) => row.status !== 'CANCELLED')).toBe(true)

    // Back in the series later: the same series row, the future sessions again, a second confirmation.
    const back = await registerForSeries({ seriesId: series.id, attendee: attendee(email), source: 'PUBLIC' })
    expect(back).toMatchObject({ status: 'registered', seriesRegistrationId: outcome.seriesRegistrationId })
    expect(await prisma.eventMessage.count({ where: { seriesRegistrationId: outcome.seriesRegistrationId, kind: 'SERIES_CONFIRMATION' } })).toBe(2)
  })

  it('a seat a series member frees (staff cancelling their series registration, audited) goes to the first waitlisted person of that session', async () => {
    const tag = uniqueTag('free')
    const series = await createTestSeries()
    const session = await createTestEvent({ seriesId: series.id, startsAt: inDays(2), capacity: 1, waitlistEnabled: true })
    const member = await registerForSeries({ seriesId: series.id, attendee: attendee(`${tag}-member@free.test`), source: 'PUBLIC' })
    const waiting = await registerForEvent({ eventId: session.id, attendee: attendee(`${tag}-waiting@free.test`), answers: {}, source: 'PUBLIC' })
    expect(waiting).toMatchObject({ status: 'waitlisted' })
    if (member.status !== 'registered') throw new Error('series registration refused')
    const staffUserId = await seedStaffId(tag)
    expect(await cancelSeriesRegistration(member.seriesRegistrationId, new Date(), { staffUserId })).toEqual({ cancelledSessions: 1 })
    expect(await prisma.auditLog.count({ where: { actorId: staffUserId, action: 'series-registration.cancel', entityId: String(member.seriesRegistrationId) } })).toBe(1)
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: 'registrationId' in waiting ? waiting.registrationId : 0 } })).toMatchObject({ status: 'CONFIRMED' })
    expect(await prisma.eventMessage.count({ where: { eventId: session.id, kind: 'PROMOTED' } })).toBe(1)
  })

  it('refuses a draft or cancelled series and one with no future session, storing nothing', async () => {
    const tag = uniqueTag('series-refuse')
    const draft = await createTestSeries('DRAFT')
    const cancelled = await createTestSeries('CANCELLED')
    const over = await createTestSeries()
    await createTestEvent({ seriesId: over.id, startsAt: inDays(-1) })
    const input = (seriesId: number) => ({ seriesId, attendee: attendee(`${tag}@refuse.test`), source: 'PUBLIC' as const })
    expect(await registerForSeries(input(draft.id))).toEqual({ status: 'refused', reason: 'draft' })
    expect(await registerForSeries(input(cancelled.id))).toEqual({ status: 'refused', reason: 'cancelled' })
    expect(await registerForSeries(input(over.id))).toEqual({ status: 'refused', reason: 'no-future-session' })
    expect(await prisma.seriesRegistration.count({ where: { email: `${tag}@refuse.test` } })).toBe(0)
    expect(await prisma.registration.count({ where: { email: `${tag}@refuse.test` } })).toBe(0)
  })
})
