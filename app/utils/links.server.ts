// Owns the absolute links put in emails (confirm a sign-up, preference centre, unsubscribe) and the shape of their
// token subjects: ids only, signed by token.server.ts, based on APP_URL; and the signed reference of a newsletter's
// tracked links (`/l/<ref>`).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { getEnv } from './env.server.ts'
import { readSignedToken, signToken } from './token.server.ts'

const day = 24 * 60 * 60
/** Confirmation links are short-lived; preference and unsubscribe links must keep working in old emails. */
export const confirmLinkSeconds = 7 * day
export const longLinkSeconds = 5 * 366 * day

function absolute(path: string): string {
  return `${getEnv().APP_URL}${path}`
}

function idList(ids: number[]): string {
  return [...new Set(ids)].sort((a, b) => a - b).join(',')
}

function parseIdList(text: string): number[] | null {
  if (!/^\d{1,10}(,\d{1,10})*$/.test(text)) return null
  return text.split(',').map(Number)
}

/** Subject of a confirmation token: `<contactId>:l<listIds>`. */
export function confirmSubject(contactId: number, listIds: number[]): string {
  return `${contactId}:l${idList(listIds)}`
}

export function parseConfirmSubject(subject: string): { contactId: number; listIds: number[] } | null {
  const match = /^(\d{1,10}):l([\d,]+)$/.exec(subject)
  const listIds = match ? parseIdList(match[2]!) : null
  return match && listIds ? { contactId: Number(match[1]), listIds } : null
}

export type ConfirmLink =
  | { state: 'invalid' }
  | { state: 'expired' | 'ready'; contactId: number; listIds: number[] }

/** Reads a confirmation token; an authentic but expired one still names its contact and lists (to resend). */
export function readConfirmLink(token: string | undefined): ConfirmLink {
  const decoded = token ? readSignedToken(token, 'confirm') : null
  const subject = decoded ? parseConfirmSubject(decoded.subject) : null
  if (!decoded || !subject) return { state: 'invalid' }
  return { state: decoded.expired ? 'expired' : 'ready', ...subject }
}

export function confirmUrl(contactId: number, listIds: number[], now?: Date): string {
  const token = signToken({ purpose: 'confirm', subject: confirmSubject(contactId, listIds), expiresInSeconds: confirmLinkSeconds }, now)
  return absolute(`/newsletters/confirm/${token}`)
}

export function preferencesUrl(contactId: number, now?: Date): string {
  const token = signToken({ purpose: 'preferences', subject: String(contactId), expiresInSeconds: longLinkSeconds }, now)
  return absolute(`/preferences/${token}`)
}

/** Subject: `<contactId>`, then `:c<campaignId>` and `:l<listIds>` when given. */
export function unsubscribeUrl(input: { contactId: number; campaignId?: number; listIds?: number[] }, now?: Date): string {
  let subject = String(input.contactId)
  if (input.campaignId !== undefined) subject += `:c${input.campaignId}`
  if (input.listIds !== undefined && input.listIds.length > 0) subject += `:l${idList(input.listIds)}`
  const token = signToken({ purpose: 'unsubscribe', subject, expiresInSeconds: longLinkSeconds }, now)
  return absolute(`/u/${token}`)
}

export function parseUnsubscribeSubject(subject: string): { contactId: number; campaignId?: number; listIds?: number[] } | null {
  const match = /^(\d{1,10})(?::c(\d{1,10}))?(?::l([\d,]+))?$/.exec(subject)
  if (!match) return null
  const result: { contactId: number; campaignId?: number; listIds?: number[] } = { contactId: Number(match[1]) }
  if (match[2] !== undefined) result.campaignId = Number(match[2])
  if (match[3] !== undefined) {
    const listIds = parseIdList(match[3])
    if (!listIds) return null
    result.listIds = listIds
  }
  return result
}

/**
 * Per-person measurement (opens, clicks) of one delivery, only for contacts who consented to it: the token names the
 * delivery row, nothing else. Valid 400 days (a newsletter is rarely read later than that).
 */
export function measurementToken(deliveryId: bigint, now?: Date): string {
  return signToken({ purpose: 'measure', subject: deliveryId.toString(), expiresInSeconds: 400 * day }, now)
}

export function readMeasurementToken(token: string, now?: Date): bigint | null {
  const decoded = readSignedToken(token, 'measure', now)
  if (!decoded || decoded.expired || !/^\d{1,19}$/.test(decoded.subject)) return null
  return BigInt(decoded.subject)
}

/** An attendee's management page (details, answers, cancel): valid as long as an old email may be read. */
export function registrationManageUrl(registrationId: number, now?: Date): string {
  const token = signToken({ purpose: 'registration', subject: String(registrationId), expiresInSeconds: longLinkSeconds }, now)
  return absolute(`/registrations/${token}`)
}

/** A whole-series registration's management page (every future session at once). */
export function seriesRegistrationManageUrl(seriesRegistrationId: number, now?: Date): string {
  const token = signToken({ purpose: 'series-registration', subject: String(seriesRegistrationId), expiresInSeconds: longLinkSeconds }, now)
  return absolute(`/registrations/series/${token}`)
}

/**
 * What the QR code of a registration holds: a staff page that checks the person in. Opening it needs a staff session,
 * so the code alone reveals nothing; scanning it with the phone's own camera app works as well as the in-page scanner.
 */
export function checkinUrl(registrationId: number, now?: Date): string {
  const token = signToken({ purpose: 'checkin', subject: String(registrationId), expiresInSeconds: longLinkSeconds }, now)
  return absolute(`/admin/checkin/${token}`)
}

/** The follow-up's feedback form (rating and comment) of one registration. */
export function feedbackUrl(registrationId: number, now?: Date): string {
  const token = signToken({ purpose: 'feedback', subject: String(registrationId), expiresInSeconds: 400 * day }, now)
  return absolute(`/avis/${token}`)
}

/** The registration id a management, series, check-in or feedback token names; null when forged, malformed or expired. */
export function readRegistrationToken(token: string, purpose: 'registration' | 'series-registration' | 'checkin' | 'feedback', now?: Date): number | null {
  const decoded = readSignedToken(token, purpose, now)
  if (!decoded || decoded.expired || !/^\d{1,10}$/.test(decoded.subject)) return null
  return Number(decoded.subject)
}

/**
 * A newsletter's one-click registration of one contact to one event (`/inscription/<token>`): the page asks for a
 * single button press (mail scanners prefetch links; a GET registers nobody). Valid 400 days; the page itself
 * refuses once registration to the event has closed.
 */
export function eventInviteUrl(contactId: number, eventId: number, now?: Date): string {
  const token = signToken({ purpose: 'event-invite', subject: `${contactId}:e${eventId}`, expiresInSeconds: 400 * day }, now)
  return absolute(`/inscription/${token}`)
}

/** The contact and event a one-click registration token names; null when forged, malformed or expired. */
export function readEventInviteToken(token: string, now?: Date): { contactId: number; eventId: number } | null {
  const decoded = readSignedToken(token, 'event-invite', now)
  const match = decoded && !decoded.expired ? /^(\d{1,10}):e(\d{1,10})$/.exec(decoded.subject) : null
  return match ? { contactId: Number(match[1]), eventId: Number(match[2]) } : null
}

/** Digits of signature in a tracked link's reference: 10^12 guesses per link, each one an HTTP request. */
const linkSignatureDigits = 12
let linkKey: Buffer | null = null

/** The CampaignLink id's signature as decimal digits, with a key of its own derived from SESSION_SECRET. */
function linkSignature(linkId: number): string {
  // Not token.server.ts's key: another use of the secret gets another key.
  linkKey ??= Buffer.from(hkdfSync('sha256', getEnv().SESSION_SECRET, 'relais-email-links', 'tracked-link-v1', 32))
  const digest = createHmac('sha256', linkKey).update(`link\n${linkId}`).digest()
  return (digest.readBigUInt64BE(0) % 10n ** BigInt(linkSignatureDigits)).toString().padStart(linkSignatureDigits, '0')
}

/**
 * The reference of a tracked link in `/l/<ref>`: the CampaignLink id followed by 12 digits of its HMAC, so that
 * nobody can walk /l/1…N to read every campaign's links or inflate their counts. Digits only: the reference stays
 * a plain number-like path segment, and the measurement query (`?r=`) follows it unchanged.
 */
export function trackedLinkRef(linkId: number): string {
  if (!Number.isSafeInteger(linkId) || linkId < 1) throw new Error('tracked link: invalid id')
  return `${linkId}${linkSignature(linkId)}`
}

/** The CampaignLink id of a reference made by trackedLinkRef, or null when unsigned, forged or malformed. */
export function readTrackedLinkRef(ref: string): number | null {
  const match = /^([1-9]\d{0,9})(\d{12})$/.exec(ref)
  if (!match) return null
  const linkId = Number(match[1])
  if (linkId > 2_147_483_647) return null
  const expected = Buffer.from(linkSignature(linkId))
  const given = Buffer.from(match[2]!)
  return timingSafeEqual(given, expected) ? linkId : null
}
