// Owns how a campaign's ledger becomes BullMQ jobs: one `batch` job per range of Delivery ids (id / batch size),
// with a deterministic job id, so that enqueueing the same range again while its job exists is a no-op. Everything
// here is rebuilt from PostgreSQL: launch, resume, retry and the reconciler all call enqueueRanges.
import { enqueueCampaignJobs, type CampaignJob } from '#jobs/queues.ts'
import { queuedRanges } from './campaign-ledger.server.ts'
import { getEnv } from './env.server.ts'

export function batchSize(): number {
  return getEnv().CAMPAIGN_BATCH_SIZE
}

/** The first and last Delivery id of a range. */
export function rangeBounds(bucket: bigint, size = batchSize()): { fromId: bigint; toId: bigint } {
  const width = BigInt(size)
  return { fromId: bucket * width, toId: bucket * width + width - 1n }
}

/**
 * A range's job. A range due now gets the base id `<campaign>:<bucket>` (what the reconciler re-adds); a later
 * one (retry after a 4xx) gets an id with its due second, so it does not collide with the range's running job.
 */
export function batchJob(campaignId: number, bucket: bigint, dueAt: Date | null, now = Date.now(), size = batchSize()): CampaignJob {
  const { fromId, toId } = rangeBounds(bucket, size)
  const data = { kind: 'batch' as const, campaignId, fromId: fromId.toString(), toId: toId.toString() }
  const delayMs = dueAt ? dueAt.getTime() - now : 0
  if (delayMs <= 0) return { data, key: `campaign-batch:${campaignId}:${size}:${bucket}` }
  return { data, key: `campaign-batch:${campaignId}:${size}:${bucket}:${Math.ceil(dueAt!.getTime() / 1000)}`, delayMs }
}

/** A follow-up job for one range (after a batch that left rows QUEUED): never the base id, which may be running. */
export function followUpJob(campaignId: number, fromId: bigint, toId: bigint, dueAt: Date, now = Date.now()): CampaignJob {
  const data = { kind: 'batch' as const, campaignId, fromId: fromId.toString(), toId: toId.toString() }
  const dueSecond = Math.ceil(Math.max(dueAt.getTime(), now) / 1000)
  return { data, key: `campaign-batch:${campaignId}:${fromId}-${toId}:next:${dueSecond}`, delayMs: Math.max(0, dueAt.getTime() - now) }
}

/** Enqueues a job for every range of the campaign holding QUEUED rows; returns how many ranges it covered. */
export async function enqueueRanges(campaignId: number): Promise<number> {
  const size = batchSize()
  const ranges = await queuedRanges(campaignId, size)
  const now = Date.now()
  await enqueueCampaignJobs(ranges.map((range) => batchJob(campaignId, BigInt(range.bucket), range.dueAt, now, size)))
  return ranges.length
}
