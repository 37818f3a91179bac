// CSV import end to end: uploaded through the staff pages of the running app, mapped, run by the real worker
// process. A 100,000-row file with 2 % bad rows, a re-import, suppressed and unsubscribed addresses, an Excel file in
// Windows-1252 with semicolons, and a worker killed in the middle of a chunk.
import { hostname } from 'node:os'
import iconv from 'iconv-lite'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { closeQueues, getQueue, queueNames } from '#jobs/queues.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { createTestStaff, type TestStaff } from '#tests/helpers/staff.ts'
import { envFor, webServerEnv } from '#tests/helpers/test-env.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { generateContactsCsv } from '../../bench/generate-contacts-csv.ts'

// This file's jobs live under their own key prefix, so that no other file's worker takes them: its own web server
// (which enqueues) and its own workers use it.
const queuePrefix = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}imp`
  process.env.QUEUE_PREFIX = prefix
  return prefix
})

const context = inject('testContext')
const running: RunningProcess[] = []
let web: RunningProcess | undefined
let appUrl = ''
let staff: TestStaff

function staffGet(path: string): Promise<Response> {
  return fetch(`${appUrl}${path}`, { redirect: 'manual', headers: { Cookie: staff.cookie } })
}

function staffPost(path: string, fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams({ ...fields, csrf: staff.csrfToken })
  return fetch(`${appUrl}${path}`, { method: 'POST', redirect: 'manual', body, headers: { Cookie: staff.cookie, Origin: appUrl } })
}

/** `lockMs`: a short lock lets a job whose worker was killed be taken over within seconds. */
async function startWorker(lockMs = 30_000): Promise<RunningProcess> {
  const worker = startProcess('jobs/worker.ts', { ...envFor(context), QUEUE_PREFIX: queuePrefix, WORKER_LOCK_DURATION_MS: String(lockMs) })
  running.push(worker)
  const key = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
  await waitFor(async () => (await redis.exists(key)) === 1, 30_000, `worker heartbeat (${worker.output()})`)
  return worker
}

async function createList(label: string): Promise<number> {
  const stamp = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
  return (await prisma.mailingList.create({ data: { slug: stamp, name: `Import ${stamp}` } })).id
}

/** Uploads the bytes as the staff page does (multipart, CSRF field) and returns the new batch's id. */
async function upload(bytes: Buffer, fileName = 'contacts.csv'): Promise<number> {
  const form = new FormData()
  form.append('csrf', staff.csrfToken)
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), fileName)
  const response = await fetch(`${appUrl}/admin/imports`, { method: 'POST', body: form, redirect: 'manual', headers: { Cookie: staff.cookie, Origin: appUrl } })
  expect(response.status, await response.clone().text()).toBe(302)
  const id = /^\/admin\/imports\/(\d+)$/.exec(response.headers.get('Location') ?? '')?.[1]
  expect(id).toBeDefined()
  return Number(id)
}

/** The mapping the page proposes: the option selected in each column's select. */
async function proposedMapping(batchId: number): Promise<string[]> {
  const html = await (await staffGet(`/admin/imports/${batchId}`)).text()
  const selects = [...html.matchAll(/<select[^>]*name="column-(\d+)"[^>]*>(.*?)<\/select>/gs)]
  return selects.map((match) => /<option value="([^"]+)" selected=""/.exec(match[2] ?? '')?.[1] ?? 'ignore')
}

/** Submits the mapping and lists as the page's form does, then waits for the worker to finish. */
async function startBatch(batchId: number, listId: number): Promise<void> {
  const mapping = await proposedMapping(batchId)
  const fields = Object.fromEntries(mapping.map((target, index) => [`column-${index}`, target]))
  const response = await staffPost(`/admin/imports/${batchId}`, { ...fields, listId: String(listId) })
  expect(response.status).toBe(302)
}

/** Starts the batch with the proposed mapping into one list, then waits for the worker to finish it. */
async function runBatch(batchId: number, listId: number, timeoutMs = 60_000) {
  await startBatch(batchId, listId)
  return waitFor(async () => {
    const batch = await prisma.importBatch.findUnique({ where: { id: batchId } })
    return batch?.status === 'DONE' || batch?.status === 'FAILED' ? batch : undefined
  }, timeoutMs, `import ${batchId} to finish`)
}

type Report = { counts: Record<string, number>; rows: { line: number; reason: string }[] }
const reportOf = (batch: { report: unknown }) => batch.report as Report

beforeAll(async () => {
  staff = await createTestStaff('EDITOR', { label: 'import-staff' })
  const port = await freePort()
  appUrl = `http://127.0.0.1:${port}`
  const server = startProcess('app/server.ts', webServerEnv(context, inject('buildDir'), { PORT: String(port), APP_URL: appUrl, QUEUE_PREFIX: queuePrefix }))
  web = server
  await waitFor(async () => (await fetch(`${appUrl}/healthz`)).status > 0, 60_000, `web server on ${appUrl} (${server.output()})`)
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop('SIGKILL')))
})

afterAll(async () => {
  await web?.stop()
  await Promise.all(queueNames.map((name) => getQueue(name).obliterate({ force: true })))
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

describe('CSV import', () => {
  it('imports 100,000 rows with 2 % bad rows, reports each bad line, and a re-import duplicates nothing', { timeout: 180_000 }, async () => {
    await startWorker()
    const listId = await createList('big')
    const label = `big${Date.now().toString(36)}`
    const csv = generateContactsCsv(100_000, label)
    const bytes = Buffer.from(csv.text)

    const first = await runBatch(await upload(bytes), listId, 90_000)
    expect(first.status).toBe('DONE')
    expect(first).toMatchObject({ totalRows: 100_000, processed: 100_000, imported: 98_000, skipped: 2000 })
    const report = reportOf(first)
    expect(report.counts).toEqual({ imported: 98_000, alreadySubscribed: 0, invalidEmail: 1000, duplicate: 1000, suppressed: 0, unsubscribed: 0 })
    expect(report.rows.filter((row) => row.reason === 'invalidEmail').map((row) => row.line)).toEqual(csv.invalidLines)
    expect(report.rows.filter((row) => row.reason === 'duplicate').map((row) => row.line)).toEqual(csv.duplicateLines)
    expect(await prisma.subscription.count({ where: { listId, status: 'CONFIRMED' } })).toBe(98_000)
    expect(await prisma.consentRecord.count({ where: { source: 'IMPORT', sourceRef: String(first.id), action: 'SUBSCRIBE', listIds: { equals: [listId] } } })).toBe(98_000)
    const sample = await prisma.contact.findUnique({ where: { email: `${label}-7@import.test` } })
    expect(sample).toMatchObject({ firstName: 'Prénom7', organization: 'Mairie de Saint-Étienne, service "Transitions"', actorType: 'ELECTED_OFFICIAL', territory: '2A' })
    // The stored file is gone once the import is over.
    expect((first.mapping as { file: { oid: number | null } }).file.oid).toBeNull()

    const page = await (await staffGet(`/admin/imports/${first.id}`)).text()
    expect(page).toMatch(/data-outcome="imported">98000</)
    expect(page).toMatch(/data-outcome="invalidEmail">1000</)

    const again = await runBatch(await upload(bytes), listId, 90_000)
    expect(again).toMatchObject({ status: 'DONE', processed: 100_000, imported: 0, skipped: 2000 })
    expect(reportOf(again).counts).toMatchObject({ imported: 0, alreadySubscribed: 98_000, invalidEmail: 1000, duplicate: 1000 })
    expect(await prisma.contact.count({ where: { email: { startsWith: `${label}-` } } })).toBe(98_000)
    expect(await prisma.subscription.count({ where: { listId } })).toBe(98_000)
    expect(await prisma.consentRecord.count({ where: { source: 'IMPORT', sourceRef: String(again.id) } })).toBe(0)
  })

  it('never imports a suppressed or erased address and never re-subscribes an unsubscribed one', { timeout: 60_000 }, async () => {
    await startWorker()
    const listId = await createList('rules')
    const otherList = await createList('rules-other')
    const address = {
      fresh: uniqueAddress('imp-fresh'),
      suppressed: uniqueAddress('imp-suppressed'),
      erased: uniqueAddress('imp-erased'),
      leftAll: uniqueAddress('imp-left-all'),
      leftList: uniqueAddress('imp-left-list'),
      pending: uniqueAddress('imp-pending'),
    }
    await suppressAddress({ email: address.suppressed, reason: 'MANUAL' })
    // An erased person: only the hash survives, in the suppression list.
    await suppressAddress({ email: address.erased, reason: 'ERASURE' })
    const leftAll = await prisma.contact.create({ data: { email: address.leftAll, status: 'UNSUBSCRIBED' } })
    const leftList = await prisma.contact.create({ data: { email: address.leftList } })
    await prisma.subscription.create({ data: { contactId: leftList.id, listId, status: 'UNSUBSCRIBED', unsubscribedAt: new Date() } })
    await prisma.subscription.create({ data: { contactId: leftList.id, listId: otherList, status: 'CONFIRMED' } })
    const pending = await prisma.contact.create({ data: { email: address.pending } })
    await prisma.subscription.create({ data: { contactId: pending.id, listId, status: 'PENDING' } })

    const lines = ['email,prenom', ...Object.entries(address).map(([key, email]) => `${email.toUpperCase()},${key}`)]
    const batch = await runBatch(await upload(Buffer.from(lines.join('\n'))), listId)
    expect(reportOf(batch).counts).toEqual({ imported: 2, alreadySubscribed: 0, invalidEmail: 0, duplicate: 0, suppressed: 2, unsubscribed: 2 })
    expect(reportOf(batch).rows).toEqual([
      { line: 3, reason: 'suppressed' },
      { line: 4, reason: 'suppressed' },
      { line: 5, reason: 'unsubscribed' },
      { line: 6, reason: 'unsubscribed' },
    ])
    expect(await prisma.contact.count({ where: { email: { in: [address.suppressed, address.erased] } } })).toBe(0)
    expect(await prisma.subscription.findMany({ where: { listId, contactId: { in: [leftAll.id, leftList.id] } }, select: { status: true } })).toEqual([{ status: 'UNSUBSCRIBED' }])
    const fresh = await prisma.contact.findUniqueOrThrow({ where: { email: address.fresh }, include: { subscriptions: true, consentRecords: true } })
    expect(fresh.subscriptions).toMatchObject([{ listId, status: 'CONFIRMED' }])
    expect(fresh.consentRecords).toMatchObject([{ action: 'SUBSCRIBE', source: 'IMPORT', sourceRef: String(batch.id), channel: 'csv', listIds: [listId] }])
    // Staff vouch for the consent: a pending double opt-in is confirmed, with its own proof.
    expect(await prisma.subscription.findUnique({ where: { contactId_listId: { contactId: pending.id, listId } } })).toMatchObject({ status: 'CONFIRMED' })
    expect(await prisma.consentRecord.count({ where: { contactId: pending.id, action: 'CONFIRM', source: 'IMPORT' } })).toBe(1)
  })

  it('reads an Excel file in Windows-1252 with semicolons, guessing the mapping from French headers', { timeout: 60_000 }, async () => {
    await startWorker()
    const listId = await createList('excel')
    const helene = uniqueAddress('imp-helene')
    const text = [
      'Courriel;Prénom;Nom;Structure;Type d’acteur;Département;Commentaire',
      `${helene};Hélène;Lefèvre;Conseil régional d'Île-de-France;Élue;Île-de-France;"à rappeler; vite"`,
      `${uniqueAddress('imp-francois')};François;Dupré-Gaël;Mairie de Noël;Technicien;971;`,
    ].join('\r\n')
    const bytes = iconv.encode(text.replace('’', "'"), 'win1252')
    expect(bytes.includes(Buffer.from('Hélène'))).toBe(false)
    const batchId = await upload(bytes, 'export-excel.csv')

    const page = await (await staffGet(`/admin/imports/${batchId}`)).text()
    expect(page).toContain('Windows-1252')
    expect(await proposedMapping(batchId)).toEqual(['email', 'firstName', 'lastName', 'organization', 'actorType', 'territory', 'ignore'])

    const batch = await runBatch(batchId, listId)
    expect(reportOf(batch).counts).toMatchObject({ imported: 2, invalidEmail: 0 })
    expect(await prisma.contact.findUnique({ where: { email: helene } })).toMatchObject({
      firstName: 'Hélène',
      lastName: 'Lefèvre',
      organization: "Conseil régional d'Île-de-France",
      actorType: 'ELECTED_OFFICIAL',
      territory: 'Île-de-France',
    })
  })

  it('fails a batch whose stored file has vanished, and the worker lives on', { timeout: 60_000 }, async () => {
    const worker = await startWorker()
    const listId = await createList('vanished')
    const batchId = await upload(Buffer.from(`email\r\n${uniqueAddress('imp-vanished')}\r\n`))
    const { mapping } = await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })
    const oid = (mapping as { file: { oid: number } }).file.oid
    // The file goes away between upload and run (e.g. deleted by hand, or by a cleanup racing the run).
    await prisma.$queryRaw`SELECT lo_unlink(${oid}::oid)`
    const batch = await runBatch(batchId, listId)
    expect(batch.status).toBe('FAILED')
    // Before, the read error escaped the stream unhandled and killed the worker process with every job it held
    // (seen in CI: a staff invitation never left). Now the missing file is noticed before reading, and a read
    // error in the middle of a file reaches the job as a failure through stream.pipeline.
    expect(worker.child.exitCode).toBeNull()
    expect(await redis.exists(workerHeartbeatKey(`${hostname()}-${worker.child.pid}`))).toBe(1)
  })

  it('resumes after the worker is killed in the middle of a chunk, without duplicating anything', { timeout: 120_000 }, async () => {
    const first = await startWorker(3000)
    const listId = await createList('crash')
    const label = `crash${Date.now().toString(36)}`
    const csv = generateContactsCsv(30_000, label)
    const batchId = await upload(Buffer.from(csv.text))
    const locker = new pg.Client({ connectionString: context.databaseUrl })
    await locker.connect()
    try {
      await startBatch(batchId, listId)
      // Once the first chunk is committed, hold the batch row: the worker's next chunk inserts its rows, then
      // waits on that lock before it can commit. It is killed right there.
      await waitFor(async () => ((await prisma.importBatch.findUnique({ where: { id: batchId } }))?.processed ?? 0) > 0, 60_000, 'a first chunk')
      await locker.query('BEGIN')
      await locker.query('SELECT 1 FROM "ImportBatch" WHERE id = $1 FOR UPDATE', [batchId])
      const committed = (await locker.query<{ processed: number }>('SELECT processed FROM "ImportBatch" WHERE id = $1', [batchId])).rows[0]!.processed
      expect(committed).toBeLessThan(30_000)
      const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
      // Read from another connection: inside the locker's transaction pg_stat_activity is a frozen snapshot. A
      // transaction id means the worker has already written rows of its chunk.
      await waitFor(
        async () => {
          const waiting = await prisma.$queryRaw<unknown[]>`
            SELECT 1 FROM pg_stat_activity WHERE ${lockerPid}::int = ANY(pg_blocking_pids(pid)) AND backend_xid IS NOT NULL`
          return waiting.length > 0
        },
        60_000,
        'the worker to wait on the batch row with its chunk written',
      )
      await first.stop('SIGKILL')
      await locker.query('ROLLBACK')
      expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })).processed).toBe(committed)
    } finally {
      await locker.end()
    }

    await startWorker(3000)
    const batch = await waitFor(async () => {
      const row = await prisma.importBatch.findUnique({ where: { id: batchId } })
      return row?.status === 'DONE' ? row : undefined
    }, 90_000, 'the import to resume and finish')
    expect(batch).toMatchObject({ processed: 30_000, imported: 29_400, skipped: 600 })
    expect(reportOf(batch).counts).toMatchObject({ imported: 29_400, alreadySubscribed: 0, invalidEmail: 300, duplicate: 300 })
    expect(await prisma.contact.count({ where: { email: { startsWith: `${label}-` } } })).toBe(29_400)
    expect(await prisma.subscription.count({ where: { listId } })).toBe(29_400)
    const consents = await prisma.consentRecord.groupBy({ by: ['contactId'], where: { sourceRef: String(batchId) }, _count: true })
    expect(consents).toHaveLength(29_400)
    expect(consents.every((group) => group._count === 1)).toBe(true)
  })
})
