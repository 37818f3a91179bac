// Campaign fixtures for the sending tests: a database of the file's own (a worker's reconciler and scheduler look at
// every campaign of their database, so a worker started by another test file, with another Redis prefix and SMTP
// listener, would otherwise take this file's campaigns, and this file's workers theirs), seeded audiences, a
// campaign ready to launch, worker processes pointed at a listener of the file's own, and counts of what that
// listener received, read from the .eml files themselves (their To header), never from the database.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, inject } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import type { CampaignStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { applyMigrations } from '../../prisma/migrations.ts'
import { createScratchDatabase, dropScratchDatabase } from './postgres.ts'
import { startProcess, waitFor, type RunningProcess } from './processes.ts'
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './smtp-sink.ts'
import { envFor } from './test-env.ts'

/** Creates and migrates the database that process.env.DATABASE_URL names (set by the file's `vi.hoisted`). */
export async function openFileDatabase(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? '')
  await createScratchDatabase(url.pathname.slice(1))
  await applyMigrations(process.env.DATABASE_URL ?? '')
  await prisma.organization.upsert({
    where: { id: 1 },
    create: { id: 1, name: 'Réseau Relais (essai)', postalAddress: '1 rue des Essais, 75000 Paris', replyTo: 'contact@relais.test' },
    update: {},
  })
}

export async function closeFileDatabase(): Promise<void> {
  await prisma.$disconnect()
  if (!process.env.TEST_KEEP_DATABASE) await dropScratchDatabase(new URL(process.env.DATABASE_URL ?? '').pathname.slice(1))
}

/** Removes every key of a Redis prefix (its queues, heartbeats, limits), never anything else of the shared DB. */
export async function deletePrefixKeys(prefix: string): Promise<number> {
  let cursor = '0'
  let removed = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) removed += await redis.unlink(...keys)
  } while (cursor !== '0')
  return removed
}

let sequence = 0
/** A tag unique to this test run and call, for addresses, slugs and names. */
export function uniqueTag(label: string): string {
  sequence += 1
  return `${label}${sequence}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
}

export interface SeededAudience {
  listIds: number[]
  contacts: Array<{ id: number; email: string }>
}

/**
 * `count` confirmed contacts on one new list (addresses `<tag>-<i>@faults.test`); `emails` adds chosen addresses
 * (e.g. one that the listener refuses). With `lists: 2`, every contact is on the first list and every other one on
 * the second as well, so the audience overlaps.
 */
export async function seedAudience(input: { tag: string; count: number; emails?: string[]; lists?: number }): Promise<SeededAudience> {
  const listIds: number[] = []
  for (let index = 0; index < (input.lists ?? 1); index += 1) {
    const list = await prisma.mailingList.create({ data: { slug: `${input.tag}-l${index}`, name: `Lettre ${input.tag} ${index}`, doubleOptIn: false } })
    listIds.push(list.id)
  }
  const emails = [...Array.from({ length: input.count }, (_, i) => `${input.tag}-${i}@faults.test`), ...(input.emails ?? [])].map((email) => email.toLowerCase())
  await prisma.contact.createMany({ data: emails.map((email, i) => ({ email, firstName: i % 5 === 0 ? null : `Prénom${i}`, lastName: `Nom${i}` })) })
  const contacts = await prisma.contact.findMany({ where: { email: { in: emails } }, select: { id: true, email: true }, orderBy: { id: 'asc' } })
  const confirmedAt = new Date()
  await prisma.subscription.createMany({
    data: contacts.flatMap((contact, i) =>
      listIds.filter((_, listIndex) => listIndex === 0 || i % 2 === 0).map((listId) => ({ contactId: contact.id, listId, status: 'CONFIRMED' as const, confirmedAt })),
    ),
  })
  return { listIds, contacts: contacts.map((contact) => ({ id: contact.id, email: contact.email! })) }
}

/** A draft campaign to `listIds`, personalised (first name with fallback, in subject and body), with a sender. */
export async function seedCampaign(input: { tag: string; listIds: number[]; scheduledAt?: Date }): Promise<number> {
  const sender = await prisma.senderIdentity.create({ data: { name: 'Relais essais', email: `${input.tag}-sender@relais.test`, ratePerSecond: 10_000, ratePerHour: 10_000_000 } })
  const campaign = await prisma.campaign.create({
    data: {
      name: `Campagne ${input.tag}`,
      subject: `Les nouvelles de {{prenom|nos lecteurs}} (${input.tag})`,
      preheader: 'Ce mois-ci dans le réseau',
      senderIdentityId: sender.id,
      content: [
        { id: 'h1', type: 'heading', text: 'Bonjour {{prenom|à vous}}', level: 1 },
        { id: 't1', type: 'text', html: '<p>Voici les nouvelles du réseau, {{prenom|chère lectrice, cher lecteur}}.</p><p><a href="https://relais.test/agenda">Agenda</a></p>' },
        { id: 'b1', type: 'button', label: 'Lire la suite', url: 'https://relais.test/suite' },
      ],
      scheduledAt: input.scheduledAt ?? null,
      lists: { create: input.listIds.map((listId) => ({ listId })) },
    },
  })
  return campaign.id
}

/** Polls the campaign until its status is one of `statuses`; `diagnostic` is added to the timeout's message. */
export async function waitForCampaignStatus(
  campaignId: number,
  statuses: CampaignStatus[],
  timeoutMs = 45_000,
  diagnostic: () => string = () => '',
): Promise<CampaignStatus> {
  let last: CampaignStatus | undefined
  try {
    return await waitFor(
      async () => {
        last = (await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).status
        return statuses.includes(last) ? last : undefined
      },
      timeoutMs,
      `campaign ${campaignId} to be ${statuses.join('/')}`,
    )
  } catch (error) {
    const counts = await prisma.delivery.groupBy({ by: ['status'], where: { campaignId }, _count: true })
    throw new Error(`${String(error)} (last ${last}; ledger ${JSON.stringify(counts)}) ${diagnostic()}`)
  }
}

export interface SinkTally {
  /** Messages per recipient (the To header, lower case). */
  byRecipient: Map<string, number>
  total: number
  /** Recipients with more than one message, and how many each got. */
  duplicates: Array<[string, number]>
}

function headerValue(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line?.slice(name.length + 1).trim()
}

/** The address of a To header (`Name <a@b>` or `a@b`), lower case. */
export function toAddress(raw: string): string | undefined {
  const value = headerValue(raw, 'To')
  if (!value) return undefined
  return (/<([^>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase()
}

/** Counts the messages a listener's folder holds, per recipient, from each .eml file's To header. */
export function tallySink(dir: string, only?: (address: string) => boolean): SinkTally {
  const byRecipient = new Map<string, number>()
  let total = 0
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.eml')) continue
      const address = toAddress(readFileSync(join(dir, file), 'utf8').slice(0, 16_384))
      if (!address || (only && !only(address))) continue
      byRecipient.set(address, (byRecipient.get(address) ?? 0) + 1)
      total += 1
    }
  }
  const duplicates = [...byRecipient].filter(([, count]) => count > 1)
  return { byRecipient, total, duplicates }
}

/** Waits until the folder holds at least `count` messages to addresses `only` accepts. */
export async function waitForSinkTotal(dir: string, count: number, only?: (address: string) => boolean, timeoutMs = 30_000): Promise<SinkTally> {
  return waitFor(async () => {
    const tally = tallySink(dir, only)
    return tally.total >= count ? tally : undefined
  }, timeoutMs, `${count} messages in ${dir} (have ${tallySink(dir, only).total})`)
}

/** Worker processes of one test file, all pointed at the file's database, Redis prefix and SMTP listener. */
export class CampaignWorkers {
  private readonly running: RunningProcess[] = []
  private readonly started: RunningProcess[] = []

  constructor(private readonly settings: { prefix: string; smtpPort: number; env?: Record<string, string> }) {}

  /** Starts jobs/worker.ts and resolves once its heartbeat is in Redis (its queues are then being worked). */
  async start(extraEnv: Record<string, string> = {}): Promise<RunningProcess> {
    const worker = startProcess('jobs/worker.ts', {
      ...envFor(inject('testContext')),
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      QUEUE_PREFIX: this.settings.prefix,
      SMTP_URL: `smtp://127.0.0.1:${this.settings.smtpPort}`,
      ...this.settings.env,
      ...extraEnv,
    })
    this.running.push(worker)
    this.started.push(worker)
    const key = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
    await waitFor(async () => (await redis.exists(key)) === 1, 30_000, `worker heartbeat (${worker.output()})`)
    return worker
  }

  /** The output of every worker started so far (for a failure's message). */
  output(): string {
    return this.started.map((worker, index) => `--- worker ${index} (pid ${worker.child.pid})\n${worker.output().slice(-4000)}`).join('\n')
  }

  async killAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((worker) => worker.stop('SIGKILL')))
  }
}

/**
 * Campaign knobs for the fault tests: four SMTP connections (the in-flight bound), batches of ten, a claim given up
 * five seconds after its worker stopped renewing it, a reconciler every second, retries after a few hundred ms, and
 * BullMQ locks of three seconds (a killed worker's job is taken over within seconds, not a minute).
 */
export const fastCampaignKnobs = {
  CAMPAIGN_SMTP_CONNECTIONS: '4',
  CAMPAIGN_BATCH_SIZE: '10',
  CAMPAIGN_CLAIM_LEASE_MS: '5000',
  CAMPAIGN_RECONCILE_INTERVAL_MS: '1000',
  CAMPAIGN_RETRY_BASE_MS: '300',
  WORKER_LOCK_DURATION_MS: '3000',
} as const

/** A staff member to act as (resume, schedule): made straight in the database. */
export async function seedStaffId(tag: string): Promise<number> {
  return (await prisma.staffUser.create({ data: { email: `${tag}-staff@relais.test`, name: 'Équipe essais', role: 'ADMIN', status: 'ACTIVE' } })).id
}

/** A line in the test output (a figure the test measured and wants read, e.g. duplicates against their bound). */
export function report(line: string): void {
  process.stdout.write(`${line}\n`)
}

/** An audience of `count` contacts, a campaign to its lists and a staff id to launch it with. */
export async function seedAudienceAndCampaign(tag: string, count: number) {
  const audience = await seedAudience({ tag, count })
  const campaignId = await seedCampaign({ tag, listIds: audience.listIds })
  return { audience, emails: audience.contacts.map((contact) => contact.email), campaignId, staffId: await seedStaffId(tag) }
}

/**
 * The life cycle every fault test file shares, registered as its hooks: the file's own database (opened before,
 * dropped after), per test an SMTP listener of its own (folder `<mail dir>-<label>/<tag>`) with worker processes
 * pointed at it (killed after each test), and at the end the file's queues and Redis keys removed.
 * Call at the top level of the file, after the `vi.hoisted` block that set its QUEUE_PREFIX and DATABASE_URL.
 */
/**
 * Ends a test file that ran its own web server, workers and SMTP sink on a database and queue prefix of its own:
 * processes stopped, queues closed, the prefix's Redis keys removed, the database dropped, the sink's folder removed.
 */
export async function closeFileServices(input: {
  prefix: string
  workers?: CampaignWorkers
  web?: RunningProcess
  sink?: SmtpSink
  sinkDir: string
}): Promise<void> {
  await input.workers?.killAll()
  await input.web?.stop()
  await input.sink?.close()
  await closeQueues()
  await deletePrefixKeys(input.prefix)
  await redis.quit()
  await closeFileDatabase()
  rmSync(input.sinkDir, { recursive: true, force: true })
}

export function faultFileHarness(input: { label: string; prefix: string; workerEnv?: () => Record<string, string> }) {
  const sinkRoot = `${inject('mailDir')}-${input.label}`
  const sinks: SmtpSink[] = []
  let workers: CampaignWorkers | undefined
  beforeAll(async () => {
    await openFileDatabase()
  })
  afterEach(async () => {
    await workers?.killAll()
    await Promise.all(sinks.splice(0).map((sink) => sink.close()))
  })
  afterAll(async () => {
    await closeQueues()
    await deletePrefixKeys(input.prefix)
    await redis.quit()
    await closeFileDatabase()
    if (!process.env.TEST_KEEP_DATABASE) rmSync(sinkRoot, { recursive: true, force: true })
  })
  return {
    /** A listener of the test's own and workers pointed at it. */
    async setUp(tag: string, options: SmtpSinkOptions) {
      const sink = await startSmtpSink(`${sinkRoot}/${tag}`, 0, options)
      sinks.push(sink)
      workers = new CampaignWorkers({ prefix: input.prefix, smtpPort: sink.port, env: { ...fastCampaignKnobs, ...input.workerEnv?.() } })
      return { sink, workers }
    },
  }
}
