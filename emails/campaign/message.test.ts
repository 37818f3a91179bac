// Unit tests of the per-recipient message (no database): built messages parsed back with mailparser, compared with
// what nodemailer's own MailComposer produces for the same inputs.
import { generateKeyPairSync } from 'node:crypto'
import { text as readStream } from 'node:stream/consumers'
import { dkimVerify } from 'mailauth'
import { simpleParser, type ParsedMail } from 'mailparser'
import DKIM from 'nodemailer/lib/dkim/index.js'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CompiledCampaign } from './compiled.ts'
import { createMessageFactory, type MessageFactory, type MessageFactoryOptions, type RecipientValues } from './message.ts'
import { compileCampaign, contentLinks } from './render.ts'
import { sampleRenderInput } from './sample.ts'

const appUrl = 'https://relais.example.org'
const hostile = '<img src=x onerror=alert(1)>'
const options: MessageFactoryOptions = {
  from: { name: 'Maison des associations — Lyon', address: 'lettre@exemple.org' },
  replyTo: 'contact@exemple.org',
  lists: { 4: { name: 'La quotidienne', slug: 'quotidienne' }, 9: { name: 'L’hebdo', slug: 'hebdo' } },
  hostname: 'relais.example.org',
}

function recipient(overrides: Partial<RecipientValues> = {}): RecipientValues {
  return {
    email: 'camille@exemple.org',
    firstName: 'Élodie',
    lastName: 'Martin',
    company: null,
    territory: 'Villeurbanne',
    listId: 9,
    unsubscribeUrl: `${appUrl}/u/${'a'.repeat(120)}`,
    preferencesUrl: `${appUrl}/preferences/${'b'.repeat(100)}`,
    clickQuery: '?r=MEASURE',
    openPixel: `<img src="${appUrl}/o/MEASURE" width="1" height="1" alt="" />`,
    ...overrides,
  }
}

let compiled: CompiledCampaign
let factory: MessageFactory

beforeAll(async () => {
  const input = sampleRenderInput({ articles: 2 })
  compiled = await compileCampaign(input, Object.fromEntries(contentLinks(input).map((url, index) => [url, { id: index + 1, ref: String(index + 1) }])), appUrl)
  factory = createMessageFactory(compiled, options)
})

function header(mail: ParsedMail, name: string): string | undefined {
  return mail.headerLines.find((line) => line.key === name)?.line.replace(/\r\n[ \t]/g, ' ').replace(/^[^:]+:\s*/, '')
}

describe('createMessageFactory().build', () => {
  it('builds a complete newsletter message that mailparser reads back', async () => {
    const values = recipient({ firstName: hostile })
    const built = factory.build(values)
    const mail = await simpleParser(built.raw)
    expect(mail.from?.value).toEqual([{ name: 'Maison des associations — Lyon', address: 'lettre@exemple.org' }])
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([{ name: '', address: 'camille@exemple.org' }])
    expect(mail.replyTo?.value).toEqual([{ name: '', address: 'contact@exemple.org' }])
    expect(mail.subject).toBe(`${hostile}, les nouvelles de la semaine à Villeurbanne`)
    expect(mail.messageId).toBe(built.messageId)
    expect(built.messageId).toMatch(/^<[0-9a-f-]{36}@relais\.example\.org>$/)
    expect(Math.abs((mail.date?.getTime() ?? 0) - Date.now())).toBeLessThan(5 * 60_000)
    expect(header(mail, 'list-unsubscribe')).toBe(`<${values.unsubscribeUrl}>`)
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    expect(header(mail, 'list-id')).toBe('=?UTF-8?Q?L=E2=80=99hebdo?= <hebdo.relais.example.org>')
    expect(header(mail, 'precedence')).toBe('bulk')
    expect(header(mail, 'mime-version')).toBe('1.0')
    expect(built.envelope).toEqual({ from: 'lettre@exemple.org', to: ['camille@exemple.org'] })

    // Both parts, each with the visible unsubscribe link.
    expect(mail.html).toBeTruthy()
    expect(mail.text).toBeTruthy()
    expect(mail.html).toContain(`href="${values.unsubscribeUrl}"`)
    expect(mail.text).toContain(`[${values.unsubscribeUrl}]`)
    expect(mail.html).toContain(`${appUrl}/l/1?r=MEASURE`)
    expect(mail.html).toContain(values.openPixel)
    // The hostile value is text in the HTML, as typed in the text part.
    expect(mail.html).not.toContain(hostile)
    expect(mail.html).toContain('Je participe, &lt;img src=x onerror=alert(1)&gt; !')
    expect(mail.text).toContain(`Je participe, ${hostile} !`)
  })

  it('gives every message its own Message-ID and the List-Id of the recipient’s list (the first list without one)', async () => {
    const first = factory.build(recipient())
    const second = factory.build(recipient())
    expect(first.messageId).not.toBe(second.messageId)
    // Mailjet reports bounces with X-MJ-CustomID as CustomID: it is the Message-ID, so a bounce finds its delivery.
    const parsed = await simpleParser(first.raw)
    expect(header(parsed, 'x-mj-customid')).toBe(first.messageId)
    const withoutList = await simpleParser(factory.build(recipient({ listId: null })).raw)
    expect(header(withoutList, 'list-id')).toBe('La quotidienne <quotidienne.relais.example.org>')
    const unknownList = await simpleParser(factory.build(recipient({ listId: 12345 })).raw)
    expect(header(unknownList, 'list-id')).toBe('La quotidienne <quotidienne.relais.example.org>')
  })

  it.each([9, 4])('is the same message nodemailer’s MailComposer composes from the same inputs (list %i)', async (listId) => {
    const values = recipient({ firstName: hostile, clickQuery: '', openPixel: '', listId })
    const built = factory.build(values)
    const ours = await simpleParser(built.raw)
    const filled = factory.fill(values)
    const reference = await new MailComposer({
      from: options.from,
      to: values.email,
      replyTo: options.replyTo ?? undefined,
      subject: filled.subject,
      messageId: built.messageId,
      date: ours.date,
      headers: filled.headers,
      text: filled.text,
      html: filled.html,
    })
      .compile()
      .build()
    const theirs = await simpleParser(reference)
    for (const key of ['subject', 'messageId', 'text', 'html'] as const) expect(ours[key]).toEqual(theirs[key])
    expect(ours.date?.getTime()).toBe(theirs.date?.getTime())
    expect(ours.from?.value).toEqual(theirs.from?.value)
    expect(JSON.stringify(ours.to)).toBe(JSON.stringify(theirs.to))
    expect(ours.replyTo?.value).toEqual(theirs.replyTo?.value)
    for (const name of ['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'precedence', 'mime-version']) {
      expect(header(ours, name), name).toBe(header(theirs, name))
    }
    const contentType = (mail: ParsedMail) => (mail.headers.get('content-type') as { value: string }).value
    expect(contentType(ours)).toBe('multipart/alternative')
    expect(contentType(theirs)).toBe('multipart/alternative')
  })

  it('puts each recipient’s own one-click registration link on the event cards’ buttons (both parts)', async () => {
    const links = (contactId: number) => (eventId: number) => `${appUrl}/inscription/C${contactId}E${eventId}`
    const [first, second] = await Promise.all([1, 2].map(async (contactId) => simpleParser(factory.build(recipient({ clickQuery: '', eventInviteUrl: links(contactId) })).raw)))
    // The event pages are the sample's 4th and 5th content links (ids 4 and 5): their references count the clicks.
    expect(first!.html).toContain(`href="${appUrl}/inscription/C1E2?l=5"`)
    expect(first!.text).toContain(`[${appUrl}/inscription/C1E1?l=4]`)
    expect(second!.html).toContain(`href="${appUrl}/inscription/C2E2?l=5"`)
    expect(first!.html).not.toContain('/inscription/C2')
    expect(first!.html).not.toContain(`href="${appUrl}/events/`)
  })

  it('uses the Message-ID it is given (the delivery’s own, stable across resends), in X-MJ-CustomID too', async () => {
    const messageId = '<d42.c7.lz3k1@relais.example.org>'
    const built = factory.build(recipient({ messageId }))
    expect(built.messageId).toBe(messageId)
    const mail = await simpleParser(built.raw)
    expect(mail.messageId).toBe(messageId)
    expect(header(mail, 'x-mj-customid')).toBe(messageId)
    expect(built.raw.toString('utf8').match(/^message-id:/gim)).toHaveLength(1)
    for (const bad of ['d42@relais.example.org', '<d42@relais.example.org>\r\nBcc: victim@exemple.org', '<a@b> <c@d>']) {
      expect(() => factory.build(recipient({ messageId: bad })), bad).toThrow(/Message-ID/)
    }
  })

  it('writes only CRLF line endings and short lines (signable by DKIM as is)', () => {
    const raw = factory.build(recipient()).raw.toString('utf8')
    expect(raw).not.toMatch(/(?<!\r)\n/)
    expect(raw).not.toMatch(/\r(?!\n)/)
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998)
  })

  it('can be DKIM-signed by nodemailer as is, the signature verifying with both unsubscribe headers signed', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const signer = new DKIM({
      domainName: 'exemple.org',
      keySelector: 'relais',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      // The campaign transport signs these (app/utils/campaign-mailer.server.ts); nodemailer's default list lacks -Post.
      headerFieldNames: 'From:Reply-To:Subject:Date:Message-ID:To:MIME-Version:Content-Type:List-Id:List-Unsubscribe:List-Unsubscribe-Post',
    })
    const signed = await readStream(signer.sign(factory.build(recipient()).raw))
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`
    const result = await dkimVerify(Buffer.from(signed), {
      resolver: async (name: string, type: string) => {
        if (name === 'relais._domainkey.exemple.org' && type === 'TXT') return [[record]]
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
      },
    })
    const [signature] = result.results
    expect(signature?.status.result).toBe('pass')
    const signedHeaders = /\bh=([^;]+);/.exec(signed.slice(0, signed.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ''))?.[1]?.toLowerCase().split(':')
    expect(signedHeaders).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'subject', 'to', 'from']))
  })

  it('never lets a value add a header', async () => {
    const mail = await simpleParser(factory.build(recipient({ firstName: 'Camille\r\nBcc: victim@exemple.org' })).raw)
    expect(mail.subject).toBe('Camille Bcc: victim@exemple.org, les nouvelles de la semaine à Villeurbanne')
    expect(mail.headers.has('bcc')).toBe(false)
    expect(() => factory.build(recipient({ unsubscribeUrl: `${appUrl}/u/x\r\nBcc: victim@exemple.org` }))).toThrow(/line break/)
    expect(() => factory.build(recipient({ email: 'camille@exemple.org, victim@exemple.org' }))).toThrow(/invalid recipient/)
    expect(() => factory.build(recipient({ unsubscribeUrl: 'javascript:alert(1)' }))).toThrow(/http/)
    expect(() => createMessageFactory(compiled, { ...options, from: { name: 'A\r\nBcc: x@y.z', address: 'lettre@exemple.org' } })).toThrow(/line break/)
  })
})

describe('createMessageFactory().fill', () => {
  it('gives the subject, bodies and list headers for a caller that composes the message itself', () => {
    const filled = factory.fill(recipient({ firstName: null, territory: null }))
    expect(filled.subject).toBe('Bonjour, les nouvelles de la semaine à Lyon')
    expect(filled.headers).toEqual({
      'List-Unsubscribe': `<${appUrl}/u/${'a'.repeat(120)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '=?UTF-8?Q?L=E2=80=99hebdo?= <hebdo.relais.example.org>',
      Precedence: 'bulk',
    })
    expect(filled.text).toContain('Se désinscrire')
  })
})
