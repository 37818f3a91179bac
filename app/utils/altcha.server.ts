// Owns the cookie-less proof-of-work of public forms (ALTCHA): signed challenges the browser widget solves, their
// verification, and the memory of solutions already used (in Redis until the challenge expires) so none is replayed.
import { hkdfSync } from 'node:crypto'
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { z } from 'zod'
import { getEnv } from './env.server.ts'
import { redis, redisKey, whenRedisReady } from './redis.server.ts'

/** Field the widget posts its solution in. */
export const POW_FIELD = 'altcha'

const challengeSeconds = 10 * 60
// SHA-256, counter between 10,000 and 50,000: well under a second in a phone's browser, a real cost for a bot
// posting thousands of forms. Verification is one HMAC (the key signature), whatever the counter.
const algorithm = 'SHA-256'
const counterRange = { min: 10_000, max: 50_000 }

let secrets: { signature: string; keySignature: string } | undefined

function powSecrets() {
  if (!secrets) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', getEnv().SESSION_SECRET, 'relais-altcha', info, 32)).toString('hex')
    secrets = { signature: derive('challenge-signature'), keySignature: derive('key-signature') }
  }
  return secrets
}

export async function createPowChallenge(now = new Date()): Promise<Challenge> {
  const { signature, keySignature } = powSecrets()
  return createChallenge({
    algorithm,
    cost: 1,
    counter: randomInt(counterRange.max, counterRange.min),
    deriveKey,
    hmacSignatureSecret: signature,
    hmacKeySignatureSecret: keySignature,
    expiresAt: new Date(now.getTime() + challengeSeconds * 1000),
  })
}

const payloadSchema = z.object({
  challenge: z.object({
    parameters: z
      .object({
        algorithm: z.string(),
        nonce: z.string().regex(/^[0-9a-f]{8,64}$/),
        salt: z.string(),
        cost: z.number(),
        keyLength: z.number(),
        keyPrefix: z.string(),
        keySignature: z.string().optional(),
        expiresAt: z.number().int().positive(),
      })
      .passthrough(),
    signature: z.string().min(1),
  }),
  solution: z.object({ counter: z.number().int().nonnegative(), derivedKey: z.string().min(1) }).passthrough(),
})

export type PowCheck = 'ok' | 'missing' | 'invalid' | 'replayed'

function parsePayload(text: string) {
  try {
    return payloadSchema.safeParse(JSON.parse(Buffer.from(text, 'base64').toString('utf8')))
  } catch {
    return null
  }
}

/** Checks the widget's solution; a valid one is spent at once (a second use answers 'replayed'). */
export async function checkPow(payloadText: string | null | undefined): Promise<PowCheck> {
  if (!payloadText) return 'missing'
  const parsed = parsePayload(payloadText)
  if (!parsed?.success) return 'invalid'
  const { challenge, solution } = parsed.data
  const { signature, keySignature } = powSecrets()
  const result = await verifySolution({
    challenge,
    solution,
    deriveKey,
    hmacSignatureSecret: signature,
    hmacKeySignatureSecret: keySignature,
  }).catch(() => null)
  if (!result?.verified) return 'invalid'
  await whenRedisReady(redis, 2000)
  // SET NX until the challenge expires: after that, verifySolution refuses it anyway.
  const stored = await redis.set(redisKey('altcha-used', challenge.parameters.nonce), '1', 'EXAT', challenge.parameters.expiresAt, 'NX')
  return stored === 'OK' ? 'ok' : 'replayed'
}
