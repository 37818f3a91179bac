// Owns rate limits shared by every web process: a sliding-window log per key in Redis (one sorted set of hit
// times), so that limits hold across processes and restarts. Used by the login form, later by public forms.
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import { redis, redisKey, whenRedisReady } from './redis.server.ts'

export interface RateLimitRule {
  /** Short name, part of the Redis key ("login-email"). */
  name: string
  /** Hits allowed inside the window. */
  limit: number
  windowSeconds: number
}

export interface RateLimitState {
  /** Whether one more hit is allowed now. */
  allowed: boolean
  remaining: number
  /** When a refused caller may try again (0 when allowed). */
  retryAfterSeconds: number
}

// One round trip, atomic: drop hits older than the window, optionally add this one, report the count and the time
// of the hit whose expiry lets the next one through. Redis' own clock is used so that web processes agree.
const slidingWindowScript = `
local key = KEYS[1]
local windowMs = tonumber(ARGV[1])
local add = ARGV[2] == '1'
local member = ARGV[3]
local limit = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowMs)
if add then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, windowMs)
end
local count = redis.call('ZCARD', key)
local blockingAt = now
if count >= limit then
  local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  if blocking[2] then blockingAt = tonumber(blocking[2]) end
end
return { count, now, blockingAt }
`

/** Keys never hold personal data in clear (emails, addresses): they are hashed. */
function keyFor(rule: RateLimitRule, subject: string): string {
  const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 32)
  return redisKey('ratelimit', rule.name, digest)
}

async function run(rule: RateLimitRule, subject: string, add: boolean): Promise<RateLimitState> {
  const member = `${Date.now()}-${Math.random().toString(36).slice(2)}`
  const args = [rule.windowSeconds * 1000, add ? '1' : '0', member, rule.limit]
  // The shared connection has no offline queue: right after start, wait for it rather than fail the request.
  await whenRedisReady(redis, 2000)
  const [count, now, blockingAt] = (await redis.eval(slidingWindowScript, 1, keyFor(rule, subject), ...args)) as [number, number, number]
  // With a hit just added, the caller was allowed if the window held at most `limit` hits including it.
  const allowed = add ? count <= rule.limit : count < rule.limit
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((blockingAt + rule.windowSeconds * 1000 - now) / 1000))
  return { allowed, remaining: Math.max(0, rule.limit - count), retryAfterSeconds }
}

/** Counts one hit for `subject` and says whether it was within the limit (refused hits count too). */
export async function consumeRateLimit(rule: RateLimitRule, subject: string): Promise<RateLimitState> {
  return run(rule, subject, true)
}

/** Says whether one more hit would be allowed, without counting one (e.g. check first, count only failures). */
export async function peekRateLimit(rule: RateLimitRule, subject: string): Promise<RateLimitState> {
  return run(rule, subject, false)
}

/** Forgets every hit of `subject` (e.g. after a successful login). */
export async function resetRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  await redis.del(keyFor(rule, subject))
}

/**
 * The subject of a per-client-address limit. An IPv4 address is itself; an IPv6 address counts by its /64 prefix,
 * the block a single home or server is usually given, so that rotating through it does not buy a fresh budget per
 * address; an IPv4-mapped IPv6 address (::ffff:192.0.2.1) is its IPv4 address. Anything else is returned unchanged.
 */
export function clientAddressKey(ip: string): string {
  const address = ip.trim().toLowerCase()
  if (isIP(address) !== 6) return address
  const groups = ipv6Groups(address.split('%')[0]!)
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of a valid IPv6 address (already checked by isIP; "::" and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  let text = address
  const tailStart = text.lastIndexOf(':') + 1
  const tail = text.slice(tailStart)
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, tailStart)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)))
  const left = parse(head)
  const right = rest === undefined ? [] : parse(rest)
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}
