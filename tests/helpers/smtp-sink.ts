// A real SMTP listener on loopback for tests: keeps every accepted message as an .eml file in a folder, so
// that any test process can read what the app or the worker sent. Scripted answers, by recipient local part:
// "+smtp550" is refused for good (550), "+smtp451" is deferred (451) on its first attempt only, and a message
// to "+smtpslow" is acknowledged after two seconds (to catch a process in the middle of a send).
// A test may start a listener of its own with options: a delay before every acknowledgement, its own 451/550
// rules, and a "down" mode in which every command is answered 421 and the connection closed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

export interface SmtpSinkOptions {
  /**
   * Milliseconds between receiving a whole message (kept at once, as a real server queues it) and its "250 OK".
   * A client killed during that wait never learns the message was accepted: the at-least-once edge of SMTP.
   */
  delayMs?: number
  /** Recipients answered 451 on their first RCPT TO (each address once), accepted afterwards. */
  deferFirst?: (address: string) => boolean
  /** Recipients refused for good (550). */
  refuse?: (address: string) => boolean
}

export interface SmtpSink {
  port: number
  dir: string
  close(): Promise<void>
  /** Messages kept, by envelope recipient (lower case). */
  accepted: Map<string, number>
  /** 451 answers given, by recipient. */
  deferred: Map<string, number>
  /** 550 answers given, by recipient. */
  refused: Map<string, number>
  /** Changes the delay before each acknowledgement from now on. */
  setDelay(ms: number): void
  /** 'down': every connection and command is answered 421 and closed (a server out of service); 'up' again. */
  setDown(down: boolean): void
}

const increment = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode })

export async function startSmtpSink(dir: string, port = 0, options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  mkdirSync(dir, { recursive: true })
  const deferredOnce = new Set<string>()
  const accepted = new Map<string, number>()
  const deferred = new Map<string, number>()
  const refused = new Map<string, number>()
  let delayMs = options.delayMs ?? 0
  let down = false
  let counter = 0

  const keep = (session: { envelope: { mailFrom: SMTPServerAddress | false; rcptTo: SMTPServerAddress[] } }, body: Buffer): string => {
    counter += 1
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
    }
    const name = `${Date.now()}-${process.pid}-${counter}`
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(envelope))
    writeFileSync(join(dir, `${name}.eml`), body)
    for (const to of envelope.to) increment(accepted, to.toLowerCase())
    return name
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 30 * 1024 * 1024,
    onConnect(_session, callback) {
      if (down) return callback(smtpError('Service not available', 421))
      callback()
    },
    onMailFrom(_address, _session, callback) {
      if (down) return callback(smtpError('Service not available', 421))
      callback()
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (down) return callback(smtpError('Service not available', 421))
      const local = address.address.split('@')[0] ?? ''
      const key = address.address.toLowerCase()
      if (local.includes('+smtp550') || options.refuse?.(key)) {
        increment(refused, key)
        return callback(smtpError('5.1.1 Mailbox does not exist', 550))
      }
      if ((local.includes('+smtp451') || options.deferFirst?.(key)) && !deferredOnce.has(key)) {
        deferredOnce.add(key)
        increment(deferred, key)
        return callback(smtpError('4.7.1 Try again later', 451))
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      // A client gone mid-message destroys the stream: nothing is kept, nothing answered.
      stream.on('error', () => undefined)
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const slow = session.envelope.rcptTo.some((r) => r.address.split('@')[0]?.includes('+smtpslow'))
        if (slow) await wait(2000)
        const name = keep(session, Buffer.concat(chunks))
        if (!slow && delayMs > 0) await wait(delayMs)
        callback(null, `2.0.0 Ok: queued as ${name}`)
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  return {
    port: actualPort,
    dir,
    accepted,
    deferred,
    refused,
    setDelay: (ms) => (delayMs = ms),
    setDown: (value) => (down = value),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
