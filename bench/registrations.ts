// `npm run bench:registrations [-- --registrations 2000 --seconds 60 --capacity 500]`: the public
// registration form of one event (capacity 500, waitlist on) posted 2,000 times in one minute by autocannon on
// loopback, against the production build and server (app/server.ts) with a database of its own. Every post carries
// its own solved ALTCHA proof-of-work (made with the app's own challenge maker and solved before the timed run, in
// two processes, as the widget would), its own address, and its own client address in X-Forwarded-For (believed
// from a loopback proxy, as in production behind one), so that the per-address budgets apply as they would to 2,000 visitors. A post counts as
// an error unless it is answered 303 (the thank-you page). Then, in the same run, /healthz under the same pattern
// (as many GETs at the same rate) as the reference. Finally the database is read: 2,000 rows, confirmed ≤ capacity.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { benchRedisUrl, clearRedisPrefix, dropBenchDatabase, machineDescription, ms, openBenchDatabase, percentile, say } from './setup.ts'

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const registrations = argument('registrations', 2000)
const seconds = argument('seconds', 60)
const capacity = argument('capacity', 500)
const databaseName = 'relais_bench_registrations'
const prefix = 'relaisbenchreg'
const port = 3980 + Math.floor(Math.random() * 9)
const base = `http://127.0.0.1:${port}`
const root = new URL('..', import.meta.url).pathname
const redisUrl = benchRedisUrl

function clearRedis(): Promise<void> {
  return clearRedisPrefix(prefix, redisUrl)
}

/** Solved proofs of work (see registrations-pow.ts), made in two processes before the timed run. */
async function solveProofs(count: number): Promise<string[]> {
  const processes = 2
  const proofs: string[] = []
  await Promise.all(
    Array.from({ length: processes }, (_, slot) => {
      const share = Math.floor(count / processes) + (slot < count % processes ? 1 : 0)
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/registrations-pow.ts', String(share)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let errors = ''
      child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        proofs.push(line)
        if (proofs.length % 250 === 0) say(`proofs of work: ${proofs.length} / ${count}`)
      })
      return new Promise<void>((resolve, reject) =>
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`proof-of-work solver exited with ${code}: ${errors}`))))
      )
    })
  )
  return proofs
}

interface Phase {
  times: number[]
  statuses: Map<number, number>
  seconds: number
  errors: number
}

/** `amount` requests spread over `seconds` (one per second per connection); the raw latency of each response. */
async function runPhase(input: {
  path: string
  method: 'GET' | 'POST'
  amount: number
  expected: number | null
  setup?: (index: number) => { body: string; headers: Record<string, string> }
}): Promise<Phase> {
  const times: number[] = []
  const statuses = new Map<number, number>()
  let next = 0
  const started = performance.now()
  let finished: (result: autocannon.Result) => void = () => {}
  let failed: (error: unknown) => void = () => {}
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve
    failed = reject
  })
  const instance = autocannon(
    {
      url: `${base}${input.path}`,
      // One request per second on each of ceil(amount / seconds) connections: autocannon shares `amount` evenly
      // between connections, so an overall rate that does not divide by the connections leaves the slower ones
      // running on alone (2,000 at 34/s over 20 connections took 100 s).
      connections: Math.ceil(input.amount / seconds),
      connectionRate: 1,
      amount: input.amount,
      // The raw time of each response is collected below; autocannon's corrected histogram is not used.
      ignoreCoordinatedOmission: true,
      requests: [
        {
          method: input.method,
          setupRequest: (request) => {
            const index = next++
            if (!input.setup) return request
            const { body, headers } = input.setup(Math.min(index, input.amount - 1))
            return { ...request, body, headers: { ...request.headers, ...headers } }
          },
        },
      ],
    },
    (error: unknown, result) => (error ? failed(error) : finished(result))
  )
  // The tracker emits (client, statusCode, bytes, responseTime); @types/autocannon leaves the client out.
  ;(instance as unknown as EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime)
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
  })
  const result = await done
  const elapsed = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  const unexpected = [...statuses].filter(([status]) => input.expected !== null && status !== input.expected).reduce((sum, [, count]) => sum + count, 0)
  return { times, statuses, seconds: elapsed, errors: unexpected + result.errors + result.timeouts + (input.amount - times.length) }
}

function waitForServer(server: ChildProcess, output: () => string): Promise<void> {
  return (async () => {
    for (let tries = 0; ; tries++) {
      if (server.exitCode !== null) throw new Error(`the server exited: ${output()}`)
      if (
        await fetch(`${base}/healthz`).then(
          () => true,
          () => false
        )
      )
        return
      if (tries > 600) throw new Error(`the server did not start: ${output()}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
}

async function main(): Promise<void> {
  await openBenchDatabase(databaseName, { PORT: String(port), APP_URL: base, QUEUE_PREFIX: prefix })
  await clearRedis()
  const { prisma } = await import('~/utils/db.server.ts')
  mkdirSync(join(root, 'bench/.out'), { recursive: true })
  const buildDir = mkdtempSync(join(root, 'bench/.out/build-'))
  let server: ChildProcess | undefined
  try {
    const event = await prisma.event.create({
      data: {
        slug: 'jeudi-odd17-bench',
        kind: 'ONLINE',
        title: 'Les Jeudis de l’ODD 17 — séance d’ouverture',
        startsAt: new Date(Date.now() + 14 * 24 * 3600 * 1000),
        endsAt: new Date(Date.now() + 14 * 24 * 3600 * 1000 + 45 * 60 * 1000),
        joinUrl: 'https://visio.example/bench',
        capacity,
        waitlistEnabled: true,
        questions: [{ id: 'attentes', label: 'Vos attentes', type: 'short_text', required: false, options: [] }],
        status: 'PUBLISHED',
        icalUid: `${randomUUID()}@bench.example`,
      },
    })

    const buildStart = performance.now()
    const build = spawnSync(process.execPath, [join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir },
      encoding: 'utf8',
    })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
    say(`build: ${((performance.now() - buildStart) / 1000).toFixed(0)} s`)

    server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let serverOutput = ''
    server.stdout?.on('data', (chunk: Buffer) => (serverOutput = (serverOutput + chunk.toString()).slice(-20_000)))
    server.stderr?.on('data', (chunk: Buffer) => (serverOutput = (serverOutput + chunk.toString()).slice(-20_000)))
    await waitForServer(server, () => serverOutput)
    // Warm-up: the page once (templates, connection pools), outside the timed run.
    await (await fetch(`${base}/events/${event.slug}`)).arrayBuffer()

    const solveStart = performance.now()
    const proofs = await solveProofs(registrations)
    const solveSeconds = (performance.now() - solveStart) / 1000
    say(`proofs of work: ${proofs.length} solved in ${solveSeconds.toFixed(0)} s`)

    const load = loadavg()[0]!
    const posts = await runPhase({
      path: `/events/${event.slug}`,
      method: 'POST',
      amount: registrations,
      expected: 303,
      setup: (index) => ({
        body: new URLSearchParams({
          email: `inscrit${index}@bench.example`,
          firstName: 'Camille',
          lastName: `Essai ${index}`,
          organization: 'Commune de Test',
          actorType: 'PUBLIC_AGENT',
          territory: '33',
          locale: 'fr',
          'q-attentes': 'Des retours d’expérience.',
          altcha: proofs[index]!,
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}` },
      }),
    })
    // No worker runs here, so /healthz answers 503 (no heartbeat): the same database and Redis round trips either way.
    const health = await runPhase({ path: '/healthz', method: 'GET', amount: registrations, expected: null })

    const groups = await prisma.registration.groupBy({ by: ['status'], where: { eventId: event.id }, _count: { _all: true } })
    const count = (status: string) => groups.find((group) => group.status === status)?._count._all ?? 0
    const total = groups.reduce((sum, group) => sum + group._count._all, 0)
    const confirmed = count('CONFIRMED')
    const waitlisted = count('WAITLISTED')
    const ledger = await prisma.eventMessage.count({ where: { eventId: event.id } })

    const p = (phase: Phase, q: number) => percentile(phase.times, q)
    say()
    say(`## Registrations: ${registrations.toLocaleString('en')} posts in one minute (${new Date().toISOString().slice(0, 10)})`)
    say()
    say(`Machine: ${machineDescription()}. Load average before the run: ${load.toFixed(2)}.`)
    say()
    say('| phase | requests | duration | p50 | p95 | p99 | max | errors |')
    say('| --- | --- | --- | --- | --- | --- | --- | --- |')
    const row = (name: string, phase: Phase) =>
      say(
        `| ${name} | ${phase.times.length} | ${phase.seconds.toFixed(1)} s | ${ms(p(phase, 50))} | ${ms(p(phase, 95))} | ${ms(p(phase, 99))} | ${ms(
          phase.times.at(-1) ?? Number.NaN
        )} | ${phase.errors} |`
      )
    row('POST /events/:slug (registration, 303 expected)', posts)
    row('reference: GET /healthz (same pattern)', health)
    say()
    say(`Ratio registration / healthz: p50 ${(p(posts, 50) / p(health, 50)).toFixed(1)} ×, p99 ${(p(posts, 99) / p(health, 99)).toFixed(1)} ×.`)
    say(
      `Statuses of the posts: ${[...posts.statuses].map(([status, n]) => `${status} × ${n}`).join(', ')}; of /healthz: ${[...health.statuses]
        .map(([status, n]) => `${status} × ${n}`)
        .join(', ')}.`
    )
    say(
      `Database after the run: ${total} registrations, ${confirmed} confirmed (capacity ${capacity}), ${waitlisted} waitlisted, ${ledger} event-message ledger rows.`
    )
    say(`Proofs of work solved before the run: ${solveSeconds.toFixed(0)} s in two processes.`)
    const failures: string[] = []
    if (total !== registrations) failures.push(`expected ${registrations} rows, found ${total}`)
    if (confirmed > capacity) failures.push(`capacity exceeded: ${confirmed} > ${capacity}`)
    if (posts.errors > 0) failures.push(`${posts.errors} posts not answered 303`)
    if (failures.length) {
      say(`FAILED: ${failures.join('; ')}`)
      process.exitCode = 1
    }
  } finally {
    server?.kill('SIGTERM')
    await prisma.$disconnect()
    rmSync(buildDir, { recursive: true, force: true })
    await clearRedis()
    await dropBenchDatabase(databaseName)
  }
}

await main()
