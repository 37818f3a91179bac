// Owns the repair of missing reminders: a confirmed registration of a published event to come whose reminder row
// for one of the event's current offsets does not exist (registrations made before reminders existed, a process
// that died between a change and its reminders). Run on each reconcile tick, bounded, idempotent.
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { sqlWallClock } from '~/utils/sql-time.server.ts'
import { receivesMessages } from './event-follow-up-rules.server.ts'
import { reminderKey, writeReminders } from './event-schedule.server.ts'
import { changeWithLedger, lockEvent } from './registration-seats.server.ts'

/** Events repaired per tick: a deploy over many events catches up over a few ticks, never in one long scan. */
const eventsPerTick = 20
/**
 * Only reminders due within this horizon are looked for: the scan stays small (events whose reminders come soon),
 * and a missing reminder is still written days before it is due (the reconciler queues it 5 minutes before).
 */
const horizonMs = 2 * 24 * 60 * 60 * 1000

/**
 * Finds published events to come where a confirmed registration lacks the row of a current offset still ahead
 * (looked up by its idempotency key) and writes their reminders under the event's lock (writeReminders leaves the
 * existing rows alone). Returns how many rows it wrote.
 */
export async function repairMissingReminders(now: Date): Promise<number> {
  const at = sqlWallClock(now)
  const until = sqlWallClock(new Date(now.getTime() + horizonMs))
  const events = await prisma.$queryRaw<{ id: number }[]>`
    SELECT e."id" FROM "Event" e
    WHERE e."status" = 'PUBLISHED' AND e."startsAt" > ${at}
      AND EXISTS (
        SELECT 1 FROM (SELECT DISTINCT m AS "minutes" FROM unnest(e."reminderOffsets") AS m) o
        JOIN "Registration" r ON r."eventId" = e."id" AND ${receivesMessages('r')}
        WHERE e."startsAt" - make_interval(mins => o."minutes") > ${at}
          AND e."startsAt" - make_interval(mins => o."minutes") <= ${until}
          AND NOT EXISTS (SELECT 1 FROM "EventMessage" x WHERE x."idempotencyKey" = ${reminderKey}))
    ORDER BY e."startsAt", e."id"
    LIMIT ${eventsPerTick}`
  let written = 0
  for (const { id } of events) {
    try {
      written += await changeWithLedger(async (tx, ledger) => {
        if (!(await lockEvent(tx, id))) return 0
        const rows = await writeReminders(tx, { eventId: id }, now)
        ledger.written.push(...rows)
        return rows.length
      })
    } catch (error) {
      logger.error({ eventId: id, err: error instanceof Error ? error.message : String(error) }, 'missing reminders not written')
    }
  }
  if (written > 0) logger.warn({ events: events.length, written }, 'missing reminders written')
  return written
}
