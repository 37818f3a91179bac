// `npm run bench:campaign [-- --recipients 100000 --small 10000 --pool 20000 --profile]`: a personalised newsletter
// (bench/campaign-content.ts) sent by the real worker process (jobs/worker.ts, one process, default settings) into
// Postfix's `smtp-sink`, timed from launchCampaign (audience snapshot into the ledger included) until the campaign is
// SENT and the sink has acknowledged every message. Measured in the same run, into the same sink: Postfix's
// `smtp-source -s 16 -d` with messages of the same size (the machine's limit) and a plain nodemailer pool composing
// each message itself (bench/campaign-reference.ts); the worker's peak RSS (VmHWM) at the small and the large
// audience, each in a fresh worker; the large audience again with DKIM signing on. `--profile` writes a CPU profile
// of the worker of the large run (bench/.out/profiles) and prints where its time goes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { hostname, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { authenticate } from 'mailauth'
import { simpleParser } from 'mailparser'
import { startSmtpSink } from '../tests/helpers/smtp-sink.ts'
import { benchNewsletterBlocks, benchSubject } from './campaign-content.ts'
import { summariseProfile } from './campaign-profile.ts'
import { postfixToolsMissing, runPlainPool, runSmtpSource, startPostfixSink, type PostfixSink } from './campaign-reference.ts'
import { dropBenchDatabase, machineDescription, openBenchDatabase, say } from './setup.ts'

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const large = argument('recipients', 100_000)
const small = argument('small', 10_000)
const poolCount = argument('pool', 20_000)
const profile = process.argv.includes('--profile')
const databaseName = 'relais_bench_campaign'
const prefix = 'relaisbenchcampaign'
const root = new URL('..', import.meta.url).pathname
const outDir = join(root, 'bench/.out')

const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
const dkimEnv = { DKIM_DOMAIN: 'bench.example', DKIM_SELECTOR: 'bench', DKIM_PRIVATE_KEY: dkimKey.privateKey }

async function seed(run: (sql: string) => Promise<unknown>): Promise<void> {
  await run(`INSERT INTO "Organization" ("id", "name", "postalAddress", "replyTo", "website", "updatedAt") VALUES (1, 'Réseau Relais', '12 rue des Territoires, 69001 Lyon', 'contact@relais.example', 'https://relais.example', now())`)
  await run(`INSERT INTO "MailingList" ("slug", "name", "doubleOptIn", "updatedAt") VALUES ('sample', 'Échantillon', false, now()), ('small', 'La lettre (petite)', false, now()), ('large', 'La lettre du réseau', false, now())`)
  await run(`
    INSERT INTO "Contact" ("email", "firstName", "lastName", "organization", "territory", "updatedAt")
    SELECT 'lecteur' || i || '@bench.example',
           CASE WHEN i % 5 = 0 THEN NULL ELSE (ARRAY['Camille','Hélène','Jean','Sophie','Karim','Lucie','Marc','Nadia'])[1 + i % 8] END,
           (ARRAY['Martin','Bernard','Dupont','Lefèvre','Moreau','Garcia','Durand','Nguyen'])[1 + (i / 8) % 8],
           (ARRAY['Mairie de ','Communauté de communes ','Association ','Université de '])[1 + i % 4] || (ARRAY['Lyon','Brest','Pau','Nancy','Lille','Tours'])[1 + i % 6],
           lpad(((i % 95) + 1)::text, 2, '0'), now()
    FROM generate_series(1, ${large}) AS i`)
  await run(`INSERT INTO "Contact" ("email", "firstName", "updatedAt") VALUES ('echantillon@bench.example', 'Élise', now())`)
  const confirmed = `'CONFIRMED'::"SubscriptionStatus", now(), now()`
  await run(`INSERT INTO "Subscription" ("contactId", "listId", "status", "confirmedAt", "updatedAt") SELECT c."id", 3, ${confirmed} FROM "Contact" c WHERE c."email" LIKE 'lecteur%'`)
  await run(`INSERT INTO "Subscription" ("contactId", "listId", "status", "confirmedAt", "updatedAt") SELECT c."id", 2, ${confirmed} FROM "Contact" c WHERE c."email" LIKE 'lecteur%' ORDER BY c."id" LIMIT ${small}`)
  await run(`INSERT INTO "Subscription" ("contactId", "listId", "status", "confirmedAt", "updatedAt") SELECT c."id", 1, ${confirmed} FROM "Contact" c WHERE c."email" = 'echantillon@bench.example'`)
  // The sender's own limits would otherwise cap the run (20 per second by default): the benchmark measures the
  // pipeline, not a rate chosen for a real relay.
  await run(`INSERT INTO "SenderIdentity" ("name", "email", "replyTo", "ratePerSecond", "ratePerHour", "isDefault", "updatedAt") VALUES ('Réseau Relais', 'lettre@relais.example', 'contact@relais.example', 1000000, 2000000000, true, now())`)
  await run('ANALYZE')
}

interface Worker {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function startWorker(smtpPort: number, extraEnv: Record<string, string>, profileDir?: string): Worker {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'jobs/worker.ts'], {
    cwd: root,
    env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)))
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)))
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) }
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100)

function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicks
  } catch {
    return 0
  }
}

/** Peak resident memory (VmHWM) and CPU seconds (user + system) of a live process, from /proc. */
function processStats(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN)
  return { peakRssMb: peakKb / 1024, cpuSeconds: cpuSecondsOf(pid) }
}

/** CPU seconds of each PostgreSQL backend serving the bench database now (`postgres: <user> <database> …`). */
function postgresBackends(database: string): Map<number, number> {
  const backends = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (command.startsWith('postgres: ') && command.includes(` ${database} `)) backends.set(Number(entry), cpuSecondsOf(Number(entry)))
    } catch {
      // gone meanwhile
    }
  }
  return backends
}

/** CPU seconds the bench database's backends used since `before` (backends that ended meanwhile are not counted). */
function postgresCpuSince(database: string, before: Map<number, number>): number {
  let total = 0
  for (const [pid, seconds] of postgresBackends(database)) total += seconds - (before.get(pid) ?? 0)
  return total
}

async function main(): Promise<void> {
  const missing = postfixToolsMissing()
  if (missing.length > 0) throw new Error(`Postfix's tools are missing (${missing.join(', ')}): apt-get install postfix`)
  await openBenchDatabase(databaseName, { QUEUE_PREFIX: prefix })
  const { prisma } = await import('~/utils/db.server.ts')
  const { redis } = await import('~/utils/redis.server.ts')
  const { workerHeartbeatKey } = await import('#jobs/heartbeat.ts')
  const { launchCampaign } = await import('~/models/campaign-send.server.ts')
  const { campaignProgress } = await import('~/models/campaign-progress.server.ts')
  const sink: PostfixSink = await startPostfixSink()
  const loadBefore = loadavg()
  const running = new Set<Worker>()

  const clearPrefix = async () => {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await redis.unlink(...keys)
    } while (cursor !== '0')
  }

  const worker = async (smtpPort: number, extraEnv: Record<string, string> = {}, profileDir?: string) => {
    const started = startWorker(smtpPort, extraEnv, profileDir)
    running.add(started)
    const key = workerHeartbeatKey(`${hostname()}-${started.child.pid}`)
    const deadline = Date.now() + 60_000
    while ((await redis.exists(key)) !== 1) {
      if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`worker did not start: ${started.output()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return started
  }
  const stop = async (started: Worker) => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM')
    await started.exited
    running.delete(started)
  }

  try {
    await clearPrefix()
    await seed((sql) => prisma.$executeRawUnsafe(sql))
    const staff = await prisma.staffUser.create({ data: { email: 'bench@bench.example', name: 'Bench' } })
    const content = benchNewsletterBlocks()
    const campaign = async (name: string, listId: number) =>
      (await prisma.campaign.create({ data: { name, subject: benchSubject, preheader: 'Dix initiatives, l’agenda, les appels à projets', senderIdentityId: 1, content, lists: { create: [{ listId }] } } })).id

    /** Launch → SENT and every message acknowledged by the sink; the worker's figures read before it stops. */
    const send = async (label: string, listId: number, recipients: number, extraEnv: Record<string, string> = {}, profileDir?: string) => {
      const id = await campaign(label, listId)
      const started = await worker(sink.port, extraEnv, profileDir)
      const before = sink.received()
      const startCpu = processStats(started.child.pid!).cpuSeconds
      const startPostgres = postgresBackends(databaseName)
      const startSink = cpuSecondsOf(sink.pid)
      const start = performance.now()
      const launched = await launchCampaign(id, staff.id)
      if (!launched.ok) throw new Error(`launch refused: ${launched.message}`)
      let status = ''
      const deadline = Date.now() + Math.max(120_000, recipients * 5)
      while (status !== 'SENT' || sink.received() < before + recipients) {
        if (Date.now() > deadline) throw new Error(`${label}: status ${status}, sink ${sink.received() - before}/${recipients}\n${started.output()}`)
        status = (await prisma.campaign.findUniqueOrThrow({ where: { id }, select: { status: true } })).status
        if (status === 'PAUSED' || status === 'CANCELLED') throw new Error(`${label}: campaign ${status}: ${JSON.stringify(await campaignProgress(id))}\n${started.output()}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const seconds = (performance.now() - start) / 1000
      const stats = processStats(started.child.pid!)
      const postgresCpu = postgresCpuSince(databaseName, startPostgres)
      const sinkCpu = cpuSecondsOf(sink.pid) - startSink
      const progress = await campaignProgress(id)
      await stop(started)
      const received = sink.received() - before
      return { label, recipients, seconds, rate: recipients / seconds, received, peakRssMb: stats.peakRssMb, cpuSeconds: stats.cpuSeconds - startCpu, postgresCpu, sinkCpu, progress }
    }

    // A sample message, from a one-recipient campaign through a listener that keeps it: its exact size, and the
    // plain pool's template (the same HTML and text).
    /** One message of a one-recipient campaign, kept by a Node listener (the Postfix sink keeps nothing). */
    const captureSample = async (name: string, extraEnv: Record<string, string> = {}): Promise<Buffer> => {
      const dir = join(outDir, `campaign-sample-${extraEnv.DKIM_DOMAIN ? 'dkim' : 'plain'}`)
      rmSync(dir, { recursive: true, force: true })
      const keeper = await startSmtpSink(dir)
      const id = await campaign(name, 1)
      const sampleWorker = await worker(keeper.port, extraEnv)
      const launched = await launchCampaign(id, staff.id)
      if (!launched.ok) throw new Error(`launch refused: ${launched.message}`)
      const deadline = Date.now() + 60_000
      while (!readdirSync(dir).some((file) => file.endsWith('.eml'))) {
        if (Date.now() > deadline) throw new Error(`no sample message: ${JSON.stringify(await campaignProgress(id))} ${sampleWorker.output()}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await stop(sampleWorker)
      await keeper.close()
      return readFileSync(join(dir, readdirSync(dir).find((file) => file.endsWith('.eml'))!))
    }
    const sampleRaw = await captureSample('Échantillon')
    // The DKIM run's worker settings, checked on a sample: the signature verifies with the test key (mailauth).
    const dkimRaw = await captureSample('Échantillon DKIM', dkimEnv)
    const dkimRecord = `v=DKIM1; k=rsa; p=${dkimKey.publicKey.replace(/-----[^-]+-----|\s/g, '')}`
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name === `${dkimEnv.DKIM_SELECTOR}._domainkey.${dkimEnv.DKIM_DOMAIN}`) return [[dkimRecord]]
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' })
    }
    const verified = await authenticate(dkimRaw, { ip: '127.0.0.1', helo: 'localhost', sender: 'lettre@relais.example', mta: 'bench.local', resolver, disableArc: true, disableBimi: true })
    const dkimResult = verified.dkim.results[0]?.status.result ?? 'none'
    if (dkimResult !== 'pass') throw new Error(`the DKIM sample does not verify: ${JSON.stringify(verified.dkim.results)}`)
    const sample = await simpleParser(sampleRaw)
    const size = sampleRaw.length
    const template = {
      subject: (sample.subject ?? '').replaceAll('Élise', '{{prenom}}'),
      html: (typeof sample.html === 'string' ? sample.html : '').replaceAll('Élise', '{{prenom}}'),
      text: (sample.text ?? '').replaceAll('Élise', '{{prenom}}'),
    }

    // References, into the same sink.
    const sourceBefore = sink.received()
    const sourceSeconds = await runSmtpSource({ port: sink.port, size, count: large, sessions: 16 })
    await sink.waitFor(sourceBefore + large, 30_000)
    const sourceRate = large / sourceSeconds
    const poolBefore = sink.received()
    const poolSeconds = await runPlainPool({ port: sink.port, count: poolCount, connections: 8, window: 64, template })
    await sink.waitFor(poolBefore + poolCount, 30_000)
    const poolRate = poolCount / poolSeconds

    // The pipeline: small audience, large audience (fresh worker each, for their peak RSS), large with DKIM.
    const profileRoot = join(outDir, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'))
    const profileDir = profile ? join(profileRoot, 'plain') : undefined
    const dkimProfileDir = profile ? join(profileRoot, 'dkim') : undefined
    for (const dir of [profileDir, dkimProfileDir]) if (dir) mkdirSync(dir, { recursive: true })
    await clearPrefix()
    const smallRun = await send(`${small.toLocaleString('en')} recipients`, 2, small)
    const largeRun = await send(`${large.toLocaleString('en')} recipients`, 3, large, {}, profileDir)
    const dkimRun = await send(`${large.toLocaleString('en')} recipients, DKIM on`, 3, large, dkimEnv, dkimProfileDir)
    const loadAfter = loadavg()

    const [postgres] = await prisma.$queryRawUnsafe<Array<{ server_version: string }>>('SHOW server_version')
    const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?'
    const postfixVersion = spawnSync('postconf', ['-d', 'mail_version'], { encoding: 'utf8' }).stdout.trim().replace('mail_version = ', '')
    const fmt = (value: number) => Math.round(value).toLocaleString('en')
    const ratio = (value: number) => value.toFixed(2)

    say(`## Campaign of ${large.toLocaleString('en')} personalised messages (${new Date().toISOString().slice(0, 10)})`)
    say()
    say(`Machine: ${machineDescription()}; PostgreSQL ${postgres?.server_version ?? '?'}, Redis ${redisVersion}, Postfix ${postfixVersion} (smtp-sink, smtp-source).`)
    say(`Load average (1, 5, 15 min): ${loadBefore.map((v) => v.toFixed(2)).join(', ')} before, ${loadAfter.map((v) => v.toFixed(2)).join(', ')} after.`)
    say(`Message: ${fmt(size)} bytes unsigned, ${fmt(dkimRaw.length)} bytes DKIM-signed (HTML + text parts, List-Unsubscribe, merge fields filled). DKIM sample verified by mailauth: ${dkimResult}.`)
    say()
    say('| run | messages | time | messages/s | worker peak RSS | worker CPU | PostgreSQL CPU (bench database) | smtp-sink CPU |')
    say('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const run of [smallRun, largeRun, dkimRun]) {
      say(`| pipeline: ${run.label} (launch → SENT and last SMTP acknowledgement) | ${fmt(run.received)} | ${run.seconds.toFixed(1)} s | **${fmt(run.rate)}** | ${run.peakRssMb.toFixed(0)} MB | ${run.cpuSeconds.toFixed(1)} s (${Math.round((100 * run.cpuSeconds) / run.seconds)} % of a core) | ${run.postgresCpu.toFixed(1)} s | ${run.sinkCpu.toFixed(1)} s |`)
    }
    say(`| reference: smtp-source -s 16 -d -l ${size} -m ${large} | ${fmt(large)} | ${sourceSeconds.toFixed(1)} s | ${fmt(sourceRate)} | | | | |`)
    say(`| reference: plain nodemailer pool (8 connections, 64 in flight, sendMail html+text each) | ${fmt(poolCount)} | ${poolSeconds.toFixed(1)} s | ${fmt(poolRate)} | | | | |`)
    say()
    say(`- end to end (${large.toLocaleString('en')}): ${fmt(largeRun.rate)} msg/s (target ≥ 1,000)`)
    say(`- ratio to smtp-source: ${ratio(largeRun.rate / sourceRate)} (target ≥ 0.25)`)
    say(`- ratio to the plain pool: ${ratio(largeRun.rate / poolRate)} × (target ≥ 2.5)`)
    say(`- peak RSS ${large.toLocaleString('en')} / ${small.toLocaleString('en')}: ${ratio(largeRun.peakRssMb / smallRun.peakRssMb)} (target within 20 %)`)
    say(`- with DKIM (${large.toLocaleString('en')}): ${fmt(dkimRun.rate)} msg/s (target ≥ 600)`)
    say(`- ledger after the ${large.toLocaleString('en')} run: ${JSON.stringify({ sent: largeRun.progress.sent, failed: largeRun.progress.failed, recovered: largeRun.progress.recoveredCount })}`)
    for (const [label, dir] of [[`the ${large.toLocaleString('en')} run`, profileDir], ['the DKIM run', dkimProfileDir]] as const) {
      const file = dir ? readdirSync(dir).find((name) => name.endsWith('.cpuprofile')) : undefined
      if (!dir || !file) continue
      say()
      say(`CPU profile of the worker of ${label} (${join(dir, file)}), self time:`)
      say()
      for (const line of summariseProfile(readFileSync(join(dir, file), 'utf8'), 15)) say(line)
    }
  } finally {
    for (const started of running) started.child.kill('SIGKILL')
    await sink.stop()
    await clearPrefix().catch(() => undefined)
    redis.disconnect()
    await prisma.$disconnect()
    await dropBenchDatabase(databaseName)
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
