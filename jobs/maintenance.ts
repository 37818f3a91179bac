// Owns periodic housekeeping: the `maintenance` queue and the worker's campaign-reconcile timer (below). The queue's
// schedules are declared again at every worker start and whenever the timer finds them gone (upsertJobScheduler is
// idempotent), so nothing depends on a schedule surviving in Redis: PostgreSQL is the truth.
import { type Job, type Queue, UnrecoverableError } from 'bullmq'
import { purgeAbandonedImports } from '~/models/import-run.server.ts'
import { runRetention } from '~/models/retention.server.ts'
import { campaignSettings } from '~/utils/campaign-settings.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { purgeExpiredStaffSessions } from '~/utils/session.server.ts'
import { reconcileCampaigns } from './campaign.ts'
import { reconcileEvents } from './event.ts'
import { jobSchemas, queueSettings } from './queues.ts'

interface MaintenanceTask {
  everyMs: number
  /** Returns how many rows it touched (logged and kept as the job's result). */
  run(now: Date): Promise<number>
}

const hour = 60 * 60 * 1000

/** Every periodic task, by job name; the name is also the scheduler's id. */
export const maintenanceTasks: Record<string, MaintenanceTask> = {
  // Expired sessions are already refused at login time; this only keeps the table small.
  'purge-expired-staff-sessions': {
    everyMs: hour,
    run: purgeExpiredStaffSessions,
  },
  // Re-permission emails and erasures of the 3-year retention policy; does nothing until an admin enables it.
  retention: {
    everyMs: 24 * hour,
    run: async (now) => {
      const { sent, erased } = await runRetention(now)
      return sent + erased
    },
  },
  // Uploaded CSV files whose import was never started: their large objects are removed after a week.
  'purge-abandoned-imports': {
    everyMs: 6 * hour,
    run: purgeAbandonedImports,
  },
}

/** Declares every task's schedule and removes schedules of tasks that no longer exist (after a deploy). */
export async function declareMaintenanceSchedules(queue: Queue): Promise<void> {
  for (const [name, task] of Object.entries(maintenanceTasks)) {
    await queue.upsertJobScheduler(name, { every: task.everyMs }, { name, data: {}, opts: queueSettings.maintenance.jobOptions })
  }
  for (const scheduler of await queue.getJobSchedulers()) {
    const id = scheduler.id ?? scheduler.key
    if (!(id in maintenanceTasks)) await queue.removeJobScheduler(id)
  }
}

export interface MaintenanceTimer {
  stop(): Promise<void>
}

/**
 * The campaign reconciler on a timer of this worker process, every CAMPAIGN_RECONCILE_INTERVAL_MS (30 s by
 * default): a dead worker's deliveries back to QUEUED, lost jobs re-added, due scheduled campaigns launched,
 * finished campaigns marked SENT (see jobs/campaign.ts). A timer rather than a BullMQ schedule, because a schedule
 * lives in Redis and a Redis flush is one of the losses it must heal; at each tick it also declares the maintenance
 * schedules again when Redis has lost them. Several workers running it at once is safe.
 */
export function startMaintenanceTimer(queue: Queue): MaintenanceTimer {
  let running: Promise<void> = Promise.resolve()
  let busy = false
  const tick = () => {
    if (busy) return
    busy = true
    running = (async () => {
      try {
        const result = await reconcileCampaigns(new Date())
        if (result.enqueued + result.recovered + result.launched > 0) logger.info(result, 'campaigns reconciled')
        if ((await queue.getJobSchedulersCount()) < Object.keys(maintenanceTasks).length) {
          logger.warn('maintenance schedules missing from Redis: declared again')
          await declareMaintenanceSchedules(queue)
        }
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'periodic reconcile failed')
      }
      try {
        // Registration steps an event edit missed (crash after its commit), event messages whose job was lost, and
        // reminders that became due (their rows say when).
        await reconcileEvents(new Date())
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'periodic event-message reconcile failed')
      } finally {
        busy = false
      }
    })()
  }
  const timer = setInterval(tick, campaignSettings().reconcileIntervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}

export async function processMaintenance(job: Job): Promise<{ count: number }> {
  const task = maintenanceTasks[job.name]
  if (!task || !jobSchemas.maintenance.safeParse(job.data).success) throw new UnrecoverableError(`unknown maintenance job ${job.name}`)
  const count = await task.run(new Date())
  logger.info({ jobId: job.id, task: job.name, count }, 'maintenance task done')
  return { count }
}
