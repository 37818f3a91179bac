// Owns the built-in mail catcher used when SMTP_URL is unset: a nodemailer transport that builds the exact MIME
// message the SMTP path would send and stores it in CaughtEmail (PostgreSQL, shared by web and worker processes),
// and the reading side of the staff outbox (keyset pages, one message parsed with mailparser).
import nodemailer from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { simpleParser } from 'mailparser'
import { prisma } from './db.server.ts'
import type { MailTransport } from './mail.server.ts'
import { sandboxedHtmlHeaders, sandboxedHtmlResponse } from './sandboxed-html.server.ts'

export function createCatcherTransport(): MailTransport {
  return nodemailer.createTransport<SMTPTransport.SentMessageInfo>({
    name: 'relais-mail-catcher',
    version: '1',
    send(mail, callback) {
      const envelope = mail.message.getEnvelope()
      const messageId = mail.message.messageId()
      // build() streams through the same pipeline as SMTP, DKIM signature included; Bcc stays out as on the wire.
      mail.message
        .build()
        .then((raw) =>
          prisma.caughtEmail.create({
            data: { envelopeFrom: envelope.from || '', envelopeTo: envelope.to, subject: mail.data.subject ?? '', raw: new Uint8Array(raw) },
            select: { id: true },
          }),
        )
        .then(({ id }) =>
          callback(null, {
            envelope,
            messageId,
            response: `250 caught by Relais mail catcher (#${id})`,
            accepted: envelope.to,
            rejected: [],
            pending: [],
          }),
        )
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), undefined as never))
    },
  })
}

/** A positive integer id from a URL (path segment or `?before=`), or null for anything else. */
export function parseOutboxId(value: string | null | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null
  const id = Number(value)
  return id <= 2_147_483_647 ? id : null
}

export interface CaughtEmailSummary {
  id: number
  receivedAt: Date
  envelopeTo: string[]
  subject: string
}

/** One page of caught messages, newest first; `before` is the id of the last message of the previous page. */
export async function listCaughtEmails({ before, take = 50 }: { before?: number; take?: number }): Promise<{
  items: CaughtEmailSummary[]
  nextBefore: number | null
}> {
  const rows = await prisma.caughtEmail.findMany({
    where: before ? { id: { lt: before } } : undefined,
    orderBy: { id: 'desc' },
    take: take + 1,
    select: { id: true, receivedAt: true, envelopeTo: true, subject: true },
  })
  const items = rows.slice(0, take)
  return { items, nextBefore: rows.length > take ? (items.at(-1)?.id ?? null) : null }
}

export async function getCaughtEmail(id: number) {
  return prisma.caughtEmail.findUnique({ where: { id } })
}

export interface ParsedAttachment {
  index: number
  filename: string
  contentType: string
  size: number
  content: Buffer
}

export interface ParsedCaughtEmail {
  subject: string
  from: string
  to: string
  date: Date | null
  messageId: string | null
  /** Every header line as it was sent (unfolded, encoded words decoded), in order. */
  headers: { name: string; value: string }[]
  text: string | null
  /** HTML with cid: images inlined as data: URIs, ready for the sandboxed preview. */
  html: string | null
  attachments: ParsedAttachment[]
}

const encodedWord = /=\?([^?*]+)(?:\*[^?]*)?\?([QqBb])\?([^?]*)\?=/g

/** Decodes RFC 2047 encoded words ("=?UTF-8?Q?caf=C3=A9?=") so that staff read headers as sent, but legibly. */
export function decodeHeaderValue(value: string): string {
  // Whitespace between two encoded words is folding, not content.
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1')
  return joined.replace(encodedWord, (whole, charset: string, encoding: string, text: string) => {
    try {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1')
      return new TextDecoder(charset).decode(bytes)
    } catch {
      return whole
    }
  })
}

/** Parses a raw message the way a mail client would. */
export async function parseCaughtEmail(raw: Uint8Array): Promise<ParsedCaughtEmail> {
  const parsed = await simpleParser(Buffer.from(raw))
  const addresses = (value: typeof parsed.to) => (Array.isArray(value) ? value.map((entry) => entry.text).join(', ') : (value?.text ?? ''))
  return {
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    date: parsed.date ?? null,
    messageId: parsed.messageId ?? null,
    headers: parsed.headerLines.map(({ line }) => {
      const unfolded = line.replace(/\r?\n[ \t]+/g, ' ')
      const colon = unfolded.indexOf(':')
      return { name: unfolded.slice(0, colon), value: decodeHeaderValue(unfolded.slice(colon + 1).trim()) }
    }),
    text: parsed.text ?? null,
    html: parsed.html === false ? null : parsed.html,
    attachments: parsed.attachments.map((attachment, index) => ({
      index,
      // The calendar invite's alternative part has no file name: say what it is (its attached copy has one).
      filename: attachment.filename ?? (attachment.contentType === 'text/calendar' ? 'invitation-agenda.ics' : `piece-jointe-${index + 1}`),
      contentType: attachment.contentType,
      size: attachment.size,
      content: attachment.content,
    })),
  }
}

/** A caught message parsed, or null when the id is unknown. */
export async function readCaughtEmail(id: number): Promise<(ParsedCaughtEmail & { id: number; receivedAt: Date; envelopeFrom: string; envelopeTo: string[] }) | null> {
  const row = await getCaughtEmail(id)
  if (!row) return null
  return { id: row.id, receivedAt: row.receivedAt, envelopeFrom: row.envelopeFrom, envelopeTo: row.envelopeTo, ...(await parseCaughtEmail(row.raw)) }
}

function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

export type CaughtContent = { kind: 'html-preview' } | { kind: 'download'; contentType: string; filename: string }

/**
 * Serves content taken from a caught message. Whatever the message holds, it cannot run script with the staff's
 * origin: the HTML preview runs under a CSP sandbox without scripts, downloads are never rendered or sniffed.
 */
export function caughtContentResponse(body: Uint8Array | string, content: CaughtContent): Response {
  if (content.kind === 'html-preview') return sandboxedHtmlResponse(body)
  // A download keeps the sandboxed answer's headers, with its own type, an even stricter policy and a disposition.
  const headers = sandboxedHtmlHeaders()
  headers.set('Content-Type', /^[\w.+-]+\/[\w.+-]+$/.test(content.contentType) ? content.contentType : 'application/octet-stream')
  headers.set('Content-Security-Policy', "default-src 'none'; sandbox")
  headers.set('Content-Disposition', attachmentDisposition(content.filename))
  // A copy typed on a plain ArrayBuffer, which is what the Fetch API accepts.
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), { headers })
}
