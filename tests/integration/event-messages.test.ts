// The event-message ledger end to end: rows written with a registration are sent by real worker processes
// (jobs/worker.ts) to an SMTP listener of this file's own, and counted from the .eml files that listener kept (their
// To header), never from the database. The database is read only to know when to act (a row sent, an attempt made).
//
// How "exactly once" is proven: every ledger row of the test maps to one recipient address, and after the faults
// (a worker killed with SIGKILL while its jobs wait for retries, every Redis key of the file's prefix deleted, and a
// row put back to SCHEDULED as if a worker had died between the SMTP "250" and its SENT mark) and a restart, the
// listener holds exactly one message per address, the restarted worker's reconciler having had several rounds to
// send a second one.
import { UnrecoverableError, Worker } from 'bullmq'
import { describe, expect, it, vi } from 'vitest'
import { deletePrefixKeys, faultFileHarness, tallySink, uniqueTag, waitForSinkTotal } from '#tests/helpers/campaign.ts'
import { enqueueEventMessages, eventMessageJobKey } from '#jobs/event-dispatch.ts'
import { getQueue, jobIdFor } from '#jobs/queues.ts'
import { waitFor } from '#tests/helpers/processes.ts'
import { attendee, createTestEvent } from '#tests/helpers/registration.ts'
import { recordMessages } from '~/models/event-message.server.ts'
import { cancelRegistration, registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { createRedis } from '~/utils/redis.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}emsg`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_evmsg`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

const { setUp } = faultFileHarness({ label: 'event-messages', prefix: isolation.prefix })

async function registerAll(eventId: number, emails: string[]): Promise<void> {
  for (const email of emails) {
    const outcome = await registerForEvent({ eventId, attendee: attendee(email), answers: {}, source: 'PUBLIC' })
    expect(outcome.status, email).not.toBe('refused')
  }
}

/** Waits until every ledger row of these addresses is out of SCHEDULED (sent, or skipped with a reason). */
async function waitForLedger(emails: string[], diagnostic: () => string): Promise<void> {
  await waitFor(
    // Reminders wait for their time (days ahead): only the rows due now are awaited.
    async () => (await prisma.eventMessage.count({ where: { status: 'SCHEDULED', kind: { not: 'REMINDER' }, registration: { email: { in: emails } } } })) === 0,
    60_000,
    `ledger rows sent (${diagnostic().slice(-3000)})`,
  )
}

/** Lets the worker's reconciler (every second here) run several rounds: a second copy would have come by then. */
async function severalReconcileRounds(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 4000))
}

describe('event messages', () => {
  it('a registration’s confirmation, waitlist notice, cancellation and promotion each arrive once; a refused address fails for good', async () => {
    const tag = uniqueTag('once')
    const refused = `${tag}-refused@once.test`
    const { sink, workers } = await setUp(tag, { refuse: (address) => address === refused })
    await workers.start()
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
    const [first, second] = [`${tag}-first@once.test`, `${tag}-second@once.test`]
    await registerAll(event.id, [first, second])
    await waitForSinkTotal(sink.dir, 2)
    await waitForLedger([first, second], () => workers.output())
    await severalReconcileRounds()
    expect(Object.fromEntries(tallySink(sink.dir).byRecipient)).toEqual({ [first]: 1, [second]: 1 })

    // The first person leaves: they are told, and the second moves up and is told.
    const firstId = (await prisma.registration.findFirstOrThrow({ where: { email: first }, select: { id: true } })).id
    await cancelRegistration({ registrationId: firstId, by: 'attendee' })
    await waitForSinkTotal(sink.dir, 4)
    await waitForLedger([first, second], () => workers.output())
    await severalReconcileRounds()
    expect(Object.fromEntries(tallySink(sink.dir).byRecipient)).toEqual({ [first]: 2, [second]: 2 })
    expect(await prisma.eventMessage.findMany({ where: { eventId: event.id, kind: { not: 'REMINDER' } }, orderBy: { id: 'asc' }, select: { kind: true, status: true } })).toEqual([
      { kind: 'CONFIRMATION', status: 'SENT' },
      { kind: 'WAITLISTED', status: 'SENT' },
      { kind: 'CANCELLATION', status: 'SENT' },
      { kind: 'PROMOTED', status: 'SENT' },
    ])

    // The receiving server refuses an address for good (550): the row says so, the address is suppressed, and
    // nothing is retried.
    const other = await createTestEvent()
    await registerAll(other.id, [refused])
    await waitFor(
      async () => (await prisma.eventMessage.findFirst({ where: { eventId: other.id, status: 'FAILED' }, select: { detail: true } }))?.detail,
      60_000,
      `the refused row to fail (${workers.output().slice(-2000)})`,
    )
    expect(await prisma.eventMessage.findFirstOrThrow({ where: { eventId: other.id, kind: 'CONFIRMATION' }, select: { detail: true } })).toEqual({ detail: 'permanent SMTP refusal (550)' })
    expect(sink.refused.get(refused)).toBe(1)
    expect(tallySink(sink.dir).byRecipient.has(refused)).toBe(false)
    expect(await prisma.suppression.count({ where: { reason: 'HARD_BOUNCE', emailHash: emailHash(refused) } })).toBe(1)
  })

  it('SIGKILL while the SMTP server is down, Redis keys lost, a row left unmarked after its send: each ledger row still arrives exactly once', async () => {
    const tag = uniqueTag('fault')
    const { sink, workers } = await setUp(tag, {})
    const first = await workers.start()
    const event = await createTestEvent()
    const before = Array.from({ length: 8 }, (_, index) => `${tag}-before${index}@fault.test`)
    const during = Array.from({ length: 8 }, (_, index) => `${tag}-during${index}@fault.test`)

    // Sent normally.
    await registerAll(event.id, before)
    await waitForSinkTotal(sink.dir, before.length)
    await waitForLedger(before, () => workers.output())

    // The SMTP server goes down: the worker tries each new row, fails (421, temporary) and waits to retry.
    sink.setDown(true)
    await registerAll(event.id, during)
    await waitFor(
      async () => (await prisma.outboundEmail.count({ where: { toAddress: { in: during }, attempts: { gte: 1 } } })) === during.length,
      60_000,
      `a first attempt for every row (${workers.output().slice(-2000)})`,
    )
    await first.stop('SIGKILL')
    // Redis loses the file's every key: the retries waiting there are gone with it.
    expect(await deletePrefixKeys(isolation.prefix)).toBeGreaterThan(0)
    // A worker that died after the SMTP "250" (mail module recorded SENT) but before marking the ledger row.
    const unmarked = await prisma.eventMessage.findFirstOrThrow({ where: { registration: { email: before[0] } }, select: { id: true } })
    await prisma.eventMessage.update({ where: { id: unmarked.id }, data: { status: 'SCHEDULED', sentAt: null } })

    sink.setDown(false)
    await workers.start()
    await waitForSinkTotal(sink.dir, before.length + during.length, undefined, 60_000)
    await waitForLedger([...before, ...during], () => workers.output())
    await severalReconcileRounds()

    const tally = tallySink(sink.dir)
    expect(tally.duplicates).toEqual([])
    expect([...tally.byRecipient.keys()].sort()).toEqual([...before, ...during].sort())
    expect(await prisma.eventMessage.count({ where: { eventId: event.id, status: 'SENT' } })).toBe(before.length + during.length)
  })

  it('a row committed while Redis could not take its job is sent by the running worker’s periodic reconciler', async () => {
    const tag = uniqueTag('tick')
    const { sink, workers } = await setUp(tag, {})
    await workers.start()
    const event = await createTestEvent()
    const email = `${tag}-lost@tick.test`
    // The registration and its ledger row are committed, but no job is added (as when Redis is down at commit):
    // only the worker's timer, which reads the ledger, can find it.
    await prisma.$transaction(async (tx) => {
      const registration = await tx.registration.create({
        data: { eventId: event.id, email, firstName: 'Camille', lastName: 'Essai', status: 'CONFIRMED', token: `tick-${tag}` },
      })
      await recordMessages(tx, [{ kind: 'CONFIRMATION', eventId: event.id, registrationId: registration.id, idempotencyKey: `reg:${registration.id}:confirmation:new` }])
    })
    await waitForSinkTotal(sink.dir, 1, (address) => address === email, 30_000)
    await waitForLedger([email], () => workers.output())
    await severalReconcileRounds()
    expect(Object.fromEntries(tallySink(sink.dir).byRecipient)).toEqual({ [email]: 1 })
  })

  it('a job that failed for good without reaching its row (its worker died on the last attempt) is queued again', async () => {
    const tag = uniqueTag('dead')
    const { sink, workers } = await setUp(tag, {})
    const event = await createTestEvent()
    const email = `${tag}-dead@dead.test`
    // A row due a quarter of an hour ago, still SCHEDULED.
    const messageId = await prisma.$transaction(async (tx) => {
      const registration = await tx.registration.create({
        data: { eventId: event.id, email, firstName: 'Camille', lastName: 'Essai', status: 'CONFIRMED', token: `dead-${tag}` },
      })
      const [id] = await recordMessages(tx, [
        { kind: 'CONFIRMATION', eventId: event.id, registrationId: registration.id, idempotencyKey: `reg:${registration.id}:confirmation:new`, dueAt: new Date(Date.now() - 15 * 60_000) },
      ])
      return id!
    })
    // Its job sits in Redis's failed set, as BullMQ leaves a job that stalled too often: a worker of this test fails it.
    const jobId = jobIdFor('event', eventMessageJobKey(messageId))
    await getQueue('event').add('message', { messageId }, { jobId, attempts: 1, removeOnFail: false })
    const connection = createRedis('worker')
    const killer = new Worker('event', async () => Promise.reject(new UnrecoverableError('simulated dead worker')), { connection, prefix: isolation.prefix })
    await waitFor(async () => (await getQueue('event').getJob(jobId))?.isFailed(), 30_000, 'the job to fail')
    await killer.close()
    await connection.quit()
    // Adding the same id again does nothing while that failed job exists: the trap the reconciler must get out of.
    await enqueueEventMessages([{ id: messageId, dueAt: new Date() }])
    expect(await (await getQueue('event').getJob(jobId))?.isFailed()).toBe(true)

    await workers.start()
    await waitForSinkTotal(sink.dir, 1, (address) => address === email, 30_000)
    await waitForLedger([email], () => workers.output())
    await severalReconcileRounds()
    expect(Object.fromEntries(tallySink(sink.dir).byRecipient)).toEqual({ [email]: 1 })
  })
})
