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
 * batch row is the truth, and the job id comes from the batch id, so a job still in Redis makes this a no-op. A
 * running batch whose job failed for good (killed twice, or the database away through every retry) is retried: its
 * committed progress makes that safe. Batches failed on purpose (unreadable file) are FAILED, not RUNNING.
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
      const job = await queue.getJob(jobIdFor('import', importJobKey(batch.id)))
      if (!job) await enqueueImport(batch.id)
      else if (batch.status === 'RUNNING' && (await job.getState()) === 'failed') await job.retry()
      else continue
      enqueued++
    }
    return { enqueued, stranded: 0 }
  },
}
