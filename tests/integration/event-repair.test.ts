// Steps an event edit runs after its commit (waitlist promotion after a capacity raise, series members added to a
// newly published session), redone by the event reconciler when the process died in between. The crash is
// simulated by changing the event with SQL only, as if the edit had committed and nothing after it had run. The
// reconciler is run once in this process and its effect read in the database; then a real worker process (whose
// own reconciler keeps running every second) sends the ledger to this file's SMTP listener, and what arrived is
// read from the .eml files: each new notice exactly once.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it, vi } from 'vitest'
import { eventMessageReconciler } from '#jobs/event.ts'
import { faultFileHarness, tallySink, uniqueTag, waitForSinkTotal } from '#tests/helpers/campaign.ts'
import { waitFor } from '#tests/helpers/processes.ts'
import { attendee, createTestEvent, createTestSeries } from '#tests/helpers/registration.ts'
import { cancelRegistration, cancelSeriesRegistration, registerForEvent, registerForSeries } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}erep`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_evrepair`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

const { setUp } = faultFileHarness({ label: 'event-repair', prefix: isolation.prefix })

/** The subjects each recipient received, read from the listener's .eml files. */
async function subjectsByRecipient(dir: string): Promise<Map<string, string[]>> {
  const byRecipient = new Map<string, string[]>()
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.eml'))) {
    const mail = await simpleParser(readFileSync(join(dir, file)))
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address?.toLowerCase() : undefined
    if (!to) continue
    byRecipient.set(to, [...(byRecipient.get(to) ?? []), mail.subject ?? ''].sort())
  }
  return byRecipient
}

async function waitForSink(dir: string, count: number, diagnostic: () => string): Promise<void> {
  try {
    await waitForSinkTotal(dir, count, undefined, 45_000)
  } catch (error) {
    throw new Error(`${String(error)} ${diagnostic().slice(-3000)}`)
  }
}

async function waitForLedger(where: { eventId?: number; seriesId?: number }, diagnostic: () => string): Promise<void> {
  await waitFor(
    // Reminders wait for their time (days ahead): only the rows due now are awaited.
    async () => (await prisma.eventMessage.count({ where: { status: 'SCHEDULED', kind: { not: 'REMINDER' }, ...where } })) === 0,
    60_000,
    `ledger rows sent (${diagnostic().slice(-3000)})`,
  )
}

/** Lets the worker's reconciler (every second here) run several rounds: a second copy would have come by then. */
async function severalReconcileRounds(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 4000))
}

async function statusesOf(eventId: number): Promise<Record<string, string>> {
  const rows = await prisma.registration.findMany({ where: { eventId }, select: { email: true, status: true } })
  return Object.fromEntries(rows.map((row) => [row.email, row.status]))
}

describe('after-commit steps repaired by the event reconciler', () => {
  it('a capacity raise whose promotion never ran: the first waitlisted get the seats, each told once', async () => {
    const tag = uniqueTag('seats')
    const { sink, workers } = await setUp(tag, {})
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
    const title = (await prisma.event.findUniqueOrThrow({ where: { id: event.id }, select: { title: true } })).title
    const [confirmed, first, second, third] = ['confirmed', 'first', 'second', 'third'].map((name) => `${tag}-${name}@repair.test`) as [string, string, string, string]
    for (const email of [confirmed, first, second, third]) {
      expect((await registerForEvent({ eventId: event.id, attendee: attendee(email), answers: {}, source: 'PUBLIC' })).status).not.toBe('refused')
    }
    // The edit committed (two more seats) and the process died before fillFreeSeats.
    await prisma.$executeRaw`UPDATE "Event" SET "capacity" = 3 WHERE "id" = ${event.id}`
    expect(await statusesOf(event.id)).toEqual({ [confirmed]: 'CONFIRMED', [first]: 'WAITLISTED', [second]: 'WAITLISTED', [third]: 'WAITLISTED' })

    await eventMessageReconciler.run(new Date())
    expect(await statusesOf(event.id)).toEqual({ [confirmed]: 'CONFIRMED', [first]: 'CONFIRMED', [second]: 'CONFIRMED', [third]: 'WAITLISTED' })
    await eventMessageReconciler.run(new Date())
    expect(await prisma.eventMessage.count({ where: { eventId: event.id, kind: 'PROMOTED' } })).toBe(2)

    await workers.start()
    // The waitlist notices of the two promoted are no longer true when the worker builds them: skipped.
    await waitForSink(sink.dir, 4, () => workers.output())
    await waitForLedger({ eventId: event.id }, () => workers.output())
    await severalReconcileRounds()
    expect(tallySink(sink.dir).total).toBe(4)
    const promoted = `Une place s’est libérée : votre inscription est confirmée (${title})`
    expect(Object.fromEntries(await subjectsByRecipient(sink.dir))).toEqual({
      [confirmed]: [`Votre inscription est confirmée : ${title}`],
      [first]: [promoted],
      [second]: [promoted],
      [third]: [`Vous êtes sur liste d’attente : ${title}`],
    })
  })

  it('a session published without its series members: the active members are added and told once, not those who left it or the series', async () => {
    const tag = uniqueTag('members')
    const { sink, workers } = await setUp(tag, {})
    const series = await createTestSeries()
    const seriesTitle = (await prisma.series.findUniqueOrThrow({ where: { id: series.id }, select: { title: true } })).title
    const existing = await createTestEvent({ seriesId: series.id })
    const [stays, skipsOne, leaves] = ['stays', 'skipsone', 'leaves'].map((name) => `${tag}-${name}@repair.test`) as [string, string, string]
    const members: Record<string, number> = {}
    for (const email of [stays, skipsOne, leaves]) {
      const outcome = await registerForSeries({ seriesId: series.id, attendee: attendee(email), source: 'PUBLIC' })
      if (outcome.status !== 'registered') throw new Error(`series registration of ${email}: ${outcome.status}`)
      members[email] = outcome.seriesRegistrationId
    }
    // One member cancels the existing session only (their CANCELLED row stays); another leaves the whole series.
    const skipped = await prisma.registration.findUniqueOrThrow({ where: { eventId_email: { eventId: existing.id, email: skipsOne } }, select: { id: true } })
    expect((await cancelRegistration({ registrationId: skipped.id, by: 'attendee' })).cancelled).toBe(true)
    expect((await cancelSeriesRegistration(members[leaves]!)).cancelledSessions).toBe(1)

    // A session of the series published by an edit that committed, its process dead before addSeriesMembersToEvent.
    const added = await createTestEvent({ seriesId: series.id, status: 'DRAFT' })
    await prisma.$executeRaw`UPDATE "Event" SET "status" = 'PUBLISHED' WHERE "id" = ${added.id}`
    const addedTitle = (await prisma.event.findUniqueOrThrow({ where: { id: added.id }, select: { title: true } })).title
    expect(await statusesOf(added.id)).toEqual({})

    await eventMessageReconciler.run(new Date())
    expect(await statusesOf(added.id)).toEqual({ [stays]: 'CONFIRMED', [skipsOne]: 'CONFIRMED' })
    expect(await prisma.registration.count({ where: { eventId: added.id, source: 'SERIES', seriesRegistrationId: { in: [members[stays]!, members[skipsOne]!] } } })).toBe(2)
    expect(await statusesOf(existing.id)).toEqual({ [stays]: 'CONFIRMED', [skipsOne]: 'CANCELLED', [leaves]: 'CANCELLED' })
    await eventMessageReconciler.run(new Date())
    expect(await prisma.registration.count({ where: { eventId: added.id } })).toBe(2)

    await workers.start()
    // stays: series confirmation + new session; skipsOne: the same + their cancellation; leaves: leaving the series
    // (their series confirmation is skipped, they left before it was built).
    await waitForSink(sink.dir, 6, () => workers.output())
    await waitForLedger({ seriesId: series.id }, () => workers.output())
    await waitForLedger({ eventId: added.id }, () => workers.output())
    await waitForLedger({ eventId: existing.id }, () => workers.output())
    await severalReconcileRounds()
    expect(tallySink(sink.dir).total).toBe(6)
    const seriesConfirmation = `Votre inscription au cycle ${seriesTitle} est enregistrée`
    const sessionAdded = `Nouvelle séance du cycle ${seriesTitle} : ${addedTitle}`
    const existingTitle = (await prisma.event.findUniqueOrThrow({ where: { id: existing.id }, select: { title: true } })).title
    const subjects = await subjectsByRecipient(sink.dir)
    expect(subjects.get(stays)).toEqual([seriesConfirmation, sessionAdded].sort())
    expect(subjects.get(skipsOne)).toEqual([seriesConfirmation, sessionAdded, `Votre inscription est annulée : ${existingTitle}`].sort())
    expect(subjects.get(leaves)).toEqual([`Votre inscription au cycle ${seriesTitle} est annulée`])
  })
})
