// Owns the run of one import batch in the worker: the stored file streamed through the parser, rows validated and
// de-duplicated, then applied a chunk at a time. Each chunk commits its rows and the batch's progress (processed,
// counts, report lines) in one transaction, so after a crash the retried job skips exactly the committed rows and
// redoes the rest; the inserts themselves are idempotent as well, so even a replayed chunk duplicates nothing.
import { CsvError } from 'csv-parse'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { programActor, recordAudit } from './audit.server.ts'
import { deleteStoredFile, estimateDataRows, openStoredFile, storedFileExists } from './import-file.server.ts'
import { applyImportRows, type ChunkRow } from './import-rows.server.ts'
import { emptyCounts, profileFromRecord, reportedRowsCap, type ImportReport, type OutcomeCounts, type RowOutcome, type SkipReason } from './import-schema.ts'
import { batchMappingSchema, ImportError, readReport, type BatchMapping } from './import.server.ts'

/** Rows per transaction: large enough for set-based speed, small enough for short locks and a visible progress. */
export const importChunkSize = 5000

type PendingRow = { line: number; skip: SkipReason | null; row: ChunkRow | null }

/** Another run moved the batch on first (two workers on one job): this one stops without writing. */
class ImportOvertaken extends Error {}

const jsonb = (value: unknown) => JSON.stringify(value)

/** Commits one chunk: its rows applied and the batch moved from `from` to `from + rows` in one transaction. */
async function commitChunk(batchId: number, listIds: number[], from: number, pending: PendingRow[], counts: OutcomeCounts, reported: number) {
  return prisma.$transaction(
    async (tx) => {
      const valid = pending.flatMap((item) => (item.row ? [item.row] : []))
      const applied = await applyImportRows(tx, valid, listIds, batchId)
      const next = { ...counts }
      const reportRows: ImportReport['rows'] = []
      let appliedIndex = 0
      for (const item of pending) {
        const outcome: RowOutcome = item.skip ?? applied[appliedIndex++] ?? 'suppressed'
        next[outcome]++
        if (outcome !== 'imported' && outcome !== 'alreadySubscribed' && reported + reportRows.length < reportedRowsCap) {
          reportRows.push({ line: item.line, reason: outcome })
        }
      }
      const imported = next.imported - counts.imported
      const skipped = pending.length - imported - (next.alreadySubscribed - counts.alreadySubscribed)
      const updated = await tx.$executeRaw`
        UPDATE "ImportBatch" SET "processed" = ${from + pending.length}, "imported" = "imported" + ${imported}, "skipped" = "skipped" + ${skipped},
          "report" = jsonb_build_object('counts', ${jsonb(next)}::jsonb,
                       'rows', (CASE WHEN jsonb_typeof("report"->'rows') = 'array' THEN "report"->'rows' ELSE '[]'::jsonb END) || ${jsonb(reportRows)}::jsonb)
        WHERE "id" = ${batchId} AND "status" = 'RUNNING' AND "processed" = ${from}`
      if (updated !== 1) throw new ImportOvertaken()
      return { counts: next, reported: reported + reportRows.length }
    },
    { timeout: 60_000 },
  )
}

/** Ends the batch (DONE or FAILED) and unlinks its file in the same transaction; the sample rows are dropped too. */
async function finish(batchId: number, mapping: BatchMapping, status: 'DONE' | 'FAILED', extra: Prisma.ImportBatchUpdateInput = {}) {
  await prisma.$transaction(async (tx) => {
    const file = { ...mapping.file, oid: null, sample: [] }
    await tx.importBatch.update({ where: { id: batchId }, data: { ...extra, status, finishedAt: new Date(), mapping: { ...mapping, file } as Prisma.InputJsonValue } })
    if (mapping.file.oid !== null) await deleteStoredFile(mapping.file.oid, tx)
    await recordAudit({ ...programActor('worker'), action: status === 'DONE' ? 'import.done' : 'import.failed', entityType: 'ImportBatch', entityId: batchId }, tx)
  })
}

export type ImportRunResult = { status: 'done' | 'failed' | 'not-started' | 'already-finished'; processed: number }

/**
 * Runs (or resumes) a queued batch to its end. Throws on database trouble so that the queue retries; a file that
 * cannot be parsed fails the batch for good, with the line in its report.
 */
export async function runImport(batchId: number): Promise<ImportRunResult> {
  const batch = await prisma.importBatch.findUnique({ where: { id: batchId } })
  if (!batch) throw new ImportError('imports.errors.notFound')
  if (batch.status === 'DONE' || batch.status === 'FAILED') return { status: 'already-finished', processed: batch.processed }
  if (batch.listIds.length === 0) return { status: 'not-started', processed: 0 }
  const mapping = batchMappingSchema.parse(batch.mapping)
  const { oid } = mapping.file
  if (oid === null || !(await storedFileExists(oid))) {
    await finish(batchId, mapping, 'FAILED', { report: { ...readReport(batch.report), error: { key: 'imports.errors.fileGone', line: null } } })
    return { status: 'failed', processed: batch.processed }
  }
  const file = { ...mapping.file, oid }
  if (batch.status === 'PENDING') {
    const totalRows = await estimateDataRows(oid)
    await prisma.importBatch.updateMany({ where: { id: batchId, status: 'PENDING' }, data: { status: 'RUNNING', totalRows } })
  }
  const resumeFrom = batch.status === 'RUNNING' ? batch.processed : 0
  let { counts } = readReport(batch.report)
  let reported = readReport(batch.report).rows.length
  let committed = resumeFrom
  let pending: PendingRow[] = []
  const seen = new Set<string>()
  // Records read so far, the header included: record n is on line n (when no cell spans several lines).
  let records = 0
  const flush = async () => {
    if (pending.length === 0) return
    ;({ counts, reported } = await commitChunk(batchId, batch.listIds, committed, pending, counts, reported))
    committed += pending.length
    pending = []
  }
  try {
    for await (const record of openStoredFile(file) as AsyncIterable<string[]>) {
      records++
      if (records === 1) continue
      const dataIndex = records - 2
      const profile = profileFromRecord(record, mapping.columns)
      const skip: SkipReason | null = !profile ? 'invalidEmail' : seen.has(profile.email) ? 'duplicate' : null
      if (profile && !skip) seen.add(profile.email)
      // Rows before the committed progress are replayed only to rebuild the set of addresses already seen.
      if (dataIndex < resumeFrom) continue
      pending.push({ line: records, skip, row: profile && !skip ? { line: records, profile } : null })
      if (pending.length >= importChunkSize) await flush()
    }
    await flush()
  } catch (error) {
    if (error instanceof ImportOvertaken) {
      logger.warn({ batchId }, 'import overtaken by another run: stopping this one')
      return { status: 'failed', processed: committed }
    }
    if (!(error instanceof CsvError)) throw error
    const line = records + 1
    logger.warn({ batchId, line, code: error.code }, 'import file could not be parsed')
    await finish(batchId, mapping, 'FAILED', { report: { counts, rows: readReport((await prisma.importBatch.findUnique({ where: { id: batchId } }))?.report).rows, error: { key: 'imports.errors.unreadableAt', line } } })
    return { status: 'failed', processed: committed }
  }
  await finish(batchId, mapping, 'DONE', { totalRows: committed })
  logger.info({ batchId, processed: committed, ...counts }, 'import done')
  return { status: 'done', processed: committed }
}

/** How long an uploaded file waits for its mapping before it is thrown away. */
const abandonedAfterMs = 7 * 24 * 60 * 60 * 1000

/**
 * Uploads nobody started within a week: their stored file is unlinked and the batch marked FAILED, so that large
 * objects do not pile up (a maintenance task). Returns how many batches it closed.
 */
export async function purgeAbandonedImports(now: Date): Promise<number> {
  const stale = await prisma.importBatch.findMany({
    where: { status: 'PENDING', createdAt: { lt: new Date(now.getTime() - abandonedAfterMs) } },
    select: { id: true, listIds: true, mapping: true },
    take: 100,
  })
  let closed = 0
  for (const batch of stale) {
    if (batch.listIds.length > 0) continue
    await finish(batch.id, batchMappingSchema.parse(batch.mapping), 'FAILED', { report: { counts: emptyCounts(), rows: [], error: { key: 'imports.errors.abandoned', line: null } } })
    closed++
  }
  return closed
}
