// Owns the "reconcile at start" hook: functions the worker runs at every start to rebuild, from PostgreSQL, jobs that
// Redis may have lost (flushed, failed over without persistence). PostgreSQL is the source of truth; Redis only
// carries work.
//
// Rules for a reconciler (later issues add theirs here: campaign deliveries, event reminders, imports):
// - it reads its own ledger (Delivery, EventMessage, ImportBatch rows…), which holds the business identity needed to
//   rebuild the job, and enqueues with the same business key as the first time, so the deterministic job id makes a
//   job still in Redis a no-op: running it on every start, on several workers at once, enqueues nothing twice;
// - it bounds its work (recent rows, a batch size) so a start never waits on a full table scan.
//
// Decision for plain emails (OutboundEmail): their rows keep the template name, subject and address but not the
// filled body, so the message cannot be rebuilt from that row alone. Rather than store bodies twice, the feature
// that sent a message rebuilds it from its own rows (an invitation from the staff user, a reminder from its
// EventMessage). Until those reconcilers exist, the one below reports stranded messages (recent, unsent, with no job
// left in Redis) by row id, so an operator sees the loss instead of it passing silently.
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { campaignReconciler } from './campaign.ts'
import { eventMessageReconciler } from './event.ts'
import { requeueImportBatches } from './import.ts'
import { getQueue, jobIdFor } from './queues.ts'

export interface Reconciler {
  name: string
  /** Returns how many jobs it enqueued again and how many it found stranded that it could not rebuild. */
  run(now: Date): Promise<{ enqueued: number; stranded: number }>
}

const lookBackMs = 24 * 60 * 60 * 1000
const batchSize = 500

const reportStrandedEmails: Reconciler = {
  name: 'stranded-outbound-emails',
  async run(now) {
    const rows = await prisma.outboundEmail.findMany({
      where: { status: { in: ['PENDING', 'FAILED'] }, createdAt: { gte: new Date(now.getTime() - lookBackMs) } },
      select: { id: true, idempotencyKey: true },
      orderBy: { createdAt: 'asc' },
      take: batchSize,
    })
    const queue = getQueue('email')
    const stranded: string[] = []
    for (const row of rows) {
      const job = await queue.getJob(jobIdFor('email', row.idempotencyKey))
      if (!job) stranded.push(row.id.toString())
    }
    if (stranded.length > 0) {
      logger.warn({ outboundEmailIds: stranded.slice(0, 50), count: stranded.length }, 'unsent emails have no job left in Redis')
    }
    return { enqueued: 0, stranded: stranded.length }
  },
}

export const reconcilers: Reconciler[] = [reportStrandedEmails, requeueImportBatches, campaignReconciler, eventMessageReconciler]

/** Runs every reconciler; one failing is logged and does not stop the worker from starting. */
export async function reconcileAtStart(now = new Date()): Promise<void> {
  for (const reconciler of reconcilers) {
    try {
      const result = await reconciler.run(now)
      logger.info({ reconciler: reconciler.name, ...result }, 'reconciled at start')
    } catch (error) {
      logger.error({ reconciler: reconciler.name, err: error instanceof Error ? error.message : String(error) }, 'reconciler failed')
    }
  }
}
