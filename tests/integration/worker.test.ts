// The worker process (jobs/worker.ts) started for real: it sends queued emails through SMTP, finishes a send in
// flight before exiting on SIGTERM, takes over a job whose worker was killed, and a double enqueue sends once.
import { hostname } from 'node:os'
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { closeQueues, enqueueEmail, getQueue, jobIdFor, queueNames } from '#jobs/queues.ts'
import { messagesTo, uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { envFor } from '#tests/helpers/test-env.ts'
import { isSuppressed, suppressAddress } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { type OutgoingEmail } from '~/utils/mail.server.ts'
import { redis } from '~/utils/redis.server.ts'

// This file's workers and jobs live under a key prefix of their own (set before the app modules read the
// environment), so a worker started by another test file never takes these jobs and these workers never take theirs.
const queuePrefix = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}wk`
  process.env.QUEUE_PREFIX = prefix
  return prefix
})

const context = inject('testContext')
const running: RunningProcess[] = []

/** Starts jobs/worker.ts and resolves once its heartbeat is in Redis (its workers are then listening). */
async function startWorker(extraEnv: Record<string, string> = {}): Promise<RunningProcess> {
  const worker = startProcess('jobs/worker.ts', { ...envFor(context), QUEUE_PREFIX: queuePrefix, ...extraEnv })
  running.push(worker)
  const key = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
  await waitFor(async () => (await redis.exists(key)) === 1, 30_000, `worker heartbeat (${worker.output()})`)
  return worker
}

function message(to: string, label: string): OutgoingEmail {
  return {
    idempotencyKey: `test-worker:${label}:${to}`,
    template: 'test-worker',
    to,
    subject: `Essai du worker (${label})`,
    html: `<p>Bonjour, ceci est un essai : ${label}.</p>`,
    text: `Bonjour, ceci est un essai : ${label}.`,
    kind: 'transactional',
  }
}

const jobState = (email: OutgoingEmail) => getQueue('email').getJobState(jobIdFor('email', email.idempotencyKey))
const outboundRow = (email: OutgoingEmail) => prisma.outboundEmail.findUnique({ where: { idempotencyKey: email.idempotencyKey } })

/** Waits until the worker has claimed the message (row PENDING with an attempt) and its job is active. */
async function waitUntilSending(email: OutgoingEmail): Promise<void> {
  await waitFor(
    async () => (await jobState(email)) === 'active' && (await outboundRow(email))?.status === 'PENDING' && ((await outboundRow(email))?.attempts ?? 0) >= 1,
    20_000,
    'the send to be in flight',
  )
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop('SIGKILL')))
})

afterAll(async () => {
  // The test Redis outlives the run: leave nothing of this file's prefix behind.
  await Promise.all(queueNames.map((name) => getQueue(name).obliterate({ force: true })))
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

describe('worker process', () => {
  it('sends an enqueued email through SMTP and records it', async () => {
    await startWorker()
    const to = uniqueAddress('worker')
    const email = message(to, 'simple')
    await enqueueEmail(email)

    const [received] = await waitForMessages(to)
    expect(received!.parsed.subject).toBe('Essai du worker (simple)')
    expect(received!.parsed.text).toContain('ceci est un essai : simple')
    await waitFor(async () => (await jobState(email)) === 'completed', 10_000, 'job completed')
    expect(await outboundRow(email)).toMatchObject({ status: 'SENT', attempts: 1 })
  })

  it('enqueues one job for a double click, before and after it was sent', async () => {
    await startWorker()
    const queue = getQueue('email')
    const completedBefore = (await queue.getJobCounts('completed')).completed ?? 0
    const to = uniqueAddress('double')
    const email = message(to, 'double')

    await Promise.all([enqueueEmail(email), enqueueEmail({ ...email })])
    await waitForMessages(to)
    await waitFor(async () => (await jobState(email)) === 'completed', 10_000, 'job completed')
    await enqueueEmail(email)

    // This file's queue is otherwise idle: one job ran, none is left waiting, one message arrived.
    const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'delayed', 'prioritized')
    expect(counts).toMatchObject({ completed: completedBefore + 1, waiting: 0, active: 0, delayed: 0, prioritized: 0 })
    expect(await messagesTo(to)).toHaveLength(1)
  })

  it('fails a permanently refused message at once and retries a deferred one until it is sent', async () => {
    await startWorker()
    const refused = message(uniqueAddress('refused+smtp550'), 'refused')
    const deferredTo = uniqueAddress('deferred+smtp451')
    const deferred = message(deferredTo, 'deferred')
    await Promise.all([enqueueEmail(refused), enqueueEmail(deferred)])

    // 550: no retry, the job fails after one attempt and the ledger says FAILED.
    await waitFor(async () => (await jobState(refused)) === 'failed', 15_000, 'the refused job to fail')
    const refusedJob = await getQueue('email').getJob(jobIdFor('email', refused.idempotencyKey))
    expect(refusedJob?.attemptsMade).toBe(1)
    expect(await outboundRow(refused)).toMatchObject({ status: 'FAILED', attempts: 1 })
    // A 550 to the recipient is a hard bounce: the address is suppressed (by hash) for every later message.
    expect(await isSuppressed(refused.to)).toBe(true)
    expect(await isSuppressed(deferredTo)).toBe(false)

    // 451 on the first try only: the backoff retry (seconds later) delivers it.
    await waitForMessages(deferredTo, 1, 40_000)
    expect(await outboundRow(deferred)).toMatchObject({ status: 'SENT', attempts: 2 })
  }, 60_000)

  it('does not send to an address suppressed after the message was queued', async () => {
    const to = uniqueAddress('bounced-since')
    const email = message(to, 'suppressed')
    await enqueueEmail(email)
    // The address bounces elsewhere before this message's turn comes (no worker runs yet).
    await suppressAddress({ email: to, reason: 'HARD_BOUNCE', detail: 'test' })
    await startWorker()
    await waitFor(async () => (await jobState(email)) === 'completed', 15_000, 'job completed')
    const job = await getQueue('email').getJob(jobIdFor('email', email.idempotencyKey))
    expect(job?.returnvalue).toMatchObject({ status: 'suppressed' })
    expect(await messagesTo(to)).toHaveLength(0)
    expect(await outboundRow(email)).toBeNull()
  })

  it('finishes the send in flight on SIGTERM, exits 0, and a new worker sends nothing twice', async () => {
    const first = await startWorker()
    const to = uniqueAddress('graceful+smtpslow')
    const email = message(to, 'graceful')
    await enqueueEmail(email)
    // The test SMTP listener holds its answer to a "+smtpslow" message for two seconds: the signal lands mid-send.
    await waitUntilSending(email)

    expect(await first.stop('SIGTERM')).toBe(0)
    expect(await messagesTo(to)).toHaveLength(1)
    expect(await jobState(email)).toBe('completed')
    expect(await outboundRow(email)).toMatchObject({ status: 'SENT', attempts: 1 })

    // A new worker, then a later message: once that one has arrived, the first would have been sent again if it
    // were ever going to be (one queue, processed in order).
    const second = await startWorker({ WORKER_CONCURRENCY_EMAIL: '1' })
    const markerTo = uniqueAddress('after-restart')
    await enqueueEmail(message(markerTo, 'marker'))
    await waitForMessages(markerTo)
    expect(await messagesTo(to)).toHaveLength(1)
    expect(await second.stop('SIGTERM')).toBe(0)
  }, 60_000)

  it('takes over the job of a worker killed mid-send and delivers it', async () => {
    // Short locks so that the killed worker's job is declared stalled within seconds rather than a minute.
    const lock = { WORKER_LOCK_DURATION_MS: '3000' }
    const first = await startWorker(lock)
    const to = uniqueAddress('killed+smtpslow')
    const email = message(to, 'killed')
    await enqueueEmail(email)
    await waitUntilSending(email)
    // Half-way through the listener's two-second wait: the message has been transmitted, its "250 OK" not yet.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await first.stop('SIGKILL')

    await startWorker(lock)
    await waitFor(async () => (await jobState(email)) === 'completed', 45_000, 'the stalled job to be completed by the new worker')
    const row = await outboundRow(email)
    expect(row).toMatchObject({ status: 'SENT', attempts: 2 })

    // What really happens: the listener had the whole message when the worker died, and it keeps it; the worker
    // never saw the acknowledgement, so the row was still PENDING and the taken-over job sent it again. This is
    // SMTP's at-least-once edge: the idempotency key stops a resend only once a send was recorded as SENT (a kill
    // after that point gives one copy: the retry answers "already-sent"). Both copies carry the same Message-ID,
    // so a receiving server or mail client can recognise the duplicate.
    const copies = await waitForMessages(to, 2)
    expect(copies).toHaveLength(2)
    expect(new Set(copies.map((copy) => copy.parsed.messageId))).toEqual(new Set([row!.messageId]))
  }, 90_000)
})
