// Erasure (RGPD), by the person from the preference centre and by staff: afterwards the address is found in no
// text column of any table and in no job of any queue, consent proofs stay (tied to nobody), past events keep
// their seat counts, and only the address's hash stays in the suppression list.
import { randomUUID } from 'node:crypto'
import { Queue, Worker } from 'bullmq'
import { afterAll, describe, expect, inject, it, vi } from 'vitest'
import { closeQueues, getQueue, queueNames } from '#jobs/queues.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { programActor } from '~/models/audit.server.ts'
import { eraseContact } from '~/models/privacy.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'
import { isSuppressed } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { preferencesUrl } from '~/utils/links.server.ts'
import { createRedis } from '~/utils/redis.server.ts'

// This file's jobs live under a prefix of their own, so no worker started elsewhere takes them.
const queuePrefix = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}er`
  process.env.QUEUE_PREFIX = prefix
  return prefix
})

const { appUrl, queuePrefix: serverPrefix } = inject('testContext')
const workerConnection = createRedis('worker')
// The web server under test erases with the run's prefix: the self-service test queues its jobs there.
const serverQueues = queueNames.map((name) => new Queue(name, { connection: workerConnection, prefix: serverPrefix }))

afterAll(async () => {
  for (const name of queueNames) await getQueue(name).obliterate({ force: true })
  await closeQueues()
  await Promise.all(serverQueues.map((queue) => queue.close()))
  workerConnection.disconnect()
})

function queuesOf(prefix: 'own' | 'server'): Queue[] {
  return prefix === 'own' ? queueNames.map((name) => getQueue(name)) : serverQueues
}

function emailJob(to: string, label: string) {
  return { idempotencyKey: `erasure-test:${label}:${randomUUID()}`, template: 'test', to, subject: 'Essai', html: '<p>x</p>', text: 'x', kind: 'marketing' as const }
}

/** One job in each state a job can rest in (completed, failed, delayed, waiting), all addressed to `to`. */
async function queueJobsTo(to: string, prefix: 'own' | 'server'): Promise<void> {
  const queue = queuesOf(prefix)[0]!
  await queue.add('send', emailJob(to, 'delayed'), { delay: 3_600_000 })
  // Under the server's prefix another file's worker may run: a job it could take would race with the erasure.
  if (prefix === 'server') return
  const worker = new Worker('email', null, { connection: workerConnection, prefix: queuePrefix, autorun: false })
  await queue.add('send', emailJob(to, 'completed'))
  let job = await worker.getNextJob('tok-1')
  await job?.moveToCompleted('ok', 'tok-1', false)
  await queue.add('send', emailJob(to, 'failed'), { attempts: 1 })
  job = await worker.getNextJob('tok-2')
  await job?.moveToFailed(new Error('permanent SMTP refusal (550)'), 'tok-2', false)
  await queue.add('send', emailJob(to, 'waiting'))
  await worker.close()
}

async function jobsMentioning(address: string, prefix: 'own' | 'server'): Promise<number> {
  let found = 0
  for (const queue of queuesOf(prefix)) {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused', 'completed', 'failed', 'active'], 0, -1)
    found += jobs.filter((job) => JSON.stringify({ data: job.data, reason: job.failedReason, value: job.returnvalue }).toLowerCase().includes(address)).length
  }
  return found
}

/** Every text, JSON, text-array and bytea column of every table (from information_schema) that holds the address. */
async function columnsHolding(address: string): Promise<string[]> {
  const columns = await prisma.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = current_schema() AND (data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea') OR udt_name IN ('_text', '_varchar'))`
  const found: string[] = []
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const test =
      type === 'bytea' ? `strpos(lower(encode("${column}", 'escape')), $1) > 0` : `strpos(lower("${column}"::text), $1) > 0`
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE ${test}`, address)
    if (row && row.n > 0n) found.push(`${table}.${column}`)
  }
  return found
}

/** A contact with a trace of their address in every place Relais may keep one. */
async function personEverywhere(label: string, prefix: 'own' | 'server') {
  const email = uniqueAddress(label)
  const list = await prisma.mailingList.create({ data: { slug: `erase-${randomUUID()}`, name: 'Liste effacement', isPublic: false } })
  const contact = await prisma.contact.create({
    data: { email, firstName: 'Eulalie', lastName: 'Effacée', organization: 'Mairie de Test', actorType: 'ELECTED_OFFICIAL', territory: '33' },
  })
  await prisma.subscription.create({ data: { contactId: contact.id, listId: list.id, status: 'CONFIRMED', confirmedAt: new Date() } })
  await prisma.consentRecord.create({ data: { contactId: contact.id, action: 'SUBSCRIBE', listIds: [list.id], source: 'FORM', channel: 'web' } })
  await prisma.outboundEmail.create({
    data: { idempotencyKey: `erase:${randomUUID()}`, template: 'test', toAddress: email, contactId: contact.id, subject: 'Bienvenue', status: 'SENT', smtpResponse: `250 OK queued for <${email}>` },
  })
  await prisma.caughtEmail.create({ data: { envelopeFrom: 'relais@test.example', envelopeTo: [email], subject: 'Bienvenue', raw: Buffer.from(`To: ${email}\r\n\r\nBonjour`) } })
  const event = await prisma.event.create({
    data: { slug: `erase-${randomUUID()}`, kind: 'ONLINE', title: 'Webinaire passé', startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(), icalUid: randomUUID(), capacity: 10 },
  })
  const series = await prisma.series.create({ data: { slug: `erase-${randomUUID()}`, title: 'Cycle effacement' } })
  const seriesRegistration = await prisma.seriesRegistration.create({ data: { seriesId: series.id, contactId: contact.id, email, token: randomUUID() } })
  await prisma.registration.create({
    data: {
      eventId: event.id, contactId: contact.id, seriesRegistrationId: seriesRegistration.id, email, firstName: 'Eulalie', lastName: 'Effacée',
      status: 'CONFIRMED', attendance: 'PRESENT', token: randomUUID(), answers: { attentes: `Écrivez-moi à ${email}` },
    },
  })
  const campaign = await prisma.campaign.create({ data: { name: 'Lettre effacement' } })
  await prisma.delivery.create({ data: { campaignId: campaign.id, contactId: contact.id, status: 'SENT', smtpResponse: `250 ok <${email}>` } })
  await prisma.auditLog.create({ data: { actorLabel: 'test', action: 'contact.update', entityType: 'Contact', entityId: String(contact.id), data: { email } } })
  await prisma.importBatch.create({ data: { fileName: 'contacts.csv', report: [{ row: 2, email, problem: 'duplicate' }] } })
  await queueJobsTo(email, prefix)
  expect((await columnsHolding(email)).length).toBeGreaterThan(8)
  expect(await jobsMentioning(email, prefix)).toBe(prefix === 'own' ? 4 : 1)
  return { email, contact, event, list }
}

async function expectErased(email: string, contactId: number, eventId: number, prefix: 'own' | 'server') {
  expect(await columnsHolding(email)).toEqual([])
  expect(await jobsMentioning(email, prefix)).toBe(0)
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })
  expect(contact).toMatchObject({ email: null, firstName: null, lastName: null, organization: null, territory: null, actorType: null, status: 'ERASED' })
  expect(contact.erasedAt).toBeInstanceOf(Date)
  expect(await prisma.subscription.count({ where: { contactId } })).toBe(0)
  expect(await prisma.consentRecord.count({ where: { contactId } })).toBe(0)
  // The seat stays counted, without the person.
  const seats = await prisma.registration.findMany({ where: { eventId } })
  expect(seats).toHaveLength(1)
  expect(seats[0]).toMatchObject({ status: 'CONFIRMED', attendance: 'PRESENT', firstName: '', lastName: '', contactId: null })
  expect(await prisma.suppression.findUnique({ where: { emailHash: emailHash(email) } })).toMatchObject({ email: null, reason: 'ERASURE' })
  expect(await isSuppressed(email)).toBe(true)
}

describe('erasure', () => {
  it('by the person: confirmation page first, then nothing of them is left but the hash', async () => {
    const { email, contact, event } = await personEverywhere('erase-self', 'server')
    const consentBefore = await prisma.consentRecord.count({ where: { contactId: contact.id } })
    const page = new URL(preferencesUrl(contact.id)).pathname
    const confirm = await fetch(`${appUrl}${page}/erase`)
    expect(confirm.status).toBe(200)
    expect(await confirm.text()).toContain('Oui, effacer définitivement mes données')
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe('ACTIVE')

    const erased = await fetch(`${appUrl}${page}/erase`, { method: 'POST', redirect: 'manual', body: new URLSearchParams() })
    expect(erased.status).toBe(302)
    expect(erased.headers.get('Location')).toBe('/preferences/erased')
    const done = await fetch(`${appUrl}/preferences/erased`)
    expect(await done.text()).toContain('Vos données ont été effacées')
    await expectErased(email, contact.id, event.id, 'server')
    // The proofs stay, tied to nobody, plus the proof of the erasure itself.
    expect(await prisma.consentRecord.count({ where: { contactId: null, action: 'ERASURE', source: 'EMAIL_LINK', createdAt: { gte: new Date(Date.now() - 60_000) } } })).toBeGreaterThan(0)
    expect(consentBefore).toBe(1)
    // The old link now stands for nobody.
    expect((await fetch(`${appUrl}${page}`)).status).toBe(404)
    expect((await fetch(`${appUrl}${page}/data`)).status).toBe(404)
  })

  it('by staff: the same, audited without personal data, and idempotent', async () => {
    const staff = await createStaffUser({ email: uniqueAddress('erase-staff'), name: 'Équipe RGPD', role: 'ADMIN', password: 'un mot de passe assez long' }, programActor('test'))
    const { email, contact, event } = await personEverywhere('erase-staff-target', 'own')
    await eraseContact(contact.id, { kind: 'staff', staffId: staff.id })
    await expectErased(email, contact.id, event.id, 'own')
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'contact.erase', entityId: String(contact.id) } })
    expect(audit.actorId).toBe(staff.id)
    expect(JSON.stringify(audit.data)).not.toContain('Eulalie')
    await eraseContact(contact.id, { kind: 'staff', staffId: staff.id })
    expect(await prisma.auditLog.count({ where: { action: 'contact.erase', entityId: String(contact.id) } })).toBe(1)
  })

  it('keeps a bounce or complaint suppression what it was, without the clear address', async () => {
    const email = uniqueAddress('erase-bounced')
    const contact = await prisma.contact.create({ data: { email, status: 'BOUNCED' } })
    await prisma.suppression.create({ data: { emailHash: emailHash(email), email, reason: 'HARD_BOUNCE' } })
    await eraseContact(contact.id, { kind: 'self' })
    expect(await prisma.suppression.findUnique({ where: { emailHash: emailHash(email) } })).toMatchObject({ email: null, reason: 'HARD_BOUNCE' })
  })
})
