// Faults of the campaign pipeline, part 3: people acting while a campaign sends. Pause then resume, a reader
// unsubscribing (one-click POST) mid-send, a double launch (two concurrent calls, and the staff form posted twice),
// and a campaign whose scheduled time passed while no worker ran. Real worker processes, PostgreSQL, Redis, a web
// server and an SMTP listener of this file's own; messages are counted per recipient from the .eml files it kept.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import {
  faultFileHarness,
  seedAudienceAndCampaign,
  seedCampaign,
  tallySink,
  uniqueTag,
  waitForCampaignStatus,
  waitForSinkTotal,
} from '#tests/helpers/campaign.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { type SmtpSink } from '#tests/helpers/smtp-sink.ts'
import { createTestStaff } from '#tests/helpers/staff.ts'
import { webServerEnv } from '#tests/helpers/test-env.ts'
import { campaignProgress } from '~/models/campaign-progress.server.ts'
import { launchCampaign, pauseCampaign, resumeCampaign, scheduleCampaign } from '~/models/campaign-send.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { unsubscribeUrl } from '~/utils/links.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}fco`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_fcontrol`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  // Launching (in this process) cuts the ledger into jobs of this many rows: several jobs even for a small audience.
  process.env.CAMPAIGN_BATCH_SIZE = '10'
  return { prefix }
})

// A web server on this file's database and prefix: the one-click unsubscribe and the staff form reach it.
let web: RunningProcess | undefined
let webUrl = ''
const harness = faultFileHarness({ label: 'faults-control', prefix: isolation.prefix, workerEnv: () => ({ APP_URL: webUrl }) })
const setUp = (tag: string, delayMs: number) => harness.setUp(tag, { delayMs })

/** Exactly one message for each of `emails`, none for anyone else. */
function expectOneEach(sink: SmtpSink, emails: string[]) {
  const tally = tallySink(sink.dir)
  expect([...tally.byRecipient.keys()].sort()).toEqual([...emails].sort())
  expect(tally.duplicates).toEqual([])
}

beforeAll(async () => {
  const port = await freePort()
  webUrl = `http://127.0.0.1:${port}`
  const context = inject('testContext')
  web = startProcess(
    'app/server.ts',
    webServerEnv(context, inject('buildDir'), { DATABASE_URL: process.env.DATABASE_URL ?? '', QUEUE_PREFIX: isolation.prefix, PORT: String(port), APP_URL: webUrl }),
  )
  await waitFor(async () => (await fetch(`${webUrl}/`)).status === 200, 60_000, `web server on ${webUrl} (${web.output()})`)
})

afterAll(async () => {
  await web?.stop()
})

describe('campaign faults: controls during a send', () => {
  it('pause mid-send stops sending; resume sends only to those who had not got it, once each', async () => {
    const tag = uniqueTag('pause')
    const { sink, workers } = await setUp(tag, 150)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 80)

    await workers.start()
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForSinkTotal(sink.dir, 15)
    expect(await pauseCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForCampaignStatus(campaignId, ['PAUSED'])
    // The sends in flight end and their claims are given back; then the listener and the ledger agree, and stay so.
    await waitFor(async () => (await prisma.delivery.count({ where: { campaignId, status: 'SENDING' } })) === 0, 20_000, 'in-flight sends to settle')
    const paused = tallySink(sink.dir)
    expect(paused.total).toBeLessThan(emails.length)
    expect(await prisma.delivery.count({ where: { campaignId, status: 'SENT' } })).toBe(paused.total)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(tallySink(sink.dir).total).toBe(paused.total)
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'PAUSED', sent: paused.total, remaining: emails.length - paused.total })

    expect(await resumeCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    expectOneEach(sink, emails)
  })

  it('a reader who unsubscribes (one-click POST) while the campaign sends gets nothing after', async () => {
    const tag = uniqueTag('unsub')
    const { sink, workers } = await setUp(tag, 150)
    const { audience, emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 60)
    // The ledger is sent in id order: the last contact's turn comes last.
    const leaving = audience.contacts.at(-1)!

    await workers.start()
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForSinkTotal(sink.dir, 8)
    const link = new URL(unsubscribeUrl({ contactId: leaving.id, campaignId }))
    const response = await fetch(`${webUrl}${link.pathname}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), redirect: 'manual' })
    expect(response.status).toBe(200)
    expect(tallySink(sink.dir).total).toBeLessThan(emails.length - 10)

    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    expectOneEach(sink, emails.filter((email) => email !== leaving.email))
    const row = await prisma.delivery.findUniqueOrThrow({ where: { campaignId_contactId: { campaignId, contactId: leaving.id } } })
    expect(row.status).toBe('SKIPPED')
    expect(row.sentAt).toBeNull()
  })

  it('a double launch (two concurrent calls; the staff form posted twice, then replayed) starts one run: one message each', async () => {
    const tag = uniqueTag('double')
    const { sink, workers } = await setUp(tag, 0)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 30)
    await workers.start()

    const results = await Promise.all([launchCampaign(campaignId, staffId), launchCampaign(campaignId, staffId)])
    expect(results.filter((result) => result.ok)).not.toHaveLength(0)
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    expect(await prisma.delivery.count({ where: { campaignId } })).toBe(emails.length)
    expectOneEach(sink, emails)

    // The same through the staff page: the "send" form posted twice at once (a double click, a replayed request).
    const second = await seedCampaign({ tag: `${tag}-form`, listIds: (await prisma.campaignList.findMany({ where: { campaignId } })).map((row) => row.listId) })
    const staff = await createTestStaff('ADMIN', { label: `${tag}-form` })
    const post = () =>
      fetch(`${webUrl}/admin/campaigns/${second}/send`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ intent: 'send', csrf: staff.csrfToken }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie, Origin: webUrl },
      })
    const answers = await Promise.all([post(), post()])
    expect(answers.map((answer) => answer.status).filter((status) => status === 302)).not.toHaveLength(0)
    for (const answer of answers) expect([302, 409]).toContain(answer.status)
    await waitForCampaignStatus(second, ['SENT'], 60_000, () => workers.output())
    expect(await prisma.delivery.count({ where: { campaignId: second } })).toBe(emails.length)
    // The same request replayed once the campaign is sent: refused, nothing sent again.
    const replay = await post()
    expect(replay.status).toBe(409)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    // Each recipient now has exactly two messages: one per campaign.
    const tally = tallySink(sink.dir)
    for (const email of emails) expect(tally.byRecipient.get(email), email).toBe(2)
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: second } })).status).toBe('SENT')
  })

  it('a campaign whose scheduled time passed while no worker ran goes out once when workers come back', async () => {
    const tag = uniqueTag('sched')
    const { sink, workers } = await setUp(tag, 0)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 30)

    // No worker is running for this file's prefix.
    expect(await scheduleCampaign(campaignId, new Date(Date.now() + 1500), staffId)).toMatchObject({ ok: true })
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe('SCHEDULED')
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe('SCHEDULED')
    expect(tallySink(sink.dir).total).toBe(0)

    // Two workers come back at once: both see the overdue campaign, one run sends it.
    await Promise.all([workers.start(), workers.start()])
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    expectOneEach(sink, emails)
  })
})
