// Owns the campaign transport of a worker process: one pooled SMTP transport (CAMPAIGN_SMTP_CONNECTIONS connections,
// pre-built raw MIME + envelope, DKIM-signed here with both unsubscribe headers in the signed list) or the built-in
// catcher when SMTP_URL is unset; the classification of SMTP failures; and the process-wide limit of messages that
// are in flight or acknowledged but not yet recorded (one per connection).
import { createPrivateKey } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import nodemailer, { type SendMailOptions } from 'nodemailer'
import shared from 'nodemailer/lib/shared/index.js'
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js'
import { signMessage, type DkimKey } from './campaign-dkim.server.ts'
import { getEnv, type Env } from './env.server.ts'
import { logger } from './logger.server.ts'
import { createCatcherTransport, decodeHeaderValue } from './mail-catcher.server.ts'
import type { MailTransport } from './mail.server.ts'

/**
 * nodemailer's default signed header list (RFC 4871 §5.5) plus List-Unsubscribe-Post, so that a relay cannot
 * strip or forge the one-click promise (RFC 8058 §4 asks for both unsubscribe headers to be signed).
 */
export const dkimHeaderFieldNames = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'Content-ID', 'Content-Description', 'In-Reply-To', 'References',
  'List-Id', 'List-Help', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Subscribe', 'List-Post', 'List-Owner', 'List-Archive',
].join(':')

type SocketCallback = (error: Error | null, options?: { connection: Socket }) => void

/**
 * Opens each pooled connection with Nagle's algorithm off. nodemailer writes a message's last bytes ("\r\n.\r\n")
 * as a small segment, which Nagle holds until the previous one is acknowledged while the server delays that
 * acknowledgement (~40 ms): without this, a connection sends at most ~25 messages a second.
 */
function openNoDelaySocket(options: { host?: string; port?: number | string; secure?: boolean; connectionTimeout?: number | string }, callback: SocketCallback): void {
  const port = Number(options.port) || (options.secure ? 465 : 587)
  const socket = connect({ host: options.host ?? 'localhost', port, noDelay: true })
  const timeout = Number(options.connectionTimeout) || 10_000
  const timer = setTimeout(() => {
    socket.destroy()
    callback(Object.assign(new Error(`connection to ${options.host}:${port} timed out`), { code: 'ETIMEDOUT' }))
  }, timeout)
  socket.once('connect', () => {
    clearTimeout(timer)
    socket.removeAllListeners('error')
    callback(null, { connection: socket })
  })
  socket.once('error', (error) => {
    clearTimeout(timer)
    callback(error)
  })
}

function dkimSettings(env: Env): DkimKey | undefined {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined
  return {
    domainName: env.DKIM_DOMAIN,
    keySelector: env.DKIM_SELECTOR,
    privateKey: createPrivateKey(env.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n')),
    headerFieldNames: dkimHeaderFieldNames,
  }
}

export interface CampaignMailer {
  /** Sends one pre-built message; resolves with the server's answer ("250 2.0.0 Ok: queued as …"). */
  send(message: { raw: Buffer; envelope: { from: string; to: string[] } }): Promise<string>
  /** The most messages in flight or acknowledged-but-unrecorded at once in this process. */
  slots: number
  close(): void
}

function createMailer(env: Env): CampaignMailer {
  const slots = env.CAMPAIGN_SMTP_CONNECTIONS
  let transport: MailTransport
  const catcher = !env.SMTP_URL
  if (env.SMTP_URL) {
    const url = new URL(env.SMTP_URL)
    const defaults = { connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '60000' }
    for (const [name, value] of Object.entries(defaults)) if (!url.searchParams.has(name)) url.searchParams.set(name, value)
    // The pool size is ours (one message per connection at a time is what bounds the unrecorded window).
    const options = {
      ...shared.parseConnectionUrl(url.toString()),
      pool: true,
      maxConnections: slots,
      maxMessages: Infinity,
      getSocket: openNoDelaySocket,
    } as unknown as SMTPPool.Options
    // Both answer sendMail with SMTP's SentMessageInfo (`response` is the server's answer).
    transport = nodemailer.createTransport(options) as unknown as MailTransport
  } else {
    transport = createCatcherTransport()
  }
  transport.on('error', (error: Error) => logger.warn({ err: error.message }, 'campaign transport error'))
  const dkim = dkimSettings(env)
  return {
    slots,
    async send(message) {
      const raw = dkim ? signMessage(message.raw, dkim) : message.raw
      const options: SendMailOptions = { raw, envelope: message.envelope, disableFileAccess: true, disableUrlAccess: true }
      // The catcher lists messages by subject, which a raw message does not give it otherwise.
      if (catcher) options.subject = subjectOf(raw)
      const info = await transport.sendMail(options)
      return info.response
    },
    close: () => transport.close(),
  }
}

/** The decoded Subject of a raw message (for the catcher's list only). */
function subjectOf(raw: Buffer): string {
  const head = raw.toString('latin1', 0, Math.min(raw.length, 16_384)).split('\r\n\r\n', 1)[0] ?? ''
  const line = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n').find((candidate) => /^subject:/i.test(candidate))
  return line ? decodeHeaderValue(line.slice('subject:'.length).trim()) : ''
}

const holder = globalThis as typeof globalThis & { __relaisCampaignMailer?: CampaignMailer }

export function getCampaignMailer(): CampaignMailer {
  holder.__relaisCampaignMailer ??= createMailer(getEnv())
  return holder.__relaisCampaignMailer
}

export function closeCampaignMailer(): void {
  holder.__relaisCampaignMailer?.close()
  holder.__relaisCampaignMailer = undefined
}

// ─── Failures ──────────────────────────────────────────────────────────────────────────────────────────────

export type SendFailure =
  /** 4xx, or a connection lost during one message: retry later with backoff. */
  | { kind: 'temporary'; response: string }
  /** 5xx to RCPT TO: a hard bounce of this address. */
  | { kind: 'bounce'; response: string }
  /** Another 5xx (the message itself refused): failed, staff may retry. */
  | { kind: 'permanent'; response: string }
  /** No SMTP server to talk to (refused, timed out, 421), or it refuses us (authentication, sender): a run pauses. */
  | { kind: 'connection'; response: string }

const connectionCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL', 'EPIPE'])

function property(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined
}

/** Sorts an error of `send` into what the pipeline does with the delivery. */
export function classifySendFailure(error: unknown): SendFailure {
  const code = typeof property(error, 'code') === 'string' ? (property(error, 'code') as string) : null
  const responseCode = typeof property(error, 'responseCode') === 'number' ? (property(error, 'responseCode') as number) : null
  const command = typeof property(error, 'command') === 'string' ? (property(error, 'command') as string) : null
  const text = typeof property(error, 'response') === 'string' ? (property(error, 'response') as string) : error instanceof Error ? error.message : String(error)
  const response = text.slice(0, 1000)
  // 421 (service not available, closing) at connection or greeting is the server being down, as is no answer at all.
  if (responseCode === 421 && (command === 'CONN' || command === null)) return { kind: 'connection', response }
  if (responseCode !== null && responseCode >= 500 && responseCode < 600) {
    // Authentication or the sender refused: our configuration, the same for every message; a run of them pauses.
    if (code === 'EAUTH' || command === 'MAIL FROM') return { kind: 'connection', response }
    return command === 'RCPT TO' ? { kind: 'bounce', response } : { kind: 'permanent', response }
  }
  if (responseCode !== null && responseCode >= 400 && responseCode < 500) return { kind: 'temporary', response }
  if (code && connectionCodes.has(code)) return { kind: 'connection', response }
  return { kind: 'temporary', response }
}

// ─── In-flight slots ───────────────────────────────────────────────────────────────────────────────────────

/**
 * A counting semaphore. A slot is taken before a message is handed to SMTP and given back only once its outcome
 * is written to the ledger: with one slot per pooled connection, at most that many messages can be accepted by
 * the server and not yet recorded when the process dies.
 */
export class Slots {
  private free: number
  private readonly waiting: Array<() => void> = []

  constructor(size: number) {
    this.free = size
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  give(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free += 1
  }
}

const slotHolder = globalThis as typeof globalThis & { __relaisCampaignSlots?: Slots }

export function campaignSlots(): Slots {
  slotHolder.__relaisCampaignSlots ??= new Slots(getEnv().CAMPAIGN_SMTP_CONNECTIONS)
  return slotHolder.__relaisCampaignSlots
}
