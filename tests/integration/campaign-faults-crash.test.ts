// Faults of the campaign pipeline, part 1: the worker process dies or Redis loses its data in the middle of a send.
// Real worker processes (jobs/worker.ts) really killed, real PostgreSQL and Redis, a real SMTP listener of this
// file's own that holds each acknowledgement a little (so a campaign is "mid-send" for a few seconds); messages are
// counted per recipient from the .eml files the listener kept, never from the database.
import { readdirSync, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import {
  deletePrefixKeys,
  fastCampaignKnobs,
  faultFileHarness,
  report,
  seedAudienceAndCampaign,
  tallySink,
  toAddress,
  uniqueTag,
  waitForCampaignStatus,
  waitForSinkTotal,
} from '#tests/helpers/campaign.ts'
import { type SmtpSink } from '#tests/helpers/smtp-sink.ts'
import { campaignProgress } from '~/models/campaign-progress.server.ts'
import { launchCampaign } from '~/models/campaign-send.server.ts'
import { prisma } from '~/utils/db.server.ts'

// A Redis prefix and a database of this file's own (see tests/helpers/campaign.ts), set before any app module
// reads the environment.
const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}fcr`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_fcrash`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  // Launching (in this process) cuts the ledger into jobs of this many rows: several jobs even for a small audience.
  process.env.CAMPAIGN_BATCH_SIZE = '10'
  return { prefix }
})

const connections = Number(fastCampaignKnobs.CAMPAIGN_SMTP_CONNECTIONS)
const { setUp: setUpSink } = faultFileHarness({ label: 'faults-crash', prefix: isolation.prefix })
/** A listener answering each message after `delayMs`, and workers pointed at it. */
const setUp = (tag: string, delayMs: number) => setUpSink(tag, { delayMs })

/** Every recipient of the audience with how many messages the listener kept for them. */
function perRecipient(sink: SmtpSink, emails: string[]) {
  const tally = tallySink(sink.dir)
  const missing = emails.filter((email) => !tally.byRecipient.has(email))
  const extra = [...tally.byRecipient.keys()].filter((email) => !emails.includes(email))
  const duplicateMessages = tally.duplicates.reduce((sum, [, count]) => sum + count - 1, 0)
  return { tally, missing, extra, duplicateMessages }
}

/** The Message-ID of every message the listener kept for `email`. */
function messageIdsTo(dir: string, email: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.eml'))
    .map((file) => readFileSync(join(dir, file), 'utf8').slice(0, 16_384))
    .filter((raw) => toAddress(raw) === email)
    .map((raw) => /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1] ?? '')
}

describe('campaign faults: crashes and Redis loss', () => {
  it('SIGKILL mid-campaign, then a restart: nobody skipped, duplicates at most the in-flight count, reported honestly', async () => {
    const tag = uniqueTag('kill')
    const { sink, workers } = await setUp(tag, 150)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 80)

    const first = await workers.start()
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    // A quarter of the audience through: the worker has messages on every connection, waiting for their "250".
    await waitForSinkTotal(sink.dir, 20)
    await first.stop('SIGKILL')
    const atKill = tallySink(sink.dir).total
    // What the dead worker held: rows claimed under its name and never recorded. The reconciler must take back
    // exactly these (some were on the wire, the rest only claimed).
    const held = await prisma.delivery.count({ where: { campaignId, status: 'SENDING', claimedBy: `${hostname()}-${first.child.pid}` } })

    await workers.start()
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())

    const { tally, missing, extra, duplicateMessages } = perRecipient(sink, emails)
    const progress = await campaignProgress(campaignId)
    report(
      `[campaign-faults] SIGKILL after ${atKill}/${emails.length} messages: ${duplicateMessages} duplicate message(s) ` +
        `(bound: ${connections} in flight, CAMPAIGN_SMTP_CONNECTIONS); the dead worker held ${held} claimed row(s), ` +
        `recoveredCount ${progress.recoveredCount}` +
        (tally.duplicates.length > 0 ? `; twice: ${tally.duplicates.map(([email, count]) => `${email}×${count}`).join(', ')}` : ''),
    )
    expect(missing).toEqual([])
    expect(extra).toEqual([])
    expect(duplicateMessages).toBeLessThanOrEqual(connections)
    // Each duplicate is a row the dead worker held, and the campaign reports every row taken back, no more.
    expect(tally.duplicates.length).toBeLessThanOrEqual(held)
    expect(progress.recoveredCount).toBe(held)
    expect(progress).toMatchObject({ status: 'SENT', total: emails.length, sent: emails.length, remaining: 0, failed: 0 })
    // The ledger holds one Message-ID per recipient, derived from the delivery: a recipient's two copies carry that
    // same id, so a mail client can fold them.
    const rows = await prisma.delivery.findMany({ where: { campaignId }, select: { messageId: true, contact: { select: { email: true } } } })
    expect(rows.filter((row) => row.messageId !== null)).toHaveLength(emails.length)
    for (const [email] of tally.duplicates) {
      const recorded = rows.find((row) => row.contact?.email === email)?.messageId?.replace(/^<|>$/g, '')
      expect(new Set(messageIdsTo(sink.dir, email)), email).toEqual(new Set([recorded]))
    }
  })

  it('SIGTERM mid-campaign: the worker finishes its sends and exits 0, zero duplicates, and a restart finishes the campaign', async () => {
    const tag = uniqueTag('term')
    const { sink, workers } = await setUp(tag, 150)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 80)

    const first = await workers.start()
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForSinkTotal(sink.dir, 20)
    expect(await first.stop('SIGTERM')).toBe(0)

    // Stopped cleanly: what the listener kept is exactly what the ledger says was sent, nothing is held.
    const atStop = perRecipient(sink, emails)
    expect(atStop.duplicateMessages).toBe(0)
    expect(await prisma.delivery.count({ where: { campaignId, status: 'SENT' } })).toBe(atStop.tally.total)
    expect(await prisma.delivery.count({ where: { campaignId, status: 'SENDING' } })).toBe(0)
    expect(atStop.tally.total).toBeLessThan(emails.length)

    await workers.start()
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    const { tally, missing, extra, duplicateMessages } = perRecipient(sink, emails)
    report(`[campaign-faults] SIGTERM after ${atStop.tally.total}/${emails.length} messages: ${duplicateMessages} duplicate(s) after the restart`)
    expect(missing).toEqual([])
    expect(extra).toEqual([])
    expect(tally.duplicates).toEqual([])
    expect(await campaignProgress(campaignId)).toMatchObject({ status: 'SENT', sent: emails.length, remaining: 0, recoveredCount: 0 })
  })

  it('Redis loses every key of the instance mid-campaign: the reconciler rebuilds the work and each recipient gets one message', async () => {
    const tag = uniqueTag('flush')
    const { sink, workers } = await setUp(tag, 100)
    const { emails, campaignId, staffId } = await seedAudienceAndCampaign(tag, 80)

    await workers.start()
    expect(await launchCampaign(campaignId, staffId)).toMatchObject({ ok: true })
    await waitForSinkTotal(sink.dir, 20)
    // This file's prefix only (queues, schedules, heartbeats, rate counters): the shared test Redis keeps the rest.
    const removed = await deletePrefixKeys(isolation.prefix)
    expect(removed).toBeGreaterThan(0)

    // No restart: the running worker's reconciler finds the unfinished deliveries in PostgreSQL.
    await waitForCampaignStatus(campaignId, ['SENT'], 60_000, () => workers.output())
    const { missing, extra, tally, duplicateMessages } = perRecipient(sink, emails)
    const progress = await campaignProgress(campaignId)
    report(`[campaign-faults] Redis flush after 20+/${emails.length} messages: ${duplicateMessages} duplicate(s), recoveredCount ${progress.recoveredCount}`)
    expect(missing).toEqual([])
    expect(extra).toEqual([])
    // No process died: the worker's own claims (its heartbeat vanished with the flush) are not "recovered" from it.
    expect(progress.recoveredCount).toBe(0)
    expect(tally.duplicates).toEqual([])
    expect(progress).toMatchObject({ status: 'SENT', sent: emails.length, remaining: 0 })
  })
})
