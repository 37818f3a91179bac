// Owns what staff read about a campaign's sending: live progress (counts by ledger status, rate, estimated end) and
// results (delivered, bounced with reasons, unsubscribed, clicks per link without identity, measurement counts of
// consenting contacts, failed recipients with the SMTP answer). Read through the (campaignId, status, id) index.
import type { CampaignStatus, DeliveryStatus } from '~/generated/prisma/enums.ts'
import { utcNow } from '~/utils/campaign-ledger.server.ts'
import { prisma } from '~/utils/db.server.ts'

export interface CampaignProgress {
  status: CampaignStatus
  total: number
  sent: number
  remaining: number
  failed: number
  bounced: number
  skipped: number
  perMinute: number
  estimatedEndAt: Date | null
  pausedReason: string | null
  recoveredCount: number
  startedAt: Date | null
  finishedAt: Date | null
}

type Counts = Record<DeliveryStatus, number>

async function countsByStatus(campaignId: number): Promise<Counts> {
  const rows = await prisma.delivery.groupBy({ by: ['status'], where: { campaignId }, _count: { _all: true } })
  const counts: Counts = { QUEUED: 0, SENDING: 0, SENT: 0, FAILED: 0, BOUNCED: 0, SKIPPED: 0 }
  for (const row of rows) counts[row.status] = row._count._all
  return counts
}

export async function campaignProgress(campaignId: number): Promise<CampaignProgress> {
  const campaign = await prisma.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { status: true, pausedReason: true, recoveredCount: true, startedAt: true, finishedAt: true },
  })
  const counts = await countsByStatus(campaignId)
  // Messages acknowledged during the last minute: the current rate.
  const [recent] = await prisma.$queryRaw<Array<{ count: bigint }>>`
    SELECT count(*) AS count FROM "Delivery"
    WHERE "campaignId" = ${campaignId} AND status = 'SENT' AND "sentAt" >= ${utcNow} - interval '1 minute'`
  const perMinute = Number(recent?.count ?? 0)
  const remaining = counts.QUEUED + counts.SENDING
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0)
  const estimatedEndAt = campaign.status === 'SENDING' && remaining > 0 && perMinute > 0 ? new Date(Date.now() + (remaining / perMinute) * 60_000) : null
  return {
    status: campaign.status,
    total,
    // BOUNCED rows reached the server and were refused: they count as done, not as sent.
    sent: counts.SENT,
    remaining,
    failed: counts.FAILED,
    bounced: counts.BOUNCED,
    skipped: counts.SKIPPED,
    perMinute,
    estimatedEndAt,
    pausedReason: campaign.pausedReason,
    recoveredCount: campaign.recoveredCount,
    startedAt: campaign.startedAt,
    finishedAt: campaign.finishedAt,
  }
}

export interface CampaignResults {
  delivered: number
  bounced: number
  bounceReasons: Array<{ reason: string; count: number }>
  unsubscribed: number
  clicks: Array<{ url: string; clicks: number }>
  measured: { recipients: number; opened: number; clicked: number }
  failed: Array<{ deliveryId: string; email: string | null; status: DeliveryStatus; smtpResponse: string | null; attempts: number }>
  failedTotal: number
}

const failedListSize = 200

export async function campaignResults(campaignId: number): Promise<CampaignResults> {
  const counts = await countsByStatus(campaignId)
  // Reasons grouped by the SMTP answer's codes ("550 5.1.1"), without the rest (which may quote the address).
  const reasons = await prisma.$queryRaw<Array<{ reason: string; count: bigint }>>`
    SELECT COALESCE(NULLIF(substring(COALESCE("smtpResponse", error, '') from '^[0-9]{3}(?:[ -][0-9]\\.[0-9]{1,3}\\.[0-9]{1,3})?'), ''),
                    left(COALESCE("smtpResponse", error, 'inconnu'), 60)) AS reason,
      count(*) AS count
    FROM "Delivery" WHERE "campaignId" = ${campaignId} AND status = 'BOUNCED'
    GROUP BY 1 ORDER BY 2 DESC LIMIT 20`
  const [unsubscribed, links, measured, failedRows] = await Promise.all([
    prisma.delivery.count({ where: { campaignId, unsubscribedAt: { not: null } } }),
    prisma.campaignLink.findMany({ where: { campaignId }, select: { url: true, clicks: true }, orderBy: [{ clicks: 'desc' }, { id: 'asc' }] }),
    prisma.$queryRaw<Array<{ recipients: bigint; opened: bigint; clicked: bigint }>>`
      SELECT count(*) FILTER (WHERE c."measurementConsent") AS recipients,
        count(*) FILTER (WHERE d."openedAt" IS NOT NULL) AS opened,
        count(*) FILTER (WHERE d."clickedAt" IS NOT NULL) AS clicked
      FROM "Delivery" d LEFT JOIN "Contact" c ON c.id = d."contactId"
      WHERE d."campaignId" = ${campaignId} AND d.status = 'SENT'`,
    prisma.delivery.findMany({
      where: { campaignId, status: { in: ['FAILED', 'BOUNCED'] } },
      select: { id: true, status: true, smtpResponse: true, error: true, attempts: true, contact: { select: { email: true } } },
      orderBy: { id: 'asc' },
      take: failedListSize,
    }),
  ])
  const [measure] = measured
  return {
    delivered: counts.SENT,
    bounced: counts.BOUNCED,
    bounceReasons: reasons.map((row) => ({ reason: row.reason, count: Number(row.count) })),
    unsubscribed,
    clicks: links,
    measured: { recipients: Number(measure?.recipients ?? 0), opened: Number(measure?.opened ?? 0), clicked: Number(measure?.clicked ?? 0) },
    failed: failedRows.map((row) => ({
      deliveryId: row.id.toString(),
      email: row.contact?.email ?? null,
      status: row.status,
      smtpResponse: row.smtpResponse ?? row.error,
      attempts: row.attempts,
    })),
    failedTotal: counts.FAILED + counts.BOUNCED,
  }
}
