// Owns import batches as staff see them: an upload becomes a batch awaiting its mapping, staff map the columns and
// pick the target lists, the batch is queued for the worker, and its progress and report are read back.
// Decision: subscriptions created by an import are CONFIRMED at once (staff vouch for the consent they collected,
// e.g. at an event); the consent record says source IMPORT with the batch id, so the proof points at the file.
import { z } from 'zod'
import { enqueue } from '#jobs/queues.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { deleteStoredFile, storeUploadedFile } from './import-file.server.ts'
import { columnTargets, emptyCounts, guessMapping, importReportSchema, mappingSchema, type ColumnTarget, type ImportReport } from './import-schema.ts'

/** Largest file accepted (about half a million rows of a typical contact file); the web process holds it once. */
export const maxImportBytes = 50 * 1024 * 1024

/** ImportBatch.mapping: the stored file (oid and sample rows until the import is over) and the column mapping. */
export const batchMappingSchema = z.object({
  file: z.object({
    oid: z.number().int().nullable(),
    size: z.number().int(),
    encoding: z.enum(['utf-8', 'windows-1252']),
    delimiter: z.enum([',', ';']),
    headers: z.array(z.string()),
    sample: z.array(z.array(z.string())),
  }),
  columns: z.array(z.enum(columnTargets)),
})
export type BatchMapping = z.infer<typeof batchMappingSchema>

export class ImportError extends Error {
  constructor(readonly messageKey: string) {
    super(messageKey)
    this.name = 'ImportError'
  }
}

type Staff = { id: number; email: string }

/** Stores an upload and opens its batch, with a mapping guessed from the header names. Returns the batch id. */
export async function createImportFromUpload(input: { fileName: string; chunks: AsyncIterable<Uint8Array> }, staff: Staff): Promise<number> {
  const file = await storeUploadedFile(input.chunks, maxImportBytes)
  const mapping: BatchMapping = { file, columns: guessMapping(file.headers) }
  try {
    return await prisma.$transaction(async (tx) => {
      const batch = await tx.importBatch.create({
        data: { fileName: input.fileName.slice(0, 200), mapping: mapping as Prisma.InputJsonValue, createdById: staff.id },
      })
      await recordAudit({ ...staffActor(staff), action: 'import.upload', entityType: 'ImportBatch', entityId: batch.id, data: { size: file.size, encoding: file.encoding } }, tx)
      return batch.id
    })
  } catch (error) {
    await deleteStoredFile(file.oid)
    throw error
  }
}

/** Queued: the mapping is chosen and lists are set (a batch awaiting its mapping has none). */
export const isQueued = (batch: { status: string; listIds: number[] }) => batch.status === 'PENDING' && batch.listIds.length > 0

/** Saves the mapping and lists, then queues the batch for the worker. Throws ImportError with an i18n key. */
export async function startImport(batchId: number, input: { columns: ColumnTarget[]; listIds: number[] }, staff: Staff): Promise<void> {
  const columns = mappingSchema.safeParse(input.columns)
  if (!columns.success) throw new ImportError(columns.error.issues[0]?.message ?? 'imports.errors.oneEmailColumn')
  const listIds = [...new Set(input.listIds)]
  if (listIds.length === 0) throw new ImportError('imports.errors.noList')
  await prisma.$transaction(async (tx) => {
    const batch = await tx.importBatch.findUnique({ where: { id: batchId } })
    if (!batch) throw new ImportError('imports.errors.notFound')
    if (batch.status !== 'PENDING' || batch.listIds.length > 0) throw new ImportError('imports.errors.alreadyStarted')
    const mapping = batchMappingSchema.parse(batch.mapping)
    if (columns.data.length !== mapping.file.headers.length) throw new ImportError('imports.errors.oneEmailColumn')
    const lists = await tx.mailingList.count({ where: { id: { in: listIds }, archivedAt: null } })
    if (lists !== listIds.length) throw new ImportError('imports.errors.noList')
    // The list column of a fresh batch is NULL, not an empty array: cardinality covers both, and this one
    // conditional update lets one of two simultaneous clicks through.
    const updated = await tx.$executeRaw`
      UPDATE "ImportBatch" SET "listIds" = ${listIds}::int[], "mapping" = ${JSON.stringify({ ...mapping, columns: columns.data })}::jsonb
      WHERE "id" = ${batchId} AND "status" = 'PENDING' AND COALESCE(cardinality("listIds"), 0) = 0`
    if (updated !== 1) throw new ImportError('imports.errors.alreadyStarted')
    await recordAudit({ ...staffActor(staff), action: 'import.start', entityType: 'ImportBatch', entityId: batchId, data: { listIds, columns: columns.data } }, tx)
  })
  await enqueueImport(batchId)
}

/** The business key of a batch's job (its BullMQ job id is derived from it). */
export const importJobKey = (batchId: number) => `import:${batchId}`

/** Queues (again) the worker's job for a batch; the job id comes from the batch id, so twice is once. */
export async function enqueueImport(batchId: number): Promise<void> {
  await enqueue('import', 'run', { batchId }, importJobKey(batchId))
}

/** The report, or an empty one before the worker started. */
export function readReport(report: unknown): ImportReport {
  const parsed = importReportSchema.safeParse(report)
  return parsed.success ? parsed.data : { counts: emptyCounts(), rows: [] }
}

/** A batch with what its page shows: mapping step, progress or report. */
export async function getImportBatch(batchId: number) {
  const batch = await prisma.importBatch.findUnique({ where: { id: batchId } })
  if (!batch) return null
  const mapping = batchMappingSchema.parse(batch.mapping)
  return {
    id: batch.id,
    fileName: batch.fileName,
    status: batch.status,
    queued: isQueued(batch),
    listIds: batch.listIds,
    totalRows: batch.totalRows,
    processed: batch.processed,
    imported: batch.imported,
    skipped: batch.skipped,
    createdAt: batch.createdAt,
    finishedAt: batch.finishedAt,
    file: { encoding: mapping.file.encoding, delimiter: mapping.file.delimiter, headers: mapping.file.headers, sample: mapping.file.sample },
    columns: mapping.columns,
    report: readReport(batch.report),
  }
}

/** The latest batches, newest first, for the imports page. */
export function listImportBatches(take = 20) {
  return prisma.importBatch.findMany({
    orderBy: { id: 'desc' },
    take,
    select: { id: true, fileName: true, status: true, listIds: true, totalRows: true, processed: true, imported: true, skipped: true, createdAt: true },
  })
}

/** The lists an import may target (archived ones are not offered). */
export function listImportTargets() {
  return prisma.mailingList.findMany({ where: { archivedAt: null }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { id: true, name: true } })
}
