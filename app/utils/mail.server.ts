// Owns outgoing mail: the one pooled transport of the process (or the built-in catcher when SMTP_URL is unset), the
// OutboundEmail ledger (idempotency key, attempts, SMTP response) and the rules every message follows.
import { randomUUID } from 'node:crypto'
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { z } from 'zod'
import { getOrganization } from '~/models/organization.server.ts'
import { prisma } from './db.server.ts'
import { getEnv, type Env } from './env.server.ts'
import { logger } from './logger.server.ts'
import { dkimHeaderFieldNames } from './campaign-mailer.server.ts'
import { createCatcherTransport } from './mail-catcher.server.ts'

const lineBreak = /[\r\n]/
/** A header field value: line breaks would let a value add headers of its own. */
const singleLine = z.string().refine((value) => !lineBreak.test(value), 'ne doit pas contenir de retour à la ligne')
const address = z.string().trim().email()
/** Headers the mail module sets itself; a caller may not override them. */
const reservedHeaders = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'reply-to', 'message-id', 'date', 'mime-version', 'content-type', 'content-transfer-encoding'])

export const outgoingEmailSchema = z.object({
  /** Derived from the business identity of the message (e.g. `staff-invite:12:3`): one key, one message. */
  idempotencyKey: z.string().trim().min(1).max(200),
  template: z.string().trim().min(1).max(100),
  to: address,
  subject: singleLine.pipe(z.string().trim().min(1).max(400)),
  html: z.string().min(1),
  text: z.string().min(1),
  kind: z.enum(['transactional', 'marketing']),
  contactId: z.number().int().positive().optional(),
  headers: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'nom d’en-tête invalide')
        .refine((name) => !reservedHeaders.has(name.toLowerCase()), 'en-tête réservé au module d’envoi'),
      singleLine,
    )
    .optional(),
  replyTo: address.optional(),
  /** The sender (a campaign's sender identity, also the envelope sender); MAIL_FROM when absent. */
  from: z.object({ name: singleLine.pipe(z.string().trim().max(200)), address }).optional(),
  attachments: z
    .array(
      z.object({
        filename: singleLine.pipe(z.string().min(1)),
        contentType: singleLine.pipe(z.string().min(1)),
        content: z.string().base64(),
        /** Set for an inline image the HTML shows as `<img src="cid:…">` (a check-in QR code). */
        cid: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/).optional(),
      }),
    )
    .optional(),
  /** The calendar invite: nodemailer sends it as the text/calendar alternative part and as an .ics attachment (`filename`). */
  icalEvent: z
    .object({ method: z.enum(['REQUEST', 'CANCEL', 'PUBLISH']), content: z.string().min(1), filename: singleLine.pipe(z.string().regex(/^[\w.-]{1,60}\.ics$/)).optional() })
    .optional(),
})

export type OutgoingEmail = z.infer<typeof outgoingEmailSchema>

export interface SendResult {
  status: 'sent' | 'already-sent'
  messageId: string | null
  smtpResponse: string | null
}

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo>

/**
 * A message that could not be sent. `permanent` (SMTP 5xx, or a message refused before sending) means retrying
 * cannot help; `recipientRejected` (5xx answer to RCPT TO) is a hard bounce of that address.
 */
export class MailError extends Error {
  readonly responseCode: number | null
  readonly permanent: boolean
  readonly recipientRejected: boolean
  /** nodemailer's error code (EENVELOPE, EAUTH, ECONNECTION, ETIMEDOUT…) when there is one. */
  readonly code: string | null

  constructor(
    message: string,
    options: { responseCode?: number | null; permanent: boolean; recipientRejected?: boolean; code?: string | null; cause?: unknown },
  ) {
    super(message, { cause: options.cause })
    this.name = 'MailError'
    this.responseCode = options.responseCode ?? null
    this.permanent = options.permanent
    this.recipientRejected = options.recipientRejected ?? false
    this.code = options.code ?? null
  }
}

function field<T>(error: unknown, name: string, type: 'string' | 'number'): T | null {
  if (typeof error !== 'object' || error === null || !(name in error)) return null
  const value: unknown = (error as Record<string, unknown>)[name]
  return typeof value === type ? (value as T) : null
}

function toMailError(error: unknown): MailError {
  if (error instanceof MailError) return error
  const responseCode = field<number>(error, 'responseCode', 'number')
  const code = field<string>(error, 'code', 'string')
  const command = field<string>(error, 'command', 'string')
  // A 5xx to AUTH is our configuration, not the message: retrying after a fix must stay possible.
  const permanent = responseCode !== null && responseCode >= 500 && responseCode < 600 && code !== 'EAUTH'
  const text = field<string>(error, 'response', 'string') ?? (error instanceof Error ? error.message : String(error))
  return new MailError(text, { responseCode, permanent, recipientRejected: permanent && command === 'RCPT TO', code, cause: error })
}

// ─── Transport ─────────────────────────────────────────────────────────────────────────────────────────────

export function createSmtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl)
  // Query parameters of SMTP_URL stay the operator's to tune; these are only defaults.
  const defaults = { pool: 'true', maxConnections: '5', connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '60000' }
  for (const [name, value] of Object.entries(defaults)) if (!url.searchParams.has(name)) url.searchParams.set(name, value)
  return nodemailer.createTransport(url.toString())
}

const holder = globalThis as typeof globalThis & { __relaisMailTransport?: MailTransport }

/** The process's transport: pooled SMTP from SMTP_URL, or the built-in catcher (stored in PostgreSQL) without it. */
export function getMailTransport(): MailTransport {
  if (!holder.__relaisMailTransport) {
    const { SMTP_URL } = getEnv()
    const transport = SMTP_URL ? createSmtpTransport(SMTP_URL) : createCatcherTransport()
    transport.on('error', (error: Error) => logger.warn({ err: error.message }, 'mail transport error'))
    holder.__relaisMailTransport = transport
  }
  return holder.__relaisMailTransport
}

/** Closes the pooled connections (on shutdown, after in-flight sends have finished). */
export async function closeMailTransport(): Promise<void> {
  const transport = holder.__relaisMailTransport
  holder.__relaisMailTransport = undefined
  transport?.close()
}

export function isMailCatcherActive(): boolean {
  return !getEnv().SMTP_URL
}

// ─── Sending ───────────────────────────────────────────────────────────────────────────────────────────────

function dkimOptions(env: Env): SendMailOptions['dkim'] {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined
  // A key given on one line in the environment keeps its line breaks as "\n".
  // The signed header list includes List-Unsubscribe and List-Unsubscribe-Post (nodemailer's default lacks the latter).
  return {
    domainName: env.DKIM_DOMAIN,
    keySelector: env.DKIM_SELECTOR,
    privateKey: env.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
    headerFieldNames: dkimHeaderFieldNames,
  }
}

function composeMail(message: OutgoingEmail, messageId: string, replyTo: string | undefined, env: Env): SendMailOptions {
  return {
    from: message.from ? { name: message.from.name, address: message.from.address } : env.MAIL_FROM,
    to: message.to,
    replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId,
    headers: { ...message.headers, ...(message.kind === 'transactional' ? { 'Auto-Submitted': 'auto-generated' } : {}) },
    attachments: message.attachments?.map((attachment) => ({ ...attachment, encoding: 'base64' })),
    icalEvent: message.icalEvent,
    dkim: dkimOptions(env),
    // Message content never reads files or URLs of the server.
    disableFileAccess: true,
    disableUrlAccess: true,
  }
}

type ClaimedRecord = { id: bigint; messageId: string }

/**
 * Records the message (PENDING) before anything is sent and claims this attempt. Returns the previous result when
 * the key was already sent. The claim bumps `attempts` only if nobody else did since we read the row, so two
 * processes racing on one key cannot both send.
 */
async function claim(message: OutgoingEmail, env: Env): Promise<ClaimedRecord | SendResult> {
  const generatedId = `<${randomUUID()}@${new URL(env.APP_URL).hostname}>`
  const { idempotencyKey } = message
  await prisma.outboundEmail.createMany({
    data: [{ idempotencyKey, template: message.template, toAddress: message.to, contactId: message.contactId, subject: message.subject, messageId: generatedId }],
    skipDuplicates: true,
  })
  const row = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey } })
  if (row.status === 'SENT') return { status: 'already-sent', messageId: row.messageId, smtpResponse: row.smtpResponse }
  // The Message-ID stays the same across retries, so a receiver that got a half-acknowledged copy can dedupe.
  const messageId = row.messageId ?? generatedId
  const claimed = await prisma.outboundEmail.updateMany({
    where: { id: row.id, status: { not: 'SENT' }, attempts: row.attempts },
    data: { attempts: { increment: 1 }, status: 'PENDING', messageId },
  })
  if (claimed.count === 1) return { id: row.id, messageId }
  const current = await prisma.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey } })
  if (current.status === 'SENT') return { status: 'already-sent', messageId: current.messageId, smtpResponse: current.smtpResponse }
  throw new MailError('Ce message est en cours d’envoi par un autre processus ; réessayez plus tard.', { permanent: false })
}

/**
 * Sends one message exactly once per idempotency key and records the outcome in OutboundEmail. Throws a MailError
 * when sending fails (the row is then FAILED); the queue decides whether to retry from `permanent`.
 */
export async function sendEmail(input: OutgoingEmail, transport: MailTransport = getMailTransport()): Promise<SendResult> {
  const parsed = outgoingEmailSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join(' ; ')
    throw new MailError(`Message refusé avant l’envoi : ${problems}`, { permanent: true, cause: parsed.error })
  }
  const message = parsed.data
  const env = getEnv()
  const record = await claim(message, env)
  if ('status' in record) {
    logger.info({ template: message.template, idempotencyKey: message.idempotencyKey }, 'email already sent, not sent again')
    return record
  }
  const logContext = { outboundEmailId: record.id.toString(), template: message.template }
  const replyTo = message.replyTo ?? ((await getOrganization()).replyTo || undefined)
  try {
    const info = await transport.sendMail(composeMail(message, record.messageId, replyTo, env))
    await prisma.outboundEmail.update({
      where: { id: record.id },
      data: { status: 'SENT', smtpResponse: info.response, sentAt: new Date(), error: null },
    })
    logger.info(logContext, 'email sent')
    return { status: 'sent', messageId: record.messageId, smtpResponse: info.response }
  } catch (error) {
    const mailError = toMailError(error)
    await prisma.outboundEmail.update({ where: { id: record.id }, data: { status: 'FAILED', error: mailError.message.slice(0, 2000) } })
    logger.warn({ ...logContext, responseCode: mailError.responseCode, code: mailError.code, permanent: mailError.permanent }, 'email not sent')
    throw mailError
  }
}

export interface OutboundEmailSummary {
  id: string
  template: string
  toAddress: string | null
  subject: string
  status: 'PENDING' | 'SENT' | 'FAILED'
  smtpResponse: string | null
  error: string | null
  attempts: number
  createdAt: Date
}

/** The latest records of the ledger, newest first (the staff outbox shows them). */
export async function listRecentOutboundEmails(take = 20): Promise<OutboundEmailSummary[]> {
  const rows = await prisma.outboundEmail.findMany({ orderBy: { id: 'desc' }, take })
  return rows.map((row) => ({ ...row, id: row.id.toString() }))
}
