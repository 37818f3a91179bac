// Signed email-link tokens: what verifies, what does not (tampered, expired, another purpose, another version).
import { describe, expect, it } from 'vitest'
import { parseUnsubscribeSubject } from './links.server.ts'
import { signToken, verifyToken } from './token.server.ts'

const now = new Date('2026-03-12T10:00:00Z')

describe('signed tokens', () => {
  it('verifies its own purpose until it expires', () => {
    const token = signToken({ purpose: 'confirm', subject: '42:l1,2', expiresInSeconds: 60 }, now)
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/)
    expect(verifyToken(token, 'confirm', now)).toEqual({ ok: true, subject: '42:l1,2', expiresAt: new Date('2026-03-12T10:01:00Z') })
    expect(verifyToken(token, 'confirm', new Date('2026-03-12T10:01:00Z'))).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses a token made for another purpose, tampered or of an unknown key version', () => {
    const token = signToken({ purpose: 'unsubscribe', subject: '42', expiresInSeconds: 60 }, now)
    expect(verifyToken(token, 'preferences', now)).toEqual({ ok: false, reason: 'invalid' })
    const [version, body, mac] = token.split('.') as [string, string, string]
    const otherSubject = Buffer.from(Buffer.from(body, 'base64url').toString().replace('42', '43')).toString('base64url')
    expect(verifyToken(`${version}.${otherSubject}.${mac}`, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' })
    expect(verifyToken(`${version}.${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, 'unsubscribe', now).ok).toBe(false)
    expect(verifyToken(`9.${body}.${mac}`, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' })
    expect(verifyToken('', 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('reads unsubscribe subjects back', () => {
    expect(parseUnsubscribeSubject('7:c3:l1,2')).toEqual({ contactId: 7, campaignId: 3, listIds: [1, 2] })
    expect(parseUnsubscribeSubject('7')).toEqual({ contactId: 7 })
    expect(parseUnsubscribeSubject('someone@example.org')).toBeNull()
  })
})
