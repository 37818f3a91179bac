// Owns what staff read about a campaign's sending: live progress (counts by ledger status, rate, estimated end) and
// results (delivered, bounced with reasons, unsubscribed, clicks per link, failed recipients).
import type { CampaignStatus, DeliveryStatus } from '~/generated/prisma/enums.ts'

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

export async function campaignProgress(_campaignId: number): Promise<CampaignProgress> {
  throw new Error('not implemented')
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

export async function campaignResults(_campaignId: number): Promise<CampaignResults> {
  throw new Error('not implemented')
}
