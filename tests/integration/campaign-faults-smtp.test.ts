// Faults of the campaign pipeline, part 2: the SMTP server defers some recipients (451), refuses one for good (550)
// or stops answering altogether (421 to everything: the campaign pauses with a reason).
// Real worker process, PostgreSQL, Redis and an SMTP listener of this file's own with scripted answers; messages are
// counted per recipient from the .eml files the listener kept.
import { describe, expect, it, vi } from 'vitest'
import {
  faultFileHarness,
  report,
  seedAudience,
  seedCampaign,
  seedStaffId,
  tallySink,
  uniqueTag,
  waitForCampaignStatus,
  waitForSinkTotal,
} from '#tests/helpers/campaign.ts'
import { campaignProgress } from '~/models/campaign-progress.server.ts'
import { launchCampaign, resumeCampaign } from '~/models/campaign-send.server.ts'
import { isSuppressed } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}fsm`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_fsmtp`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  // Launching (in this process) cuts the ledger into jobs of this many rows: several jobs even for a small audience.
  process.env.CAMPAIGN_BATCH_SIZE = '10'
  return { prefix }
})

const { setUp } = faultFileHarness({ label: 'faults-smtp', prefix: isolation.prefix })

describe('campaign faults: SMTP answers', () => {
  it('451 for one recipient in ten on the first attempt: everyone gets exactly one message, the deferred ones after a retry', async () => {
    const tag = uniqueTag('defer')
    // Addresses <tag>-3, -13, -23… are deferred once: 10 % of the audience.
    const deferred = (address: string) => new RegExp(`^${tag}-\\d*3@`).test(address)
    const { sink, workers } = await setUp(tag, { deferFirst: deferred })
    const audience = await seedAudience({ tag, count: 60 })
    const emails = audience.contacts.map((contact) => contact.email)
    const deferredEmails = emails.filter(deferred)
    expect(deferredEmails).toHaveLength(6)
    const campaignId = await seedCampaign({ tag, listIds: audience.listIds })

    await workers.start()
    expect(await launchCampaign(campaignId, await seedStaffId(tag))).toMatchObject({ ok: true })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())

    const tally = tallySink(sink.dir)
    expect([...tally.byRecipient.keys()].sort()).toEqual([...emails].sort())
    expect(tally.duplicates).toEqual([])
    // The listener really answered 451 to each of them once, and the ledger shows the second attempt.
    expect([...sink.deferred.keys()].sort()).toEqual([...deferredEmails].sort())
    const rows = await prisma.delivery.findMany({ where: { campaignId }, select: { status: true, attempts: true, contact: { select: { email: true } } } })
    for (const row of rows) {
      expect(row, row.contact?.email ?? '').toMatchObject({ status: 'SENT', attempts: deferredEmails.includes(row.contact!.email!) ? 2 : 1 })
    }
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'SENT', sent: emails.length, failed: 0, bounced: 0 })
    report(`[campaign-faults] 451 once for ${deferredEmails.length}/${emails.length} recipients: all delivered once, deferred ones on attempt 2`)
  })

  it('550 for one address: bounced with the answer, suppressed, and left out of the next campaign’s ledger', async () => {
    const tag = uniqueTag('refuse')
    const refusedEmail = `${tag}-gone@faults.test`
    const { sink, workers } = await setUp(tag, { refuse: (address) => address === refusedEmail })
    const audience = await seedAudience({ tag, count: 20, emails: [refusedEmail] })
    const others = audience.contacts.map((contact) => contact.email).filter((email) => email !== refusedEmail)
    const refusedContact = audience.contacts.find((contact) => contact.email === refusedEmail)!
    const staffId = await seedStaffId(tag)

    await workers.start()
    const first = await seedCampaign({ tag, listIds: audience.listIds })
    expect(await launchCampaign(first, staffId)).toMatchObject({ ok: true })
    await waitForCampaignStatus(first, ['SENT'], 60_000, () => workers.output())

    const afterFirst = tallySink(sink.dir)
    expect(afterFirst.byRecipient.has(refusedEmail)).toBe(false)
    expect(afterFirst.total).toBe(others.length)
    // Refused once, never retried.
    expect(sink.refused.get(refusedEmail)).toBe(1)
    const bounced = await prisma.delivery.findUniqueOrThrow({ where: { campaignId_contactId: { campaignId: first, contactId: refusedContact.id } } })
    expect(bounced).toMatchObject({ status: 'BOUNCED', attempts: 1 })
    expect(bounced.smtpResponse).toMatch(/550/)
    expect(await isSuppressed(refusedEmail)).toBe(true)
    expect(await campaignProgress(first)).toMatchObject({ status: 'SENT', sent: others.length, bounced: 1 })

    // The next campaign to the same list: no ledger row for the suppressed address, no message either.
    const second = await seedCampaign({ tag: `${tag}-b`, listIds: audience.listIds })
    expect(await launchCampaign(second, staffId)).toMatchObject({ ok: true })
    await waitForCampaignStatus(second, ['SENT'], 60_000, () => workers.output())
    expect(await prisma.delivery.count({ where: { campaignId: second, contactId: refusedContact.id } })).toBe(0)
    expect(await prisma.delivery.count({ where: { campaignId: second } })).toBe(others.length)
    const afterSecond = tallySink(sink.dir)
    expect(afterSecond.byRecipient.has(refusedEmail)).toBe(false)
    expect(sink.refused.get(refusedEmail)).toBe(1)
    for (const email of others) expect(afterSecond.byRecipient.get(email), email).toBe(2)
  })

  it('an SMTP server that stops answering pauses the campaign with a reason staff read; resumed, it finishes once each', async () => {
    const tag = uniqueTag('down')
    const { sink, workers } = await setUp(tag, { delayMs: 100 })
    const audience = await seedAudience({ tag, count: 60 })
    const emails = audience.contacts.map((contact) => contact.email)
    const campaignId = await seedCampaign({ tag, listIds: audience.listIds })
    const staffId = await seedStaffId(tag)

    await workers.start({ CAMPAIGN_PAUSE_AFTER_CONNECTION_ERRORS: '3' })
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForSinkTotal(sink.dir, 10)
    // Out of service: every new connection and command is answered 421 and closed.
    sink.setDown(true)
    await waitForCampaignStatus(campaignId, ['PAUSED'], 45_000, () => workers.output())
    const paused = await campaignProgress(campaignId)
    expect(paused.pausedReason).toBeTruthy()
    expect(paused.sent).toBeLessThan(emails.length)

    sink.setDown(false)
    expect(await resumeCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    const tally = tallySink(sink.dir)
    expect([...tally.byRecipient.keys()].sort()).toEqual([...emails].sort())
    expect(tally.duplicates).toEqual([])
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'SENT', sent: emails.length, failed: 0, pausedReason: null })
  })
})
