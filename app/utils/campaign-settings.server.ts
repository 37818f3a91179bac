// Owns the tuning knobs of campaign sending that are not part of the main configuration (env.server.ts): read once,
// validated, each with a default suited to production. Tests and benchmarks shorten them.
import { z } from 'zod'

export interface CampaignSettings {
  /** How often the reconciler runs in the worker (maintenance schedule). */
  reconcileIntervalMs: number
  /** A claim older than this is taken back even when its worker still beats (jobs renew theirs). */
  claimLeaseMs: number
  /** First retry delay after an SMTP 4xx; doubled at each attempt, ±50 % jitter. */
  retryBaseMs: number
  /** Attempts (claims) after which a deferred delivery is FAILED. */
  maxAttempts: number
  /** Connection errors in a row that pause a campaign. */
  pauseAfterConnectionErrors: number
}

const knobs = {
  reconcileIntervalMs: ['CAMPAIGN_RECONCILE_INTERVAL_MS', 30_000, 1000, 3_600_000],
  claimLeaseMs: ['CAMPAIGN_CLAIM_LEASE_MS', 10 * 60_000, 5000, 24 * 3_600_000],
  retryBaseMs: ['CAMPAIGN_RETRY_BASE_MS', 30_000, 10, 3_600_000],
  maxAttempts: ['CAMPAIGN_MAX_ATTEMPTS', 8, 1, 50],
  pauseAfterConnectionErrors: ['CAMPAIGN_PAUSE_AFTER_CONNECTION_ERRORS', 10, 1, 1000],
} as const satisfies Record<keyof CampaignSettings, readonly [string, number, number, number]>

let cached: CampaignSettings | undefined

export function readCampaignSettings(source: NodeJS.ProcessEnv): CampaignSettings {
  const settings = {} as CampaignSettings
  for (const [key, [name, fallback, min, max]] of Object.entries(knobs) as Array<[keyof CampaignSettings, readonly [string, number, number, number]]>) {
    const raw = source[name]?.trim()
    const parsed = raw ? z.coerce.number().int().min(min).max(max).safeParse(raw) : null
    if (parsed && !parsed.success) throw new Error(`Configuration invalide : ${name} doit être un entier entre ${min} et ${max}`)
    settings[key] = parsed ? parsed.data : fallback
  }
  return settings
}

export function campaignSettings(): CampaignSettings {
  cached ??= readCampaignSettings(process.env)
  return cached
}
