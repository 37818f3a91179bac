// `npm run demo` (alias `npm run up`): the quick start. Fills in local defaults for unset variables, checks that
// PostgreSQL and Redis answer, creates, migrates and seeds the database, builds the app, then runs the production
// web server and the worker as child processes until Ctrl-C, and prints where to go and how to sign in.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { applyMigrations } from '../../prisma/migrations.ts'
import { demoMailFrom, demoStaff, staffPassword } from '../../prisma/seed/catalog.ts'
import { EnvError, parseEnv, type Env } from '../utils/env.server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cacheDir = join(root, 'node_modules/.cache/relais')
const HEALTH_TIMEOUT_MS = 120_000
const STOP_TIMEOUT_MS = 30_000

/** A problem the person running the demo can fix; the message says how, in French. */
class DemoError extends Error {}

const say = (text: string) => process.stdout.write(`${text}\n`)

/** The session secret of this checkout: generated once, kept outside git in node_modules/.cache. */
function localSessionSecret(): string {
  const file = join(cacheDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(cacheDir, { recursive: true })
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return secret
}

/** Local defaults for what is unset; whatever the person exported wins. SMTP_URL stays unset: the catcher. */
function demoEnvironment(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...source }
  env.DATABASE_URL ||= 'postgresql://postgres@127.0.0.1:5432/relais'
  env.REDIS_URL ||= 'redis://127.0.0.1:6379/0'
  env.PORT ||= '3000'
  env.APP_URL ||= `http://localhost:${env.PORT}`
  env.SESSION_SECRET ||= localSessionSecret()
  env.MAIL_FROM ||= demoMailFrom
  env.NODE_ENV = 'production'
  return env
}

const startPostgres = [
  '  Debian/Ubuntu : sudo pg_ctlcluster $(ls /etc/postgresql) main start   (ou : sudo systemctl start postgresql)',
  '  macOS (Homebrew) : brew services start postgresql',
  '  Docker : docker run -d --name relais-postgres -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16',
].join('\n')

const startRedis = [
  '  Debian/Ubuntu : sudo systemctl start redis-server   (ou : redis-server --daemonize yes)',
  '  macOS (Homebrew) : brew services start redis',
  '  Docker : docker run -d --name relais-redis -p 6379:6379 redis:7',
].join('\n')

function hostOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? '6379' : '5432')}`
}

/** Connects to the database, creating it when PostgreSQL answers but the database does not exist yet. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
    await client.connect()
    return client
  }
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  try {
    await (await connect(databaseUrl)).end()
    return
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code !== '3D000') {
      if (code === '28P01' || code === '28000') {
        throw new DemoError(`PostgreSQL refuse l’utilisateur de DATABASE_URL (${hostOf(databaseUrl)}) : indiquez un utilisateur autorisé, par exemple DATABASE_URL=postgresql://utilisateur:motdepasse@127.0.0.1:5432/relais`)
      }
      throw new DemoError(`PostgreSQL ne répond pas sur ${hostOf(databaseUrl)} (${String((error as Error).message)}). Démarrez-le, par exemple :\n${startPostgres}\npuis relancez : npm run demo`)
    }
  }
  const adminUrl = new URL(databaseUrl)
  adminUrl.pathname = '/postgres'
  const admin = await connect(adminUrl.toString())
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
    say(`Base de données « ${name} » créée.`)
  } finally {
    await admin.end()
  }
}

async function checkRedis(redisUrl: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  // The connection error itself (e.g. ECONNREFUSED) says more than the "Connection is closed" that follows it.
  let reason = ''
  client.on('error', (error: Error) => (reason ||= error.message))
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    throw new DemoError(`Redis ne répond pas sur ${hostOf(redisUrl)} (${reason || (error as Error).message}). Démarrez-le, par exemple :\n${startRedis}\npuis relancez : npm run demo`)
  } finally {
    client.disconnect()
  }
}

/** Copies a child's output line by line, each line prefixed with its name, so web and worker logs stay apart. */
function prefixOutput(child: ChildProcess, label: string): void {
  for (const [stream, target] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
    let pending = ''
    stream?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) target.write(`[${label}] ${line}\n`)
    })
    stream?.on('end', () => pending && target.write(`[${label}] ${pending}\n`))
  }
}

interface Child {
  label: string
  process: ChildProcess
  exited: Promise<number>
}

/**
 * Long-running children get a process group of their own (`detached`): Ctrl-C then reaches only this command, which
 * sends exactly one SIGTERM to each (the worker treats a second signal as "stop without waiting for running jobs").
 * One-off steps stay in our group, so Ctrl-C during the build stops the build too.
 */
function startChild(label: string, args: string[], env: NodeJS.ProcessEnv, detached = true): Child {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached })
  prefixOutput(child, label)
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
  return { label, process: child, exited }
}

async function runStep(label: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return startChild(label, args, env, false).exited
}

async function waitForHealth(port: number, children: Child[]): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS
  let last = 'pas de réponse'
  const died = Promise.race(children.map((child) => child.exited.then((code) => ({ child, code }))))
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (response.ok) return
      last = `${response.status} ${await response.text()}`
    } catch (error) {
      last = String((error as Error).message)
    }
    const stopped = await Promise.race([died, new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))])
    if (stopped) throw new DemoError(`Le processus ${stopped.child.label} s’est arrêté (code ${stopped.code}) avant d’être prêt : lisez les lignes [${stopped.child.label}] ci-dessus.`)
    if (Date.now() > deadline) throw new DemoError(`/healthz ne répond toujours pas « ok » après ${HEALTH_TIMEOUT_MS / 1000} s (dernière réponse : ${last}).`)
  }
}

async function stopChildren(children: Child[]): Promise<void> {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM')
  const timeout = setTimeout(() => children.forEach((child) => child.process.kill('SIGKILL')), STOP_TIMEOUT_MS)
  await Promise.all(children.map((child) => child.exited))
  clearTimeout(timeout)
}

function banner(env: Env, seeded: boolean): string {
  const line = '─'.repeat(72)
  const logins = seeded
    ? demoStaff.map((staff) => `    ${staff.role === 'ADMIN' ? 'admin    ' : 'rédaction'}  ${staff.email}  /  ${staffPassword(staff)}`)
    : ['    (jeu de démonstration non chargé : connectez-vous avec vos comptes existants)']
  const mail = env.SMTP_URL
    ? `  Courriels : envoyés par le serveur SMTP de SMTP_URL`
    : `  Courriels capturés (rien ne part vers Internet) : ${env.APP_URL}/admin/outbox`
  return [
    line,
    `  Relais est prêt : ${env.APP_URL}`,
    `  Espace équipe : ${env.APP_URL}/login`,
    ...logins,
    mail,
    `  État des services : ${env.APP_URL}/healthz`,
    '  Arrêter : Ctrl-C',
    line,
  ].join('\n')
}

async function main(): Promise<number> {
  const childEnv = demoEnvironment(process.env)
  let env: Env
  try {
    env = parseEnv(childEnv)
  } catch (error) {
    if (error instanceof EnvError) throw new DemoError(error.message)
    throw error
  }
  say(`Relais (démo) — base ${new URL(env.DATABASE_URL).pathname.slice(1)}, Redis ${hostOf(env.REDIS_URL)}, adresse ${env.APP_URL}`)
  await ensureDatabase(env.DATABASE_URL)
  await checkRedis(env.REDIS_URL)
  const applied = await applyMigrations(env.DATABASE_URL)
  say(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Base de données à jour.')

  const seed = await runStep('seed', ['--import', 'tsx', 'prisma/seed.ts'], childEnv)
  // 2: the database holds real data, so the seed left it alone; the app still starts on it.
  if (seed !== 0 && seed !== 2) throw new DemoError('Le chargement des données de démonstration a échoué : lisez les lignes [seed] ci-dessus.')
  say('Construction de l’application (remix vite:build)…')
  if ((await runStep('build', [join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], childEnv)) !== 0) {
    throw new DemoError('La construction de l’application a échoué : lisez les lignes [build] ci-dessus.')
  }

  const children = [startChild('web', ['--import', 'tsx', 'app/server.ts'], childEnv), startChild('worker', ['--import', 'tsx', 'jobs/worker.ts'], childEnv)]
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C is passed on: the worker then exits without waiting for running jobs.
    if (stopping) return children.forEach((child) => child.process.kill(signal === 'SIGINT' ? 'SIGTERM' : signal))
    stopping = true
    say('\nArrêt de Relais : le worker termine ses tâches en cours…')
    void stopChildren(children).then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  // If this command dies some other way, its children must not keep the port.
  process.on('exit', () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM')
  })

  try {
    await waitForHealth(env.PORT, children)
  } catch (error) {
    stopping = true
    await stopChildren(children)
    throw error
  }
  say(banner(env, seed === 0))

  const { child, code } = await Promise.race(children.map((c) => c.exited.then((exitCode) => ({ child: c, code: exitCode }))))
  if (stopping) return new Promise<number>(() => undefined) // stop() exits once both children are down
  process.stderr.write(`Le processus ${child.label} s’est arrêté (code ${code}) : arrêt de la démo.\n`)
  stopping = true
  await stopChildren(children)
  return 1
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof DemoError ? error.message : error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  },
)
