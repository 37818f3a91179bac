// The mail module against the run's real SMTP listener: parts and headers as received, the OutboundEmail ledger,
// idempotency, 5xx/4xx answers, refused header injection, escaped merge fields, DKIM, and the built-in catcher.
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { simpleParser } from 'mailparser'
import { afterAll, describe, expect, it } from 'vitest'
import { renderEmail } from '#emails/render.ts'
import { messagesTo, uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { MAIL_FROM } from '#tests/helpers/test-env.ts'

// Set before the first getEnv() of this test process, so every message of this file is DKIM-signed.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
process.env.DKIM_DOMAIN = 'test.example'
process.env.DKIM_SELECTOR = 'relais'
process.env.DKIM_PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

const { MailError, closeMailTransport, outgoingEmailSchema, sendEmail } = await import('~/utils/mail.server.ts')
const { createCatcherTransport } = await import('~/utils/mail-catcher.server.ts')
const { prisma } = await import('~/utils/db.server.ts')

afterAll(() => closeMailTransport())

const organization = { organizationName: 'Centre de ressources Test', postalAddress: '12 rue des Tests\n69001 Lyon' }

async function testMessage(to: string, body = 'Bonjour, ceci est un test.') {
  const rendered = await renderEmail('test-message', { ...organization, body }, 'fr')
  return { idempotencyKey: `mail-test:${randomUUID()}`, template: 'test-message', to, kind: 'transactional' as const, ...rendered }
}

describe('sendEmail through SMTP', () => {
  it('sends a text part, an HTML part and the expected headers, and records the SMTP response', async () => {
    const to = uniqueAddress('mail-parts')
    const message = { ...(await testMessage(to)), replyTo: 'equipe@test.example', headers: { 'List-Id': '<test.relais.example>' } }
    const result = await sendEmail(message)
    expect(result.status).toBe('sent')

    const [received] = await waitForMessages(to)
    const parsed = received!.parsed
    expect(parsed.subject).toBe('Message de test de Centre de ressources Test')
    expect(parsed.text).toContain('Bonjour, ceci est un test.')
    expect(parsed.text).toContain('69001 Lyon')
    expect(parsed.html).toContain('<html lang="fr"')
    expect(parsed.html).toContain('Bonjour, ceci est un test.')
    expect(parsed.from?.value).toEqual([{ name: 'Relais test', address: 'relais@test.example' }])
    expect(MAIL_FROM).toBe('Relais test <relais@test.example>')
    expect(parsed.replyTo?.text).toBe('equipe@test.example')
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(parsed.headerLines.find((header) => header.key === 'list-id')?.line).toMatch(/^List-Id: <test\.relais\.example>$/i)
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]+@127\.0\.0\.1>$/)
    expect(parsed.messageId).toBe(result.messageId)
    const dkim = parsed.headerLines.find((header) => header.key === 'dkim-signature')?.line.replace(/\r?\n\s+/g, ' ')
    expect(dkim).toMatch(/^DKIM-Signature: .*d=test\.example; .*s=relais;.* b=\S+/)
    expect(received!.envelope.from).toBe('relais@test.example')

    const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(row).toMatchObject({ status: 'SENT', toAddress: to, template: 'test-message', attempts: 1, messageId: result.messageId })
    expect(row.smtpResponse).toMatch(/^250 .*queued as/)
    expect(row.smtpResponse).toBe(result.smtpResponse)
    expect(row.sentAt).toBeInstanceOf(Date)
  })

  it('marks marketing mail without Auto-Submitted', async () => {
    const to = uniqueAddress('mail-marketing')
    await sendEmail({ ...(await testMessage(to)), kind: 'marketing' })
    const [received] = await waitForMessages(to)
    expect(received!.parsed.headers.has('auto-submitted')).toBe(false)
  })

  it('sends one message per idempotency key, however often it is asked', async () => {
    const to = uniqueAddress('mail-once')
    const message = await testMessage(to)
    const first = await sendEmail(message)
    const second = await sendEmail(message)
    expect(first.status).toBe('sent')
    expect(second).toEqual({ status: 'already-sent', messageId: first.messageId, smtpResponse: first.smtpResponse })
    await waitForMessages(to)
    // Sends are awaited until the listener answered, so nothing else can still be on its way.
    expect(await messagesTo(to)).toHaveLength(1)
    const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(row.attempts).toBe(1)
  })

  it('gives a permanent MailError and a FAILED record when the server refuses the recipient (550)', async () => {
    const to = uniqueAddress('mail+smtp550')
    const message = await testMessage(to)
    const error: unknown = await sendEmail(message).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MailError)
    expect(error).toMatchObject({ responseCode: 550, permanent: true, recipientRejected: true })
    const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(row.status).toBe('FAILED')
    expect(row.error).toContain('550')
    expect(row.attempts).toBe(1)
  })

  it('gives a temporary MailError on 451 and sends on the retry with the same key and Message-ID', async () => {
    const to = uniqueAddress('mail+smtp451')
    const message = await testMessage(to)
    const error: unknown = await sendEmail(message).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ responseCode: 451, permanent: false, recipientRejected: false })
    const failed = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(failed.status).toBe('FAILED')

    const retried = await sendEmail(message)
    expect(retried.status).toBe('sent')
    expect(retried.messageId).toBe(failed.messageId)
    const [received] = await waitForMessages(to)
    expect(received!.parsed.messageId).toBe(failed.messageId)
    const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(row).toMatchObject({ status: 'SENT', attempts: 2, error: null })
  })

  it('refuses line breaks in the subject and in header values, before recording or sending anything', async () => {
    const to = uniqueAddress('mail-crlf')
    const message = { ...(await testMessage(to)), subject: 'Bonjour\r\nBcc: victime@test.example' }
    expect(outgoingEmailSchema.safeParse(message).success).toBe(false)
    await expect(sendEmail(message)).rejects.toMatchObject({ name: 'MailError', permanent: true })

    const header = { ...(await testMessage(to)), headers: { 'X-Test': 'a\nBcc: victime@test.example' } }
    expect(outgoingEmailSchema.safeParse(header).success).toBe(false)
    const reserved = { ...(await testMessage(to)), headers: { Bcc: 'victime@test.example' } }
    expect(outgoingEmailSchema.safeParse(reserved).success).toBe(false)

    const keys = [message.idempotencyKey, header.idempotencyKey, reserved.idempotencyKey]
    expect(await prisma.outboundEmail.count({ where: { idempotencyKey: { in: keys } } })).toBe(0)
    expect(await messagesTo(to)).toHaveLength(0)
  })

  it('carries attachments and a calendar invite', async () => {
    const to = uniqueAddress('mail-attach')
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n'
    await sendEmail({
      ...(await testMessage(to)),
      attachments: [{ filename: 'programme.txt', contentType: 'text/plain', content: Buffer.from('Programme du jour').toString('base64') }],
      icalEvent: { method: 'REQUEST', content: ics },
    })
    const [received] = await waitForMessages(to)
    const file = received!.parsed.attachments.find((attachment) => attachment.filename === 'programme.txt')
    expect(file?.content.toString()).toBe('Programme du jour')
    expect(received!.raw.toString()).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i)
  })
})

describe('templates', () => {
  it('escapes merge fields in the HTML and keeps them readable in the text part', async () => {
    const hostile = '<img src=x onerror=alert(1)>'
    const rendered = await renderEmail(
      'staff-invitation',
      {
        ...organization,
        inviterName: hostile,
        inviteeName: 'Camille "Cam" Durand',
        acceptUrl: 'https://relais.example.org/invitation/abc?a=1&b=2',
        expiresAt: 'jeudi 12 mars 2026 à 12:15',
      },
      'fr',
    )
    expect(rendered.html).not.toContain('<img src=x')
    expect(rendered.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(rendered.html).toContain('href="https://relais.example.org/invitation/abc?a=1&amp;b=2"')
    expect(rendered.text).toContain(hostile)
    expect(rendered.text).toContain('https://relais.example.org/invitation/abc?a=1&b=2')
    expect(rendered.subject).toBe(`${hostile} vous invite à rejoindre l’espace équipe de Centre de ressources Test`)

    const to = uniqueAddress('mail-escape')
    await sendEmail({ idempotencyKey: `mail-test:${randomUUID()}`, template: 'staff-invitation', to, kind: 'transactional', ...rendered })
    const [received] = await waitForMessages(to)
    expect(received!.parsed.html).not.toContain('<img src=x')
    expect(received!.parsed.subject).toBe(rendered.subject)
  })

  it('speaks English when asked, with the shared footer', async () => {
    const rendered = await renderEmail('test-message', { ...organization, body: 'Hello' }, 'en')
    expect(rendered.subject).toBe('Test message from Centre de ressources Test')
    expect(rendered.html).toContain('<html lang="en"')
    expect(rendered.html).toContain('12 rue des Tests<br />69001 Lyon')
    expect(rendered.text).toContain('Message sent with Relais.')
  })

  it('refuses a link that is not http(s)', async () => {
    const values = { ...organization, inviterName: 'A', inviteeName: 'B', acceptUrl: 'javascript:alert(1)', expiresAt: 'demain' }
    await expect(renderEmail('staff-invitation', values, 'fr')).rejects.toThrow()
  })
})

describe('built-in mail catcher', () => {
  it('stores the raw message it would have sent in CaughtEmail', async () => {
    const to = uniqueAddress('mail-catcher')
    const message = await testMessage(to, 'Retenu par le catcher.')
    const result = await sendEmail(message, createCatcherTransport())
    expect(result.smtpResponse).toMatch(/^250 caught by Relais mail catcher \(#\d+\)$/)
    const caughtId = Number(/#(\d+)/.exec(result.smtpResponse ?? '')?.[1])

    const caught = await prisma.caughtEmail.findUniqueOrThrow({ where: { id: caughtId } })
    expect(caught.envelopeTo).toEqual([to])
    expect(caught.envelopeFrom).toBe('relais@test.example')
    expect(caught.subject).toBe(message.subject)
    const parsed = await simpleParser(Buffer.from(caught.raw))
    expect(parsed.text).toContain('Retenu par le catcher.')
    expect(parsed.html).toContain('Retenu par le catcher.')
    expect(parsed.messageId).toBe(result.messageId)
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(Buffer.from(caught.raw).toString()).toMatch(/^DKIM-Signature:/m)

    const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } })
    expect(row.smtpResponse).toBe(result.smtpResponse)
    // Nothing went out through SMTP.
    expect(await messagesTo(to)).toHaveLength(0)
  })
})
