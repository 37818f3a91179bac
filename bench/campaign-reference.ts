// The references of the campaign benchmark, measured in the same run against the same listener: Postfix's
// `smtp-sink` (the listener every sender of the benchmark delivers to), Postfix's `smtp-source` (the machine's
// limit: pre-built messages of a given size, no composing at all), and a plain nodemailer pool composing every
// message itself, as a team would write a newsletter sender first.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import nodemailer from 'nodemailer'
import { freePort } from '#tests/helpers/processes.ts'

export const postfixSink = '/usr/sbin/smtp-sink'
export const postfixSource = '/usr/sbin/smtp-source'

export function postfixToolsMissing(): string[] {
  return [postfixSink, postfixSource].filter((path) => !existsSync(path))
}

export interface PostfixSink {
  port: number
  pid: number
  /** Messages received so far ("." acknowledged), from the sink's running counter. */
  received(): number
  waitFor(count: number, timeoutMs: number): Promise<void>
  stop(): Promise<void>
}

/** Starts `smtp-sink -c` on loopback; its counter line (`sess=… quit=… mesg=N`) is read as it is rewritten. */
export async function startPostfixSink(): Promise<PostfixSink> {
  const port = await freePort()
  const child: ChildProcess = spawn(postfixSink, ['-c', '-u', 'nobody', '-m', '512', `127.0.0.1:${port}`, '1024'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let received = 0
  let tail = ''
  let errors = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-200)
    const counts = [...tail.matchAll(/mesg=(\d+)/g)]
    const last = counts.at(-1)
    if (last) received = Math.max(received, Number(last[1]))
  })
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Ready once it accepts a connection.
  const deadline = Date.now() + 10_000
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket()
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
      socket.connect(port, '127.0.0.1')
    })
    if (ok) break
    if (Date.now() > deadline) throw new Error(`smtp-sink did not start: ${errors}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    port,
    pid: child.pid ?? 0,
    received: () => received,
    async waitFor(count, timeoutMs) {
      const end = Date.now() + timeoutMs
      while (received < count) {
        if (Date.now() > end) throw new Error(`smtp-sink received ${received} of ${count} messages`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * `smtp-source -s <sessions> -d -l <size> -m <count>` into the sink: seconds for the whole run. Asynchronous, so
 * that this process keeps reading the sink's counter meanwhile (a full pipe would stall the sink).
 */
export async function runSmtpSource(input: { port: number; size: number; count: number; sessions: number }): Promise<number> {
  const start = performance.now()
  const child = spawn(
    postfixSource,
    ['-s', String(input.sessions), '-d', '-l', String(input.size), '-m', String(input.count), '-f', 'bench@bench.example', '-t', 'reader@bench.example', `127.0.0.1:${input.port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let errors = ''
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))
  if (code !== 0) throw new Error(`smtp-source failed (${code ?? child.signalCode}): ${errors}`)
  return (performance.now() - start) / 1000
}

export interface PlainPoolTemplate {
  subject: string
  html: string
  text: string
}

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/**
 * What a team writes first: a nodemailer pooled transport and one `sendMail({ html, text })` per recipient, the
 * newsletter's HTML rendered once and the recipient's values replaced in it, nodemailer composing each MIME
 * message (quoted-printable encoding of both parts, headers). `window` messages in flight at once.
 * Returns the seconds taken for `count` messages, all acknowledged.
 */
export async function runPlainPool(input: { port: number; count: number; connections: number; window: number; template: PlainPoolTemplate }): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: input.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: input.connections,
    maxMessages: Infinity,
  })
  const start = performance.now()
  let next = 0
  const sendOne = async (index: number) => {
    const firstName = index % 5 === 0 ? 'chère lectrice, cher lecteur' : `Prénom${index}`
    const unsubscribe = `https://relais.example/u/${index.toString(36)}-${Math.random().toString(36).slice(2)}`
    await transport.sendMail({
      from: { name: 'Relais', address: 'lettre@relais.example' },
      to: `lecteur${index}@bench.example`,
      subject: input.template.subject.replaceAll('{{prenom}}', firstName),
      html: input.template.html.replaceAll('{{prenom}}', escapeHtml(firstName)).replaceAll('{{unsubscribe}}', unsubscribe),
      text: input.template.text.replaceAll('{{prenom}}', firstName).replaceAll('{{unsubscribe}}', unsubscribe),
      list: { id: 'lettre.relais.example', unsubscribe: { url: unsubscribe, comment: 'Se désabonner' } },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
  }
  const lane = async () => {
    while (next < input.count) {
      const index = next
      next += 1
      await sendOne(index)
    }
  }
  await Promise.all(Array.from({ length: input.window }, lane))
  const seconds = (performance.now() - start) / 1000
  transport.close()
  return seconds
}
