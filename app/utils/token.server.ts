// Owns the signed tokens put in email links (confirm, unsubscribe, preferences, re-permission): HMAC-SHA256 over
// purpose, subject, expiry and key version, with a key derived per version from SESSION_SECRET. A token carries
// ids only (never an email address) and is URL-safe; a token made for one purpose never verifies for another.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { getEnv } from './env.server.ts'

/**
 * `registration`/`series-registration`: an attendee's management page (subject: the registration id);
 * `checkin`: the QR code staff scan at the door (subject: the registration id);
 * `event-invite`: a newsletter's one-click registration (subject: `<contactId>:e<eventId>`);
 * `feedback`: the follow-up's feedback form (subject: the registration id).
 */
export type TokenPurpose =
  | 'confirm'
  | 'unsubscribe'
  | 'preferences'
  | 'repermission'
  | 'measure'
  | 'registration'
  | 'series-registration'
  | 'checkin'
  | 'event-invite'
  | 'feedback'

export type TokenCheck = { ok: true; subject: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' }

/** The version new tokens are signed with. To rotate: bump it and keep the old one in `acceptedVersions`. */
const currentVersion = 1
const acceptedVersions = new Set([1])

const keys = new Map<number, Buffer>()

function keyFor(version: number): Buffer {
  let key = keys.get(version)
  if (!key) {
    // One key per version, none equal to the session secret itself (which also signs cookies).
    key = Buffer.from(hkdfSync('sha256', getEnv().SESSION_SECRET, 'relais-email-links', `token-v${version}`, 32))
    keys.set(version, key)
  }
  return key
}

function mac(version: number, purpose: TokenPurpose, subject: string, expiresAtSeconds: number): Buffer {
  // The purpose is signed but not written in the token: verifying with another purpose simply fails.
  return createHmac('sha256', keyFor(version)).update(`${version}\n${purpose}\n${subject}\n${expiresAtSeconds}`).digest()
}

/** A token `v.<subject~expiry base64url>.<mac base64url>`; `subject` must be ids (no personal data). */
export function signToken(input: { purpose: TokenPurpose; subject: string; expiresInSeconds: number }, now = new Date()): string {
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + Math.floor(input.expiresInSeconds)
  const body = Buffer.from(`${input.subject}~${expiresAtSeconds.toString(36)}`).toString('base64url')
  return `${currentVersion}.${body}.${mac(currentVersion, input.purpose, input.subject, expiresAtSeconds).toString('base64url')}`
}

type Decoded = { subject: string; expiresAt: Date; expired: boolean }

/** Checks the signature only; says whether the (authentic) token has expired. Null when forged or malformed. */
export function readSignedToken(token: string, purpose: TokenPurpose, now = new Date()): Decoded | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const [versionText, body, signature] = parts as [string, string, string]
  const version = Number(versionText)
  if (!/^\d{1,4}$/.test(versionText) || !acceptedVersions.has(version)) return null
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(signature)) return null
  const decoded = Buffer.from(body, 'base64url').toString('utf8')
  const separator = decoded.lastIndexOf('~')
  if (separator <= 0) return null
  const subject = decoded.slice(0, separator)
  const expiryText = decoded.slice(separator + 1)
  if (!/^[0-9a-z]{1,12}$/.test(expiryText)) return null
  const expiresAtSeconds = parseInt(expiryText, 36)
  const expected = mac(version, purpose, subject, expiresAtSeconds)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  const expiresAt = new Date(expiresAtSeconds * 1000)
  return { subject, expiresAt, expired: expiresAt.getTime() <= now.getTime() }
}

export function verifyToken(token: string, purpose: TokenPurpose, now = new Date()): TokenCheck {
  const decoded = readSignedToken(token, purpose, now)
  if (!decoded) return { ok: false, reason: 'invalid' }
  if (decoded.expired) return { ok: false, reason: 'expired' }
  return { ok: true, subject: decoded.subject, expiresAt: decoded.expiresAt }
}
