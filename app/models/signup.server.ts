// Owns the public sign-up's front door: the consent text shown (versioned), the anti-abuse checks (ALTCHA
// proof-of-work, Redis rate limits per client address and per target address; the honeypot is read with the form
// in signup-page.server.ts) and the hand-off to
// requestSubscription. Without JavaScript there is no proof-of-work: such submissions are accepted within a much
// stricter budget per client address and for the whole instance (see README, "Embeddable sign-up").
import { getOrganization } from '~/models/organization.server.ts'
import { checkPow } from '~/utils/altcha.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { clientAddressKey, consumeRateLimit, type RateLimitRule, type RateLimitState } from '~/utils/rate-limit.server.ts'
import { ensureConsentText } from './consent.server.ts'
import type { SignupInput } from './signup-schema.ts'
import { requestSubscription } from './subscription.server.ts'

export const signupLimits = {
  /** With a solved proof-of-work, per client address. */
  ip: { name: 'signup-ip', limit: 20, windowSeconds: 10 * 60 },
  /** Without proof-of-work (no JavaScript, plain HTML snippet), per client address and for everyone together. */
  ipWithoutPow: { name: 'signup-ip-nopow', limit: 5, windowSeconds: 60 * 60 },
  allWithoutPow: { name: 'signup-all-nopow', limit: 200, windowSeconds: 60 * 60 },
  /** Per target address, whatever asks: the same for known and unknown addresses, so it reveals nothing. */
  email: { name: 'signup-email', limit: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>

const knownTexts = new Map<string, string>()

/** The consent text shown under the form in `locale`, and its hash (stored once per wording). */
export async function currentConsentText(locale: 'fr' | 'en'): Promise<{ body: string; hash: string }> {
  const organization = await getOrganization()
  const t = i18next.getFixedT(locale)
  const body = (await t)('signup.consent', { organization: organization.name })
  let hash = knownTexts.get(body)
  if (!hash) {
    hash = await ensureConsentText(locale, body)
    knownTexts.set(body, hash)
  }
  return { body, hash }
}

export type SignupOutcome =
  | { status: 'received' }
  | { status: 'pow-failed' }
  | { status: 'rate-limited'; retryAfterSeconds: number }
  | { status: 'unknown-lists' }

function refusal(states: (RateLimitState | null)[]): SignupOutcome | null {
  const refused = states.filter((state): state is RateLimitState => state !== null && !state.allowed)
  if (refused.length === 0) return null
  return { status: 'rate-limited', retryAfterSeconds: Math.max(...refused.map((state) => state.retryAfterSeconds)) }
}

/**
 * Handles one valid submission. The answer depends only on the request (proof-of-work, limits, list names), never
 * on what Relais knows about the address; what the person is told goes by email.
 */
export async function submitSignup(input: {
  form: SignupInput
  pow: string | null
  ip: string | null
  locale: 'fr' | 'en'
  channel: 'web' | 'embed'
}): Promise<SignupOutcome> {
  const pow = await checkPow(input.pow)
  if (pow === 'invalid' || pow === 'replayed') {
    logger.info({ pow }, 'sign-up refused: proof-of-work')
    return { status: 'pow-failed' }
  }
  // IPv6 by its /64, so that rotating through one's own block does not buy fresh budgets.
  const address = input.ip ? clientAddressKey(input.ip) : null
  const byClient =
    pow === 'ok'
      ? [address ? await consumeRateLimit(signupLimits.ip, address) : null]
      : [address ? await consumeRateLimit(signupLimits.ipWithoutPow, address) : null, await consumeRateLimit(signupLimits.allWithoutPow, 'all')]
  const limited = refusal([...byClient, await consumeRateLimit(signupLimits.email, normalizeEmail(input.form.email))])
  if (limited) {
    logger.info({ withPow: pow === 'ok' }, 'sign-up refused: rate limit')
    return limited
  }
  const lists = await prisma.mailingList.findMany({ where: { slug: { in: input.form.lists }, isPublic: true, archivedAt: null }, select: { id: true } })
  if (lists.length === 0) return { status: 'unknown-lists' }
  const shown = input.form.consentTextHash
    ? await prisma.consentText.findUnique({ where: { hash: input.form.consentTextHash }, select: { hash: true } })
    : null
  const { email, lists: _slugs, consentTextHash: _hash, ...profile } = input.form
  await requestSubscription({
    email,
    profile,
    listIds: lists.map((list) => list.id),
    consentTextHash: shown?.hash ?? (await currentConsentText(input.locale)).hash,
    channel: input.channel,
  })
  return { status: 'received' }
}
