// Owns the sending rate of a sender identity (SenderIdentity.ratePerSecond / ratePerHour), shared by every worker
// process through Redis: fixed one-second and one-hour windows counted by one Lua script on Redis's own clock. A
// process takes a few permits at a time and keeps them locally, so the rate costs a round trip per few messages.
import type { Redis } from 'ioredis'
import { logger } from './logger.server.ts'
import { redisKey } from './redis.server.ts'

// KEYS: base key · ARGV: wanted, per second, per hour · returns { granted, ms to wait when none was granted }.
const takeScript = `
local t = redis.call('TIME')
local ms = t[1] * 1000 + math.floor(t[2] / 1000)
local sec = math.floor(ms / 1000)
local hour = math.floor(ms / 3600000)
local skey = KEYS[1] .. ':s:' .. sec
local hkey = KEYS[1] .. ':h:' .. hour
local want = tonumber(ARGV[1])
local perSecond = tonumber(ARGV[2])
local perHour = tonumber(ARGV[3])
local usedS = tonumber(redis.call('GET', skey) or '0')
local usedH = tonumber(redis.call('GET', hkey) or '0')
local grant = math.min(want, perSecond - usedS, perHour - usedH)
if grant <= 0 then
  if perHour - usedH <= 0 then return { 0, (hour + 1) * 3600000 - ms } end
  return { 0, (sec + 1) * 1000 - ms }
end
redis.call('INCRBY', skey, grant)
redis.call('PEXPIRE', skey, 2000)
redis.call('INCRBY', hkey, grant)
redis.call('PEXPIRE', hkey, 3660000)
return { grant, 0 }`

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface RateLimit {
  perSecond: number
  perHour: number
}

/**
 * One process's gate for one sender identity. `take` resolves when a message may go, or with false when
 * `stopped()` became true while waiting (waits are cut into slices of at most a second so a pause is seen).
 */
export class SenderRateGate {
  private permits = 0
  private refilling: Promise<void> | null = null

  constructor(
    private readonly connection: Redis,
    private readonly senderKey: string,
    private readonly limit: RateLimit,
  ) {}

  async take(stopped: () => boolean): Promise<boolean> {
    for (;;) {
      if (stopped()) return false
      if (this.permits > 0) {
        this.permits -= 1
        return true
      }
      this.refilling ??= this.refill(stopped).finally(() => (this.refilling = null))
      await this.refilling
    }
  }

  private async refill(stopped: () => boolean): Promise<void> {
    // A tenth of a second's worth at a time: few round trips, and little burst at a window's edge.
    const want = Math.max(1, Math.min(64, Math.ceil(this.limit.perSecond / 10)))
    try {
      const [granted, waitMs] = (await this.connection.eval(takeScript, 1, redisKey('campaign', 'rate', this.senderKey), want, this.limit.perSecond, this.limit.perHour)) as [
        number,
        number,
      ]
      if (granted > 0) this.permits += granted
      else if (!stopped()) await sleep(Math.min(Math.max(waitMs, 5), 1000))
    } catch (error) {
      logger.warn({ sender: this.senderKey, err: error instanceof Error ? error.message : String(error) }, 'campaign rate limiter unavailable, waiting')
      await sleep(1000)
    }
  }
}
