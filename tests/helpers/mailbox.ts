// Reads what the test SMTP listener received (tests/helpers/smtp-sink.ts), parsed by mailparser.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser, type ParsedMail } from 'mailparser'
import { inject } from 'vitest'

export interface ReceivedMail {
  envelope: { from: string; to: string[] }
  raw: Buffer
  parsed: ParsedMail
}

function mailDir(): string {
  return inject('mailDir')
}

/** Every message received so far whose envelope includes `to`. */
export async function messagesTo(to: string): Promise<ReceivedMail[]> {
  const dir = mailDir()
  if (!existsSync(dir)) return []
  const found: ReceivedMail[] = []
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const envelope = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ReceivedMail['envelope']
    if (!envelope.to.includes(to.toLowerCase()) && !envelope.to.includes(to)) continue
    const raw = readFileSync(join(dir, file.replace(/\.json$/, '.eml')))
    found.push({ envelope, raw, parsed: await simpleParser(raw) })
  }
  return found
}

/** Waits until `count` messages to `to` have arrived (default one), then returns them. The bound covers one retry
 * of the email queue (15 s backoff plus jitter) on a loaded two-core machine; it is a wait, not a timing check. */
export async function waitForMessages(to: string, count = 1, timeoutMs = 45_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const messages = await messagesTo(to)
    if (messages.length >= count) return messages
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${to}, got ${messages.length}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A fresh, unique recipient for one test. */
export function uniqueAddress(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@test.example`
}
