// Owns the `import` queue's processor: one job runs (or resumes) one CSV import batch through app/models. Retries
// are safe because the batch commits its progress with each chunk of rows (see app/models/import-run.server.ts).
import { type Job, UnrecoverableError } from 'bullmq'
import { runImport, type ImportRunResult } from '~/models/import-run.server.ts'
import { enqueueImport, importJobKey, ImportError, isQueued } from '~/models/import.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { getQueue, jobIdFor, jobSchemas } from './queues.ts'
import type { Reconciler } from './reconcile.ts'

export async function processImport(job: Job): Promise<ImportRunResult> {
  const parsed = jobSchemas.import.safeParse(job.data)
  if (!parsed.success) throw new UnrecoverableError('invalid import job data')
  try {
    const result = await runImport(parsed.data.batchId)
    logger.info({ jobId: job.id, batchId: parsed.data.batchId, ...result, attempt: job.attemptsMade + 1 }, 'import job done')
    return result
  } catch (error) {
    if (error instanceof ImportError) throw new UnrecoverableError(`import ${parsed.data.batchId}: ${error.messageKey}`)
    throw error
  }
}

/**
 * Rebuilds, at worker start, the job of a queued or running batch that Redis lost (flushed, failed over): the
 * batch row is the truth, and the job id comes from the batch id, so a job still in Redis makes this a no-op.
 */
export const requeueImportBatches: Reconciler = {
  name: 'import-batches',
  async run() {
    const batches = await prisma.importBatch.findMany({
      where: { status: { in: ['PENDING', 'RUNNING'] } },
      select: { id: true, status: true, listIds: true },
      orderBy: { id: 'asc' },
      take: 200,
    })
    const queue = getQueue('import')
    let enqueued = 0
    for (const batch of batches) {
      if (!isQueued(batch) && batch.status !== 'RUNNING') continue
      if (await queue.getJob(jobIdFor('import', importJobKey(batch.id)))) continue
      await enqueueImport(batch.id)
      enqueued++
    }
    return { enqueued, stranded: 0 }
  },
}
