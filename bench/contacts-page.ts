// `npm run bench:contacts [-- --contacts 1000000 --requests 40]`: the staff contacts page (/admin/contacts, the full
// server-rendered document) at a million contacts, served by the production build and server, signed in as staff.
// Scenarios: first page, text searches (email, name, organisation), filters (list, actor type, territory) and a deep
// page. Reference measured in the same run: GET /healthz (one database and one Redis round trip, no rendering).
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { dropBenchDatabase, machineDescription, ms, percentile, say, openBenchDatabase } from './setup.ts'

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const contacts = argument('contacts', 1_000_000)
const requestsPerScenario = argument('requests', 40)
const databaseName = 'relais_bench_contacts'
const port = 3990 + Math.floor(Math.random() * 9)
const root = new URL('..', import.meta.url).pathname

/** A million believable contacts in a few statements, with one subscription each spread over three lists. */
async function seed(run: (sql: string) => Promise<unknown>): Promise<void> {
  await run(`INSERT INTO "MailingList" ("slug", "name", "updatedAt") VALUES ('quotidienne', 'La quotidienne', now()), ('hebdo', 'L''hebdo', now()), ('elus', 'Lettre des élus', now())`)
  const step = 100_000
  for (let from = 1; from <= contacts; from += step) {
    const to = Math.min(contacts, from + step - 1)
    await run(`
      INSERT INTO "Contact" ("email", "firstName", "lastName", "organization", "actorType", "territory", "status", "createdAt", "updatedAt")
      SELECT 'contact' || i || '@' || (ARRAY['mairie','cc','asso','univ','entreprise'])[1 + i % 5] || (i % 997) || '.example',
             (ARRAY['Camille','Hélène','Jean','Sophie','Karim','Lucie','Marc','Nadia'])[1 + i % 8],
             (ARRAY['Martin','Bernard','Dupont','Lefèvre','Moreau','Garcia','Durand','Nguyen'])[1 + (i / 8) % 8] || (i % 1000),
             (ARRAY['Mairie de ','Communauté de communes ','Association ','Université de ','Région '])[1 + i % 5] || (ARRAY['Lyon','Brest','Pau','Nancy','Lille','Tours'])[1 + i % 6],
             (ARRAY['ELECTED_OFFICIAL','PUBLIC_AGENT','ASSOCIATION','COMPANY','CITIZEN','RESEARCHER','OTHER'])[1 + i % 7]::"ActorType",
             lpad(((i % 95) + 1)::text, 2, '0'),
             (CASE WHEN i % 20 = 0 THEN 'UNSUBSCRIBED' ELSE 'ACTIVE' END)::"ContactStatus",
             now() - (i % 1000) * interval '1 day', now()
      FROM generate_series(${from}, ${to}) AS i`)
    await run(`
      INSERT INTO "Subscription" ("contactId", "listId", "status", "updatedAt")
      SELECT c."id", 1 + c."id" % 3, (CASE WHEN c."id" % 10 = 0 THEN 'PENDING' ELSE 'CONFIRMED' END)::"SubscriptionStatus", now()
      FROM "Contact" c WHERE c."id" BETWEEN ${from} AND ${to}`)
  }
  await run('ANALYZE')
}

async function timeRequest(url: string, cookie: string): Promise<number> {
  const start = performance.now()
  const response = await fetch(url, { headers: { Cookie: cookie }, redirect: 'manual' })
  await response.arrayBuffer()
  const elapsed = performance.now() - start
  if (response.status !== 200 && !url.endsWith('/healthz')) throw new Error(`${url} answered ${response.status}`)
  return elapsed
}

async function main(): Promise<void> {
  const url = await openBenchDatabase(databaseName, { PORT: String(port), APP_URL: `http://127.0.0.1:${port}` })
  const { prisma } = await import('~/utils/db.server.ts')
  // Inside the project (bench/.out is ignored by git) so that the build resolves the project's node_modules.
  mkdirSync(join(root, 'bench/.out'), { recursive: true })
  const buildDir = mkdtempSync(join(root, 'bench/.out/build-'))
  let server: ReturnType<typeof spawn> | undefined
  try {
    const seedStart = performance.now()
    await seed((sql) => prisma.$executeRawUnsafe(sql))
    const seedSeconds = (performance.now() - seedStart) / 1000

    const build = spawnSync(process.execPath, [join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir },
      encoding: 'utf8',
    })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)

    const { createStaffUser } = await import('~/models/staff.server.ts')
    const { programActor } = await import('~/models/audit.server.ts')
    const { signIn } = await import('~/utils/auth.server.ts')
    const user = await createStaffUser({ email: 'bench@bench.example', name: 'Bench', password: 'un mot de passe de bench assez long', role: 'EDITOR' }, programActor('bench'))
    const cookie = (await signIn(user)).split(';')[0] ?? ''

    server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], { cwd: root, env: { ...process.env, NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir }, stdio: ['ignore', 'pipe', 'pipe'] })
    let serverOutput = ''
    server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()))
    server.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()))
    const base = `http://127.0.0.1:${port}`
    for (let tries = 0; ; tries++) {
      const up = await fetch(`${base}/healthz`).then(() => true, () => false)
      if (up) break
      if (tries > 600) throw new Error(`the server did not start: ${serverOutput}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    const deep = Math.floor(contacts / 2)
    const scenarios: [string, string][] = [
      ['first page', '/admin/contacts'],
      ['search an email fragment', '/admin/contacts?q=contact4242'],
      ['search a name', '/admin/contacts?q=lef%C3%A8vre'],
      ['search an organisation', '/admin/contacts?q=universit%C3%A9%20de%20brest'],
      ['filter: list + confirmed', '/admin/contacts?list=2&subscription=CONFIRMED'],
      ['filter: actor type + territory', '/admin/contacts?actorType=ELECTED_OFFICIAL&territory=33'],
      ['filter: unsubscribed', '/admin/contacts?status=UNSUBSCRIBED'],
      ['deep page (keyset)', `/admin/contacts?before=${deep}`],
    ]
    // Warm-up: the first requests compile templates and fill caches.
    for (const [, path] of scenarios) await timeRequest(`${base}${path}`, cookie)
    const all: number[] = []
    const rows: string[] = []
    for (const [name, path] of scenarios) {
      const times: number[] = []
      for (let i = 0; i < requestsPerScenario; i++) times.push(await timeRequest(`${base}${path}`, cookie))
      times.sort((a, b) => a - b)
      all.push(...times)
      rows.push(`| ${name} | \`${path}\` | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} |`)
    }
    const health: number[] = []
    for (let i = 0; i < requestsPerScenario * 2; i++) health.push(await timeRequest(`${base}/healthz`, ''))
    health.sort((a, b) => a - b)
    all.sort((a, b) => a - b)

    say(`## Staff contacts page at ${contacts.toLocaleString('en')} contacts (${new Date().toISOString().slice(0, 10)})`)
    say()
    say(`Machine: ${machineDescription()}. Seeded in ${seedSeconds.toFixed(0)} s. ${requestsPerScenario} sequential requests per scenario after a warm-up.`)
    say()
    say('| scenario | path | p50 | p95 |')
    say('| --- | --- | --- | --- |')
    for (const row of rows) say(row)
    say(`| **all scenarios** | | **${ms(percentile(all, 50))}** | **${ms(percentile(all, 95))}** |`)
    say(`| reference: /healthz | \`/healthz\` | ${ms(percentile(health, 50))} | ${ms(percentile(health, 95))} |`)
    say()
    say(`Ratio page p95 / healthz p95: ${(percentile(all, 95) / percentile(health, 95)).toFixed(1)} ×. Database: ${url.replace(/\/\/[^@]*@/, '//')}`)
  } finally {
    server?.kill('SIGTERM')
    rmSync(buildDir, { recursive: true, force: true })
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
