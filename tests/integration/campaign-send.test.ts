// Sending a campaign end to end: launchCampaign snapshots the audience of two overlapping lists into the ledger
// (suppressed and unsubscribed people left out), a real worker process sends through SMTP to this file's listener,
// DKIM-signed with a test key; each recipient gets exactly one message with the list headers, both parts carry the
// unsubscribe link, mailauth verifies the signature, and the one-click POST to List-Unsubscribe unsubscribes. A
// double launch starts one run. This file has its own database, Redis prefix, web server, worker and listener.
import { generateKeyPairSync } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { authenticate } from 'mailauth'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import {
  CampaignWorkers,
  closeFileServices,
  openFileDatabase,
  seedStaffId,
  tallySink,
  uniqueTag,
  waitForCampaignStatus,
} from '#tests/helpers/campaign.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { startSmtpSink, type SmtpSink } from '#tests/helpers/smtp-sink.ts'
import { webServerEnv } from '#tests/helpers/test-env.ts'
import { campaignProgress, campaignResults } from '~/models/campaign-progress.server.ts'
import { cancelCampaign, launchCampaign, retryFailedDeliveries, scheduleCampaign, unscheduleCampaign } from '~/models/campaign-send.server.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { SenderRateGate } from '~/utils/campaign-rate.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}cs`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_csend`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

const sinkDir = `${inject('mailDir')}-campaign-send`
const dkim = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const publicDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  return { domain: 'relais-essai.test', selector: 'essai', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), record: `v=DKIM1; k=rsa; p=${publicDer}` }
})()

let sink: SmtpSink
let workers: CampaignWorkers
let web: RunningProcess | undefined
let webUrl = ''

interface Received {
  raw: Buffer
  to: string
  parsed: Awaited<ReturnType<typeof simpleParser>>
}

/** A header as sent (unfolded), from mailparser's raw header lines. */
function header(parsed: Received['parsed'], name: string): string {
  const line = parsed.headerLines.find((candidate) => candidate.key === name.toLowerCase())?.line ?? ''
  return line.replace(/\r?\n[ \t]+/g, ' ').slice(name.length + 1).trim()
}

/** Every message the listener kept for `addresses`, parsed. */
async function receivedFor(addresses: Set<string>): Promise<Received[]> {
  const messages: Received[] = []
  for (const file of readdirSync(sinkDir)) {
    if (!file.endsWith('.eml')) continue
    const envelope = JSON.parse(readFileSync(join(sinkDir, file.replace(/\.eml$/, '.json')), 'utf8')) as { to: string[] }
    const to = envelope.to[0]!.toLowerCase()
    if (!addresses.has(to)) continue
    const raw = readFileSync(join(sinkDir, file))
    messages.push({ raw, to, parsed: await simpleParser(raw) })
  }
  return messages
}

async function seedLists(tag: string, count: number) {
  const first = await prisma.mailingList.create({ data: { slug: `${tag}-a`, name: `Lettre ${tag} A`, sortOrder: 1 } })
  const second = await prisma.mailingList.create({ data: { slug: `${tag}-b`, name: `Lettre ${tag} B`, sortOrder: 2 } })
  const emails = Array.from({ length: count }, (_, i) => `${tag}-${i}@send.test`)
  await prisma.contact.createMany({ data: emails.map((email, i) => ({ email, firstName: `Prénom${i}`, lastName: `Nom${i}`, measurementConsent: i === 0 })) })
  const contacts = await prisma.contact.findMany({ where: { email: { in: emails } }, orderBy: { id: 'asc' }, select: { id: true, email: true } })
  // The first two thirds on A, the last two thirds on B: the middle third is on both.
  const third = Math.floor(count / 3)
  await prisma.subscription.createMany({
    data: contacts.flatMap((contact, i) => [
      ...(i < 2 * third ? [{ contactId: contact.id, listId: first.id, status: 'CONFIRMED' as const, confirmedAt: new Date() }] : []),
      ...(i >= third ? [{ contactId: contact.id, listId: second.id, status: 'CONFIRMED' as const, confirmedAt: new Date() }] : []),
    ]),
  })
  return { listIds: [first.id, second.id], lists: [first, second], contacts: contacts.map((contact) => ({ id: contact.id, email: contact.email! })) }
}

async function seedCampaign(tag: string, listIds: number[]) {
  const sender = await prisma.senderIdentity.create({ data: { name: 'Relais essais', email: `${tag}@${dkim.domain}`, ratePerSecond: 500, ratePerHour: 1_000_000 } })
  const campaign = await prisma.campaign.create({
    data: {
      name: `Campagne ${tag}`,
      subject: `Les nouvelles de {{prenom|nos lecteurs}}`,
      preheader: 'Ce mois-ci dans le réseau',
      locale: 'fr',
      senderIdentityId: sender.id,
      content: [
        { id: 'h1', type: 'heading', text: 'Bonjour {{prenom|à vous}}', level: 1 },
        { id: 't1', type: 'text', html: '<p>Voici les nouvelles du réseau.</p>' },
        { id: 'b1', type: 'button', label: 'Lire la suite', url: 'https://relais.test/suite' },
      ],
      lists: { create: listIds.map((listId) => ({ listId })) },
    },
  })
  return campaign.id
}

beforeAll(async () => {
  await openFileDatabase()
  const port = await freePort()
  webUrl = `http://127.0.0.1:${port}`
  web = startProcess('app/server.ts', webServerEnv(inject('testContext'), inject('buildDir'), { DATABASE_URL: process.env.DATABASE_URL ?? '', QUEUE_PREFIX: isolation.prefix, PORT: String(port), APP_URL: webUrl }))
  sink = await startSmtpSink(sinkDir)
  workers = new CampaignWorkers({
    prefix: isolation.prefix,
    smtpPort: sink.port,
    // One attempt only, so that a deferred delivery becomes FAILED at once (the "retry failed" test).
    env: { APP_URL: webUrl, CAMPAIGN_BATCH_SIZE: '20', CAMPAIGN_MAX_ATTEMPTS: '1', DKIM_DOMAIN: dkim.domain, DKIM_SELECTOR: dkim.selector, DKIM_PRIVATE_KEY: dkim.privateKey },
  })
  await waitFor(async () => (await fetch(`${webUrl}/`)).status === 200, 60_000, `web server on ${webUrl} (${web.output()})`)
  await workers.start()
})

afterAll(async () => {
  await closeFileServices({ prefix: isolation.prefix, workers, web, sink, sinkDir })
})

describe('campaign sending', () => {
  it('sends one DKIM-signed message to each recipient of two overlapping lists, with list headers and a working one-click unsubscribe', async () => {
    const tag = uniqueTag('send')
    const { listIds, lists, contacts } = await seedLists(tag, 60)
    // Two people who must not get it: a suppressed address, and someone who unsubscribed from A.
    const [suppressed, unsubscribed] = [`${tag}-suppressed@send.test`, `${tag}-unsubscribed@send.test`]
    for (const email of [suppressed, unsubscribed]) {
      await prisma.contact.create({ data: { email, subscriptions: { create: [{ listId: listIds[0]!, status: 'CONFIRMED', confirmedAt: new Date() }] } } })
    }
    await suppressAddress({ email: suppressed, reason: 'MANUAL' })
    await prisma.subscription.updateMany({ where: { contact: { email: unsubscribed } }, data: { status: 'UNSUBSCRIBED', unsubscribedAt: new Date() } })
    const campaignId = await seedCampaign(tag, listIds)
    const staffId = await seedStaffId(tag)

    const launched = await launchCampaign(campaignId, staffId)
    expect(launched).toEqual({ ok: true, recipients: 60 })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())

    // The ledger: one row per recipient, none for the two left out, every row SENT with the server's answer.
    const rows = await prisma.delivery.findMany({ where: { campaignId }, select: { contactId: true, status: true, smtpResponse: true, messageId: true } })
    expect(rows.map((row) => row.contactId).sort((a, b) => a! - b!)).toEqual(contacts.map((contact) => contact.id))
    expect(rows.every((row) => row.status === 'SENT' && row.smtpResponse?.startsWith('250'))).toBe(true)
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'SENT', total: 60, sent: 60, remaining: 0, failed: 0, recoveredCount: 0 })
    expect(await prisma.auditLog.count({ where: { action: 'campaign.launch', entityId: String(campaignId) } })).toBe(1)

    // The listener: exactly one message per recipient, nothing for the two left out.
    const tally = tallySink(sinkDir, (address) => address.startsWith(`${tag}-`))
    expect([...tally.byRecipient.keys()].sort()).toEqual(contacts.map((contact) => contact.email).sort())
    expect(tally.duplicates).toEqual([])

    const messages = await receivedFor(new Set(contacts.map((contact) => contact.email)))
    expect(new Set(messages.map((message) => message.parsed.messageId)).size).toBe(60)
    // The Message-ID names the delivery (the same on every copy of it) and is the one the ledger recorded.
    const recorded = new Map(
      (await prisma.delivery.findMany({ where: { campaignId }, select: { id: true, messageId: true, contact: { select: { email: true } } } })).map((row) => [row.contact!.email, row]),
    )
    for (const { parsed, to } of messages) {
      const row = recorded.get(to)!
      expect(parsed.messageId).toBe(row.messageId)
      expect(header(parsed, 'X-MJ-CustomID')).toBe(row.messageId)
      expect(parsed.messageId).toMatch(new RegExp(`^<d${row.id}\\.c${campaignId}\\.[0-9a-z]+@127\\.0\\.0\\.1>$`))
    }
    for (const { parsed, to } of messages) {
      const unsubscribe = header(parsed, 'List-Unsubscribe')
      expect(unsubscribe).toMatch(new RegExp(`^<${webUrl.replace(/\./g, '\\.')}/u/[A-Za-z0-9._~-]{20,}>$`))
      expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
      expect(header(parsed, 'List-Id')).toMatch(new RegExp(`<${tag}-[ab]\\.127\\.0\\.0\\.1>$`))
      const url = unsubscribe.slice(1, -1)
      expect(parsed.text).toContain(url)
      expect(parsed.html).toContain(url.replace(/&/g, '&amp;'))
      expect(parsed.html).toMatch(/<html[^>]* lang="fr"/)
      expect(parsed.subject).toMatch(/^Les nouvelles de Prénom\d+$/)
      expect(parsed.to && 'value' in parsed.to ? parsed.to.value[0]?.address : '').toBe(to)
    }
    // Per-person measurement only for the contact who consented to it (the first one): a pixel and tracked-link
    // tokens in their message, none in anyone else's (links still go through /l/<id>, counted without identity).
    for (const { parsed, to } of messages) {
      const measured = to === contacts[0]!.email
      expect(parsed.html).toMatch(/https?:\/\/[^"]+\/l\/\d+/)
      expect(/https?:\/\/[^"]+\/o\/[A-Za-z0-9._~-]{20,}/.test(String(parsed.html))).toBe(measured)
      expect(/\/l\/\d+\?r=/.test(String(parsed.html))).toBe(measured)
    }
    // The list through which the overlap receives it is the first in order (A).
    const overlap = messages.find((message) => message.to === contacts[25]!.email)!
    expect(header(overlap.parsed, 'List-Id')).toContain(`<${lists[0]!.slug}.`)

    // DKIM: the signature verifies with the test key, and both unsubscribe headers are signed.
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name === `${dkim.selector}._domainkey.${dkim.domain}`) return [[dkim.record]]
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' })
    }
    const sample = messages[0]!
    const result = await authenticate(sample.raw, { ip: '127.0.0.1', helo: 'localhost', sender: `${tag}@${dkim.domain}`, mta: 'test.local', resolver, disableArc: true, disableBimi: true })
    const signature = result.dkim.results[0]!
    expect(signature.status.result).toBe('pass')
    expect(signature.signingDomain).toBe(dkim.domain)
    const head = sample.raw.toString('utf8').split('\r\n\r\n', 1)[0]!.replace(/\r\n[ \t]+/g, ' ')
    const dkimHeader = head.split('\r\n').find((line) => /^dkim-signature:/i.test(line)) ?? ''
    const signed = (/[;\s]h=([^;]+)/.exec(dkimHeader)?.[1] ?? '').toLowerCase().split(':').map((name) => name.trim())
    expect(signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'from', 'subject']))

    // One-click unsubscribe from the message's own header, on the app's web server.
    const target = contacts[5]!
    const own = messages.find((message) => message.to === target.email)!
    const response = await fetch(header(own.parsed, 'List-Unsubscribe').slice(1, -1), {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
    })
    expect(response.status).toBe(200)
    const subscriptions = await prisma.subscription.findMany({ where: { contactId: target.id } })
    expect(subscriptions.map((subscription) => subscription.status)).toEqual(['UNSUBSCRIBED'])
    expect((await campaignResults(campaignId)).unsubscribed).toBe(1)
  })

  it('two launches at once start one run: one message per recipient', async () => {
    const tag = uniqueTag('double')
    const { listIds, contacts } = await seedLists(tag, 12)
    const campaignId = await seedCampaign(tag, listIds)
    const staffId = await seedStaffId(tag)

    const results = await Promise.all([launchCampaign(campaignId, staffId), launchCampaign(campaignId, staffId)])
    expect(results.filter((result) => result.ok)).toHaveLength(1)
    expect(results.find((result) => !result.ok)).toEqual({ ok: false, message: 'Cette campagne est déjà en cours d’envoi.' })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    // Launching it again afterwards is refused too.
    expect(await launchCampaign(campaignId, staffId)).toEqual({ ok: false, message: 'Cette campagne a déjà été envoyée.' })

    expect(await prisma.delivery.count({ where: { campaignId } })).toBe(12)
    const tally = tallySink(sinkDir, (address) => address.startsWith(`${tag}-`))
    expect([...tally.byRecipient.keys()].sort()).toEqual(contacts.map((contact) => contact.email).sort())
    expect(tally.duplicates).toEqual([])
    expect(await prisma.auditLog.count({ where: { action: 'campaign.launch', entityId: String(campaignId) } })).toBe(1)
  })

  it('a delivery deferred past its attempts is FAILED with the SMTP answer; "retry failed" sends it once and the campaign ends SENT', async () => {
    const tag = uniqueTag('retry')
    const { listIds, contacts } = await seedLists(tag, 6)
    // The listener answers 451 to "+smtp451" addresses on their first attempt only.
    const deferred = await prisma.contact.create({
      data: { email: `${tag}+smtp451@send.test`, subscriptions: { create: [{ listId: listIds[0]!, status: 'CONFIRMED', confirmedAt: new Date() }] } },
    })
    const campaignId = await seedCampaign(tag, listIds)
    const staffId = await seedStaffId(tag)

    expect(await launchCampaign(campaignId, staffId)).toEqual({ ok: true, recipients: 7 })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    const results = await campaignResults(campaignId)
    expect(results).toMatchObject({ delivered: 6, failedTotal: 1 })
    expect(results.failed).toEqual([
      { deliveryId: expect.any(String), email: deferred.email, status: 'FAILED', smtpResponse: expect.stringMatching(/^451/), attempts: 1 },
    ])
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'SENT', sent: 6, failed: 1, remaining: 0 })

    expect(await retryFailedDeliveries(campaignId, staffId)).toEqual({ ok: true, retried: 1 })
    await waitFor(async () => (await prisma.delivery.findFirst({ where: { campaignId, contactId: deferred.id } }))?.status === 'SENT', 30_000, 'the retried delivery')
    await waitForCampaignStatus(campaignId, ['SENT'], 30_000, () => workers.output())
    expect(await campaignResults(campaignId)).toMatchObject({ delivered: 7, failedTotal: 0, failed: [] })
    const tally = tallySink(sinkDir, (address) => address.startsWith(`${tag}`))
    expect([...tally.byRecipient.keys()].sort()).toEqual([...contacts.map((contact) => contact.email), deferred.email!].sort())
    expect(tally.duplicates).toEqual([])
    expect(await prisma.auditLog.count({ where: { action: 'campaign.retry-failed', entityId: String(campaignId) } })).toBe(1)
  })

  it('scheduling: a past time is refused, an unscheduled campaign does not go out, a rescheduled one goes out once at its new time', async () => {
    const tag = uniqueTag('sched')
    const { listIds, contacts } = await seedLists(tag, 4)
    const staffId = await seedStaffId(tag)
    const first = await seedCampaign(`${tag}a`, listIds)
    const second = await seedCampaign(`${tag}b`, listIds)

    expect(await scheduleCampaign(first, new Date(Date.now() - 60_000), staffId)).toEqual({ ok: false, message: 'La date d’envoi doit être dans le futur.' })
    // Unscheduled before its time: its delayed job finds a draft and does nothing.
    expect(await scheduleCampaign(first, new Date(Date.now() + 1500), staffId)).toEqual({ ok: true })
    expect(await unscheduleCampaign(first, staffId)).toEqual({ ok: true })
    // Rescheduled: the first time passes without a launch, the second launches it.
    expect(await scheduleCampaign(second, new Date(Date.now() + 1000), staffId)).toEqual({ ok: true })
    expect(await scheduleCampaign(second, new Date(Date.now() + 2500), staffId)).toEqual({ ok: true })
    await waitForCampaignStatus(second, ['SENT'], 30_000, () => workers.output())
    const launched = await prisma.campaign.findUniqueOrThrow({ where: { id: second }, select: { scheduledAt: true, startedAt: true, slug: true } })
    expect(launched.startedAt!.getTime()).toBeGreaterThanOrEqual(launched.scheduledAt!.getTime())
    expect(launched.slug).toMatch(/^\d{4}-\d{2}-\d{2}-les-nouvelles-de-nos-lecteurs/)
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: first }, select: { status: true } })).toEqual({ status: 'DRAFT' })
    expect(await prisma.delivery.count({ where: { campaignId: first } })).toBe(0)
    const tally = tallySink(sinkDir, (address) => address.startsWith(`${tag}-`))
    expect([...tally.byRecipient.values()]).toEqual(contacts.map(() => 1))
    expect(await prisma.auditLog.count({ where: { action: 'campaign.schedule', entityId: String(second) } })).toBe(2)
  })

  it('a scheduled campaign that can no longer go out at its time (nobody left to send to) goes back to draft, with the reason in the audit log', async () => {
    const tag = uniqueTag('empty')
    const { listIds, contacts } = await seedLists(tag, 3)
    const staffId = await seedStaffId(tag)
    const campaignId = await seedCampaign(tag, listIds)
    expect(await scheduleCampaign(campaignId, new Date(Date.now() + 1000), staffId)).toEqual({ ok: true })
    await prisma.subscription.updateMany({ where: { contactId: { in: contacts.map((contact) => contact.id) } }, data: { status: 'UNSUBSCRIBED' } })
    await waitForCampaignStatus(campaignId, ['DRAFT'], 30_000, () => workers.output())
    const entry = await prisma.auditLog.findFirstOrThrow({ where: { action: 'campaign.schedule-failed', entityId: String(campaignId) } })
    expect(entry).toMatchObject({ actorLabel: 'system', data: { reason: expect.stringContaining('Aucun destinataire') } })
    expect(await prisma.delivery.count({ where: { campaignId } })).toBe(0)
  })

  it('cancelling a scheduled campaign: nothing goes out, and it cannot be launched afterwards', async () => {
    const tag = uniqueTag('cancel')
    const { listIds } = await seedLists(tag, 3)
    const staffId = await seedStaffId(tag)
    const campaignId = await seedCampaign(tag, listIds)
    expect(await scheduleCampaign(campaignId, new Date(Date.now() + 1000), staffId)).toEqual({ ok: true })
    expect(await cancelCampaign(campaignId, staffId)).toEqual({ ok: true })
    expect(await cancelCampaign(campaignId, staffId)).toEqual({ ok: false, message: 'Cette campagne a été annulée.' })
    expect(await launchCampaign(campaignId, staffId)).toEqual({ ok: false, message: 'Cette campagne a été annulée.' })
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).toEqual({ status: 'CANCELLED' })
    expect(tallySink(sinkDir, (address) => address.startsWith(`${tag}-`)).total).toBe(0)
  })

  it('a sender identity’s rate is shared through Redis: two gates (two worker processes) together never pass its hourly allowance', async () => {
    const senderKey = uniqueTag('rate')
    const limit = { perSecond: 100, perHour: 3 }
    const first = new SenderRateGate(redis, senderKey, limit)
    const second = new SenderRateGate(redis, senderKey, limit)
    const stopAfter = (ms: number) => {
      const until = Date.now() + ms
      return () => Date.now() > until
    }
    const granted = [await first.take(stopAfter(2000)), await second.take(stopAfter(300)), await first.take(stopAfter(300)), await first.take(stopAfter(300))]
    // The first gate took the whole hour's allowance in one round trip; the second waits until it is told to stop.
    expect(granted).toEqual([true, false, true, true])
    expect(await first.take(stopAfter(300))).toBe(false)
  })
})
