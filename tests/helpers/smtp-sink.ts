// A real SMTP listener on loopback for tests: keeps every accepted message as an .eml file in a folder, so
// that any test process can read what the app or the worker sent. Scripted answers, by recipient local part:
// "+smtp550" is refused for good (550), "+smtp451" is deferred (451) on its first attempt only, and a message
// to "+smtpslow" is acknowledged after two seconds (to catch a process in the middle of a send).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

export interface SmtpSink {
  port: number
  dir: string
  close(): Promise<void>
}

export async function startSmtpSink(dir: string, port = 0): Promise<SmtpSink> {
  mkdirSync(dir, { recursive: true })
  const deferredOnce = new Set<string>()
  let counter = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 30 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const local = address.address.split('@')[0] ?? ''
      if (local.includes('+smtp550')) {
        const error = Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 })
        return callback(error)
      }
      if (local.includes('+smtp451') && !deferredOnce.has(address.address)) {
        deferredOnce.add(address.address)
        const error = Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 })
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        if (session.envelope.rcptTo.some((r) => r.address.split('@')[0]?.includes('+smtpslow'))) {
          await new Promise((resolve) => setTimeout(resolve, 2000))
        }
        counter += 1
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        }
        const name = `${Date.now()}-${process.pid}-${counter}`
        writeFileSync(join(dir, `${name}.json`), JSON.stringify(envelope))
        writeFileSync(join(dir, `${name}.eml`), Buffer.concat(chunks))
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
  return { port: actualPort, dir, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
