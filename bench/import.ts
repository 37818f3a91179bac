// `npm run bench:import [-- --rows 100000]`: the CSV import of a generated file (2 % bad rows) into a database of
// its own, timed as staff experience it (upload into the database, then the worker's run of the batch, the same
// function its processor calls), against a reference measured in the same run on the same rows: PostgreSQL's own
// `COPY` into a table built like Contact (same indexes), which is the floor for loading these rows at all.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { generateContactsCsv } from './generate-contacts-csv.ts'
import { dropBenchDatabase, machineDescription, say, openBenchDatabase } from './setup.ts'

const rowsArgument = process.argv.indexOf('--rows')
const rows = rowsArgument > 0 ? Number(process.argv[rowsArgument + 1]) : 100_000
const databaseName = 'relais_bench_import'

/** The upload as the web server receives it: 64 KiB at a time. */
async function* chunksOf(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += 65_536) yield bytes.subarray(offset, offset + 65_536)
}

async function main(): Promise<void> {
  const url = await openBenchDatabase(databaseName)
  const { prisma } = await import('~/utils/db.server.ts')
  const { createImportFromUpload } = await import('~/models/import.server.ts')
  const { runImport } = await import('~/models/import-run.server.ts')
  try {
    const csv = generateContactsCsv(rows, 'bench')
    const bytes = Buffer.from(csv.text)
    const staff = await prisma.staffUser.create({ data: { email: 'bench@bench.example', name: 'Bench' } })
    const list = await prisma.mailingList.create({ data: { slug: 'bench', name: 'Bench' } })

    // Reference: COPY of the same rows (valid and invalid alike) into a twin of Contact, through psql.
    const directory = mkdtempSync(join(tmpdir(), 'relais-bench-'))
    const file = join(directory, 'contacts.csv')
    writeFileSync(file, csv.text)
    // Same columns and indexes as Contact; the actor type stays text (COPY does no mapping) and the lower-case
    // check goes (COPY does no normalising).
    await prisma.$executeRawUnsafe('CREATE TABLE bench_copy (LIKE "Contact" INCLUDING ALL)')
    await prisma.$executeRawUnsafe('ALTER TABLE bench_copy DROP CONSTRAINT "Contact_email_normalised", ALTER COLUMN "updatedAt" SET DEFAULT now(), ALTER COLUMN "actorType" TYPE text')
    const copyStart = performance.now()
    const copy = spawnSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench_copy(email, "firstName", "lastName", organization, "actorType", territory, locale) FROM '${file}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' })
    const copyMs = performance.now() - copyStart
    rmSync(directory, { recursive: true, force: true })
    if (copy.status !== 0) throw new Error(`COPY failed: ${copy.stderr}`)

    const uploadStart = performance.now()
    const batchId = await createImportFromUpload({ fileName: 'bench.csv', chunks: chunksOf(bytes) }, staff)
    const uploadMs = performance.now() - uploadStart
    // What startImport saves, without a queue: this process runs the batch itself, as the processor would.
    await prisma.importBatch.update({ where: { id: batchId }, data: { listIds: [list.id] } })
    const runStart = performance.now()
    const result = await runImport(batchId)
    const runMs = performance.now() - runStart
    const batch = await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })
    if (result.status !== 'done' || batch.imported !== csv.validEmails.length) throw new Error(`unexpected result: ${JSON.stringify(result)} imported ${batch.imported}`)

    const totalMs = uploadMs + runMs
    say(`## Import of ${rows.toLocaleString('en')} rows (${new Date().toISOString().slice(0, 10)})`)
    say()
    say(`Machine: ${machineDescription()}`)
    say()
    say('| step | time |')
    say('| --- | --- |')
    say(`| upload (file streamed into a large object, header read) | ${(uploadMs / 1000).toFixed(2)} s |`)
    say(`| worker run (line count, parse, validate, ${batch.imported.toLocaleString('en')} contacts + subscriptions + consent records) | ${(runMs / 1000).toFixed(2)} s |`)
    say(`| **import total** | **${(totalMs / 1000).toFixed(2)} s** (${Math.round(rows / (totalMs / 1000)).toLocaleString('en')} rows/s) |`)
    say(`| reference: psql \\copy of the same rows into a twin of Contact | ${(copyMs / 1000).toFixed(2)} s |`)
    say(`| ratio import / COPY | ${(totalMs / copyMs).toFixed(1)} × |`)
  } finally {
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
