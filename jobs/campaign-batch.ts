// Owns one `batch` job of the campaign queue: claim a range's due rows, re-check each small chunk just before it
// goes, send through CAMPAIGN_SMTP_CONNECTIONS lanes (each holds a process-wide slot from before the SMTP call until
// the outcome is written), group-commit the acknowledgements, and give back what was not sent when the campaign is
// paused or cancelled, the SMTP server stops answering, or the worker shuts down. See jobs/campaign.ts for the design.
import { pauseCampaign } from '~/models/campaign-send.server.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { followUpJob } from '~/utils/campaign-dispatch.server.ts'
import {
  claimDeliveries,
  finishIfDone,
  ineligibleDeliveries,
  rangeNextDue,
  recordOutcome,
  recordSkipped,
  releaseClaims,
  renewClaims,
  type ClaimedDelivery,
} from '~/utils/campaign-ledger.server.ts'
import { campaignSlots, classifySendFailure, getCampaignMailer } from '~/utils/campaign-mailer.server.ts'
import { campaignSettings } from '~/utils/campaign-settings.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { buildMessage, campaignContext } from './campaign-context.ts'
import { commitSent } from './campaign-commit.ts'
import { heartbeatTtlMs, workerIdentity } from './heartbeat.ts'
import { enqueueCampaignJobs } from './queues.ts'

type Row = ClaimedDelivery & { email: string; contactId: number }

export type StopReason = 'paused' | 'cancelled' | 'shutdown' | 'smtp-unreachable' | 'error'

export interface BatchResult {
  claimed: number
  sent: number
  stopped: StopReason | null
}

/** Consecutive connection errors per campaign in this process (reset by any acknowledgement). */
const connectionErrors = new Map<number, number>()

let shuttingDown = false

/** Called by the worker on SIGTERM: running batches stop taking rows and give the unsent ones back. */
export function stopCampaignBatches(): void {
  shuttingDown = true
}

const statusPollMs = 1000
/** How long a re-check stays good for a row waiting to go. */
const recheckMaxAgeMs = 250

/**
 * The range's rows, claimed a small chunk at a time as the lanes need them (one chunk ahead), so that a worker
 * killed mid-batch holds few claimed rows. A claim carries the re-check (still ACTIVE, still CONFIRMED, not
 * suppressed); rows waiting longer than `maxAgeMs` since then (a slow, rate-limited send) are checked again
 * before they go, so someone who unsubscribes is not mailed a moment later.
 */
class RowSource {
  private ready: Row[] = []
  private checkedAt = 0
  private loading: Promise<void> | null = null
  private exhausted = false

  constructor(
    private readonly settings: { chunk: number; lowWater: number; maxAgeMs: number },
    /** The next claimed rows still to send, and whether the range has nothing more to claim. */
    private readonly claim: (limit: number) => Promise<{ rows: Row[]; done: boolean }>,
    private readonly recheck: (rows: Row[]) => Promise<Row[]>,
  ) {}

  private track(work: Promise<void>): Promise<void> {
    this.loading = work.finally(() => (this.loading = null))
    return this.loading
  }

  private load(): Promise<void> {
    return this.track(
      this.claim(this.settings.chunk).then(({ rows, done }) => {
        this.ready.push(...rows)
        this.exhausted = done
        this.checkedAt = Date.now()
      }),
    )
  }

  private refresh(): Promise<void> {
    const waiting = this.ready
    this.ready = []
    return this.track(
      this.recheck(waiting).then((eligible) => {
        this.ready.unshift(...eligible)
        this.checkedAt = Date.now()
      }),
    )
  }

  /** Resolves once no claim or re-check is running (a prefetch may still be claiming when the lanes stop). */
  async settle(): Promise<void> {
    while (this.loading) await this.loading.catch(() => undefined)
  }

  async take(): Promise<Row | null> {
    for (;;) {
      if (this.loading) {
        await this.loading
        continue
      }
      if (this.ready.length > 0 && Date.now() - this.checkedAt > this.settings.maxAgeMs) {
        await this.refresh()
        continue
      }
      const row = this.ready.shift()
      if (row) {
        if (this.ready.length < this.settings.lowWater && !this.exhausted) void this.load().catch(() => undefined)
        return row
      }
      if (this.exhausted) return null
      await this.load()
    }
  }
}

async function isSending(campaignId: number): Promise<boolean> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { status: true } })
  return campaign?.status === 'SENDING'
}

function backoffMs(attempts: number): number {
  const base = campaignSettings().retryBaseMs * 2 ** Math.max(0, attempts - 1)
  return Math.round(base * (0.5 + Math.random()))
}

export async function runBatch(campaignId: number, fromId: bigint, toId: bigint): Promise<BatchResult> {
  // A job of a paused or cancelled campaign does nothing and leaves nothing behind: resume re-enqueues.
  if (!(await isSending(campaignId))) return { claimed: 0, sent: 0, stopped: null }
  const context = await campaignContext(campaignId)
  if (!context) return { claimed: 0, sent: 0, stopped: null }
  if (shuttingDown) {
    // Taken just as the worker stops: leave the range to another worker (or to this one after its restart).
    await enqueueCampaignJobs([followUpJob(campaignId, fromId, toId, new Date())])
    return { claimed: 0, sent: 0, stopped: 'shutdown' }
  }
  /** Claimed and not yet sent (given back at the end unless sent or skipped). */
  const unsent = new Set<bigint>()
  let claimed = 0
  /** Acknowledged by SMTP but whose SENT write failed: never given back (the lease recovers and counts them). */
  const unrecorded = new Set<bigint>()
  let stopped: StopReason | null = null
  let sent = 0
  let fatal: unknown = null
  const stop = (reason: StopReason) => (stopped ??= reason)
  const isStopped = () => {
    if (shuttingDown) stop('shutdown')
    return stopped !== null
  }

  // Every second: is the campaign still SENDING? Every half heartbeat TTL (or lease/5): keep the claims fresh, so
  // the reconciler never mistakes them for a dead worker's (see recoverClaims).
  const settings = campaignSettings()
  const renewEvery = Math.min(heartbeatTtlMs / 2, Math.floor(settings.claimLeaseMs / 5))
  let lastRenew = Date.now()
  const watcher = setInterval(() => {
    void prisma.campaign
      .findUnique({ where: { id: campaignId }, select: { status: true } })
      .then(async (campaign) => {
        if (campaign?.status === 'PAUSED') stop('paused')
        else if (campaign?.status !== 'SENDING') stop('cancelled')
        if (Date.now() - lastRenew >= renewEvery) {
          lastRenew = Date.now()
          await renewClaims([...unsent], workerIdentity)
        }
      })
      .catch((error: unknown) => logger.warn({ campaignId, err: String(error) }, 'campaign status check failed'))
  }, statusPollMs)

  const mailer = getCampaignMailer()
  const slots = campaignSlots()
  const skip = async (reasons: Map<bigint, string>) => {
    await recordSkipped(reasons)
    for (const id of reasons.keys()) unsent.delete(id)
  }
  // Fewer rows than asked: the range has no more due rows (or the campaign is no longer SENDING).
  const claim = async (limit: number): Promise<{ rows: Row[]; done: boolean }> => {
    if (isStopped()) return { rows: [], done: true }
    const rows = await claimDeliveries(campaignId, fromId, toId, workerIdentity, limit)
    for (const row of rows) unsent.add(row.id)
    claimed += rows.length
    await skip(new Map(rows.flatMap((row) => (row.skipReason ? [[row.id, row.skipReason] as const] : []))))
    const eligible = rows.filter((row): row is Row => !row.skipReason && row.email !== null && row.contactId !== null)
    return { rows: eligible, done: rows.length < limit }
  }
  const recheck = async (waiting: Row[]): Promise<Row[]> => {
    if (isStopped()) return []
    const reasons = await ineligibleDeliveries(campaignId, waiting.map((row) => row.id))
    await skip(reasons)
    return waiting.filter((row) => !reasons.has(row.id))
  }
  const source = new RowSource({ chunk: mailer.slots * 2, lowWater: mailer.slots, maxAgeMs: recheckMaxAgeMs }, claim, recheck)

  const handleFailure = async (row: Row, error: unknown) => {
    const failure = classifySendFailure(error)
    if (failure.kind === 'connection') {
      const count = (connectionErrors.get(campaignId) ?? 0) + 1
      connectionErrors.set(campaignId, count)
      // Not counted as an attempt: given back with the rest when the batch ends.
      logger.warn({ campaignId, deliveryId: row.id.toString(), count }, 'campaign SMTP connection error')
      if (count >= settings.pauseAfterConnectionErrors) {
        stop('smtp-unreachable')
        connectionErrors.set(campaignId, 0)
        await pauseCampaign(campaignId, null, `Le serveur d’envoi ne répond plus (${failure.response.slice(0, 200)}). Vérifiez-le puis reprenez l’envoi.`)
      }
      return
    }
    unsent.delete(row.id)
    if (failure.kind === 'bounce') {
      await recordOutcome(row.id, { status: 'BOUNCED', response: failure.response })
      await suppressAddress({ email: row.email, reason: 'HARD_BOUNCE', detail: `SMTP ${failure.response.slice(0, 3)}` })
    } else if (failure.kind === 'permanent' || row.attempts >= settings.maxAttempts) {
      await recordOutcome(row.id, { status: 'FAILED', response: failure.response })
    } else {
      await recordOutcome(row.id, { status: 'QUEUED', nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)), response: failure.response })
    }
    logger.info({ campaignId, deliveryId: row.id.toString(), kind: failure.kind, code: failure.response.slice(0, 3) }, 'campaign delivery not sent')
  }

  // A lane: a sending permit, then a slot (one per pooled connection), then the next row, freshly checked; the slot
  // is given back only once the outcome is written.
  const lane = async () => {
    while (!isStopped()) {
      if (!(await context.gate.take(isStopped))) return
      await slots.take()
      try {
        if (isStopped()) return
        const row = await source.take()
        if (!row || isStopped()) return
        let message
        try {
          message = buildMessage(context, row)
        } catch (error) {
          // A value the message cannot carry (an address with a comma…): retrying cannot help.
          unsent.delete(row.id)
          await recordOutcome(row.id, { status: 'FAILED', response: `Message impossible à construire : ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000) })
          continue
        }
        let response: string
        try {
          response = await mailer.send(message)
        } catch (error) {
          await handleFailure(row, error)
          continue
        }
        connectionErrors.set(campaignId, 0)
        unsent.delete(row.id)
        unrecorded.add(row.id)
        await commitSent({ id: row.id, messageId: message.messageId, response, at: new Date() })
        unrecorded.delete(row.id)
        sent += 1
      } finally {
        slots.give()
      }
    }
  }

  try {
    const lanes = await Promise.allSettled(Array.from({ length: mailer.slots }, () => lane()))
    for (const result of lanes) {
      if (result.status === 'rejected') {
        fatal ??= result.reason
        stop('error')
      }
    }
  } finally {
    clearInterval(watcher)
  }
  // Rows a prefetch claimed after the lanes stopped are given back with the rest.
  await source.settle()
  const giveBack = [...unsent].filter((id) => !unrecorded.has(id))
  const released = await releaseClaims(campaignId, giveBack, workerIdentity)
  if (fatal) throw fatal instanceof Error ? fatal : new Error(String(fatal))
  logger.info({ campaignId, fromId: fromId.toString(), claimed, sent, released, stopped }, 'campaign batch done')
  await afterBatch(campaignId, fromId, toId, stopped)
  return { claimed, sent, stopped }
}

/**
 * Ends the campaign when nothing is left, or leaves a job for the range's remaining rows (retries, a shutdown). Reads
 * the status again: a batch stopped by a pause whose campaign was resumed meanwhile (its range job was still running
 * when resume re-enqueued, so that was a no-op) leaves a job too.
 */
async function afterBatch(campaignId: number, fromId: bigint, toId: bigint, stopped: StopReason | null): Promise<void> {
  if (!(await isSending(campaignId))) return
  if (await finishIfDone(campaignId)) {
    logger.info({ campaignId }, 'campaign sent')
    return
  }
  const dueAt = await rangeNextDue(campaignId, fromId, toId)
  if (!dueAt) return
  // Never sooner than a second from now: a row due now that this batch could not claim is not retried in a loop.
  const at = stopped === 'shutdown' ? dueAt : new Date(Math.max(dueAt.getTime(), Date.now() + 1000))
  await enqueueCampaignJobs([followUpJob(campaignId, fromId, toId, at)])
}
