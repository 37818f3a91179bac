// Owns the `campaign` queue's processor and the campaign reconciler. The design of the sending pipeline:
//
// Launch (app/models/campaign-send.server.ts). One transaction: a conditional UPDATE moves the campaign from
// DRAFT|SCHEDULED to SENDING (a double click or a replayed request finds it SENDING and starts nothing), stores
// the compiled snapshot (MJML rendered once), the archive slug and startedAt, and snapshots the audience into the
// Delivery ledger with set-based INSERT … SELECT … ON CONFLICT DO NOTHING by ranges of contact id (one row per
// campaign × contact, deduplicated across lists, only ACTIVE contacts CONFIRMED on a list, suppressed addresses
// left out by the SHA-256 of the address). After the commit, one `batch` job per range of Delivery ids (id / batch
// size) is added with a deterministic job id: adding it again while it exists is a no-op.
//
// Batch (jobs/campaign-batch.ts). The job re-reads the campaign (nothing unless SENDING) and claims the range's due
// QUEUED rows a small chunk at a time (2 × CAMPAIGN_SMTP_CONNECTIONS, one chunk ahead), each chunk with ONE
// conditional UPDATE … RETURNING (SENDING, claimedBy = this worker, attempts + 1, only while the campaign is SENDING)
// that also re-checks each contact (still ACTIVE, still CONFIRMED on one of the campaign's lists, not suppressed;
// otherwise SKIPPED with a reason); rows that waited over 250 ms are checked again before they go. Each message is
// the campaign's pre-built MIME filled with the recipient's values (no MJML per recipient), its Message-ID derived
// from the delivery, DKIM-signed when configured, sent as raw MIME + envelope through a pool of
// CAMPAIGN_SMTP_CONNECTIONS connections. Each lane holds a process-wide slot from before the SMTP call until the
// SENT row (Message-ID, SMTP answer) is written; acknowledgements are group-committed (one UPDATE for those that
// arrived while the previous write ran).
//
// The one unavoidable window: the SMTP server has accepted a message and the process dies before its SENT row is
// written. That message's row stays SENDING under the dead worker's name; the reconciler puts it back to QUEUED
// and it is sent again. Because a lane takes its next message only after its previous one is recorded, at most
// CAMPAIGN_SMTP_CONNECTIONS messages (per worker process) can be in that state at any instant: the duplicates of a
// crash are bounded by the pool size, and Campaign.recoveredCount counts the rows taken back (an upper bound of
// them). A graceful stop (SIGTERM) never duplicates: batches stop taking rows, finish the messages in flight,
// record them, and give the unsent rows back (QUEUED, attempt not counted) before the worker exits.
//
// Failures: SMTP 4xx → QUEUED again with nextAttemptAt (exponential backoff with ±50 % jitter, then FAILED after
// CAMPAIGN_MAX_ATTEMPTS) and a delayed job for the range; 5xx to RCPT TO → BOUNCED and the address suppressed
// (HARD_BOUNCE), never retried; another 5xx → FAILED ("retry failed" puts them back); a run of connection errors
// (refused, timed out, 421, authentication or sender refused) pauses the campaign with a reason staff read, and
// gives the claimed rows back. Pause and cancel are seen within a second by running batches (they stop and give
// rows back, or skip them when cancelled), and at once by the next claim.
//
// The rate per sender identity (per second and per hour) is counted in Redis, shared by every worker process.
//
// Recovery (reconcileCampaigns below, at worker start and every CAMPAIGN_RECONCILE_INTERVAL_MS): SENDING rows of
// workers without a live heartbeat whose claims are older than the heartbeat TTL (running batches renew theirs every
// half TTL, so a live worker whose heartbeat key vanished in a Redis flush keeps them), or claimed longer than the
// lease, go back to QUEUED (counted in recoveredCount); scheduled campaigns whose time has passed are launched
// (once: the launch is conditional; one that cannot go out goes back to draft); every SENDING campaign gets a job for
// each range holding QUEUED rows (so a Redis flush loses nothing) or becomes SENT when no QUEUED or SENDING row is
// left. The periodic run is a timer of the worker process (jobs/maintenance.ts), not a BullMQ schedule, which a
// Redis flush would delete. PostgreSQL is the truth; Redis only carries work.
import { type Job, UnrecoverableError } from 'bullmq'
import { launchDueCampaigns, launchScheduledCampaign } from '~/models/campaign-send.server.ts'
import { enqueueRanges } from '~/utils/campaign-dispatch.server.ts'
import { finishIfDone, recoverClaims } from '~/utils/campaign-ledger.server.ts'
import { campaignSettings } from '~/utils/campaign-settings.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { runBatch } from './campaign-batch.ts'
import { heartbeatTtlMs, workerHeartbeatKey, workerIdentity } from './heartbeat.ts'
import { jobSchemas } from './queues.ts'
import type { Reconciler } from './reconcile.ts'

export { stopCampaignBatches } from './campaign-batch.ts'

export async function processCampaign(job: Job): Promise<unknown> {
  const parsed = jobSchemas.campaign.safeParse(job.data)
  if (!parsed.success) throw new UnrecoverableError('invalid campaign job data')
  const data = parsed.data
  if (data.kind === 'launch') {
    const result = await launchScheduledCampaign(data.campaignId, new Date(data.scheduledAt))
    logger.info({ jobId: job.id, campaignId: data.campaignId, launched: result.ok }, 'scheduled campaign job done')
    return { launched: result.ok }
  }
  return runBatch(data.campaignId, BigInt(data.fromId), BigInt(data.toId))
}

/** Claims made by this process are younger than this; older ones under its identity are a previous process's. */
const processStartedAt = new Date(Date.now() - Math.round(process.uptime() * 1000))

async function isAlive(worker: string): Promise<boolean> {
  return (await redis.exists(workerHeartbeatKey(worker))) === 1
}

/** Rebuilds campaign work from PostgreSQL; safe to run anywhere, at any time, concurrently. */
export async function reconcileCampaigns(now = new Date()): Promise<{ enqueued: number; stranded: number; recovered: number; launched: number }> {
  const recovered = await recoverClaims({
    isAlive,
    self: { identity: workerIdentity, startedAt: processStartedAt },
    staleMs: heartbeatTtlMs,
    leaseMs: campaignSettings().claimLeaseMs,
  })
  for (const [campaignId, count] of recovered) logger.warn({ campaignId, count }, 'campaign deliveries taken back from a stopped worker')
  const launched = await launchDueCampaigns(now)
  const sending = await prisma.campaign.findMany({ where: { status: 'SENDING' }, select: { id: true } })
  let enqueued = 0
  for (const { id } of sending) {
    if (!(await finishIfDone(id))) enqueued += await enqueueRanges(id)
  }
  return { enqueued, stranded: 0, recovered: [...recovered.values()].reduce((sum, count) => sum + count, 0), launched }
}

export const campaignReconciler: Reconciler = {
  name: 'campaign-deliveries',
  async run(now) {
    const { enqueued, stranded } = await reconcileCampaigns(now)
    return { enqueued, stranded }
  },
}
