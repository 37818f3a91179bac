// Owns the timed part of the event-message ledger: the reminders of each confirmed registration (one row per
// registration × offset, due `offset` minutes before the start, sent as a delayed BullMQ job), their move when the
// event is rescheduled or its offsets change, their removal when a registration or the event is cancelled, the
// UPDATE rows when time, place or link change, and the follow-ups written once the event is over (split by
// attendance). PostgreSQL holds every row; Redis only carries the delayed jobs, rebuilt by the reconciler.
//
// Every writer here is one bulk statement run inside the caller's transaction (the event is locked), so an event of
// 3,000 registrations costs one round trip, not 3,000. A row cancelled before it went is brought back (SCHEDULED)
// when the same key is wanted again (someone re-registers, an event moves back to its first time): the key still
// stands for one message at most.
import { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { sqlWallClock as wallClock } from '~/utils/sql-time.server.ts'
import type { Event } from '~/generated/prisma/client.ts'
import { attendanceTaken, attended, followUpWindowMs, receivesMessages } from './event-follow-up-rules.server.ts'
import { messageOutcomeDetail, readUpdateDetail, updateChanges, writeUpdateDetail, type UpdateChange, type UpdateDetail } from './event-message-detail.ts'
import type { RecordedMessage } from './event-message.server.ts'
import { changeWithLedger, lockEvent, type Ledger, type Tx } from './registration-seats.server.ts'

type Inserted = { id: number; dueAt: Date }

function recorded(rows: Inserted[]): RecordedMessage[] {
  return rows.map((row) => ({ id: row.id, dueAt: new Date(row.dueAt) }))
}

/** The key of reminder `o."minutes"` of registration `r` at the start of event `e`: `reg:<id>:reminder:<offset>:<start epoch ms>`. */
export const reminderKey = Prisma.sql`('reg:' || r."id" || ':reminder:' || o."minutes" || ':' || (extract(epoch FROM e."startsAt") * 1000)::bigint)`

/**
 * Writes the reminders of the CONFIRMED registrations `which` selects (by ids, or every one of an event): one per
 * distinct offset of their event, PUBLISHED events only, none whose time has passed at `now`. Key
 * `reg:<id>:reminder:<offset>:<start epoch ms>`; an existing SCHEDULED or SENT row of that key is left alone.
 */
export async function writeReminders(tx: Tx, which: { registrationIds: number[] } | { eventId: number }, now: Date): Promise<RecordedMessage[]> {
  if ('registrationIds' in which && which.registrationIds.length === 0) return []
  const filter = 'eventId' in which ? Prisma.sql`r."eventId" = ${which.eventId}` : Prisma.sql`r."id" = ANY(${which.registrationIds})`
  const at = wallClock(now)
  const rows = await tx.$queryRaw<Inserted[]>`
    INSERT INTO "EventMessage" ("eventId", "registrationId", "kind", "offsetMinutes", "dueAt", "idempotencyKey", "createdAt", "updatedAt")
    SELECT r."eventId", r."id", 'REMINDER'::"EventMessageKind", o."minutes", e."startsAt" - make_interval(mins => o."minutes"),
      ${reminderKey}, ${at}, ${at}
    FROM "Registration" r
    JOIN "Event" e ON e."id" = r."eventId"
    CROSS JOIN LATERAL (SELECT DISTINCT m AS "minutes" FROM unnest(e."reminderOffsets") AS m) o
    WHERE ${filter} AND ${receivesMessages('r')} AND e."status" = 'PUBLISHED'
      AND e."startsAt" - make_interval(mins => o."minutes") > ${at}
    ON CONFLICT ("idempotencyKey") DO UPDATE SET "status" = 'SCHEDULED', "detail" = NULL, "updatedAt" = EXCLUDED."updatedAt"
      WHERE "EventMessage"."status" = 'CANCELLED'
    RETURNING "id", "dueAt"`
  return recorded(rows)
}

/**
 * Cancels the SCHEDULED reminders of registrations that are no longer CONFIRMED (ids of those that left the
 * confirmed list in this transaction) and raises their invite's SEQUENCE, so their calendar CANCEL beats the last
 * REQUEST. Returns the cancelled rows' ids (their jobs are removed after commit).
 */
export async function leaveConfirmed(tx: Tx, registrationIds: number[]): Promise<number[]> {
  if (registrationIds.length === 0) return []
  const ids = [...new Set(registrationIds)]
  await tx.registration.updateMany({ where: { id: { in: ids }, status: { not: 'CONFIRMED' } }, data: { icalSequence: { increment: 1 } } })
  const cancelled = await tx.eventMessage.updateManyAndReturn({
    where: { registrationId: { in: ids }, kind: 'REMINDER', status: 'SCHEDULED', registration: { status: { not: 'CONFIRMED' } } },
    data: { status: 'CANCELLED', detail: messageOutcomeDetail.registrationCancelled },
    select: { id: true },
  })
  return cancelled.map((row) => row.id)
}

/**
 * After the event row changed (start or offsets): cancels the SCHEDULED reminders that no longer match it ('rescheduled'
 * when their offset is still wanted, 'offset-removed' otherwise), then writes those of every confirmed registration
 * at the new times. Returns the ids whose jobs must go and the rows to dispatch.
 */
export async function moveReminders(tx: Tx, eventId: number, now: Date): Promise<{ cancelled: number[]; written: RecordedMessage[] }> {
  const at = wallClock(now)
  const cancelled = await tx.$queryRaw<{ id: number }[]>`
    UPDATE "EventMessage" m
    SET "status" = 'CANCELLED', "updatedAt" = ${at},
        "detail" = CASE WHEN m."offsetMinutes" = ANY(e."reminderOffsets") THEN ${messageOutcomeDetail.rescheduled}::text ELSE ${messageOutcomeDetail.offsetRemoved}::text END
    FROM "Event" e
    WHERE e."id" = m."eventId" AND m."eventId" = ${eventId} AND m."kind" = 'REMINDER' AND m."status" = 'SCHEDULED'
      AND (m."offsetMinutes" IS NULL OR NOT (m."offsetMinutes" = ANY(e."reminderOffsets"))
           OR m."dueAt" <> e."startsAt" - make_interval(mins => m."offsetMinutes"))
    RETURNING m."id"`
  return { cancelled: cancelled.map((row) => row.id), written: await writeReminders(tx, { eventId }, now) }
}

/** Cancels every SCHEDULED reminder and follow-up of an event (cancelled or no longer live); returns their ids. */
export async function cancelTimedMessages(tx: Tx, eventId: number): Promise<number[]> {
  const cancelled = await tx.eventMessage.updateManyAndReturn({
    where: { eventId, status: 'SCHEDULED', kind: { in: ['REMINDER', 'FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] } },
    data: { status: 'CANCELLED', detail: messageOutcomeDetail.eventNotLive },
    select: { id: true },
  })
  return cancelled.map((row) => row.id)
}

/**
 * The event's end moved past `now` after its follow-ups were written: they are due again after the new end. The
 * ones still waiting are cancelled and followUpsRecordedAt cleared, so the next tick after the new end writes them
 * again (bringing back the cancelled rows, with the attendance of then); a follow-up already sent is not sent twice.
 */
export async function reopenFollowUps(tx: Tx, eventId: number): Promise<number[]> {
  await tx.event.update({ where: { id: eventId }, data: { followUpsRecordedAt: null } })
  const cancelled = await tx.eventMessage.updateManyAndReturn({
    where: { eventId, status: 'SCHEDULED', kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] } },
    data: { status: 'CANCELLED', detail: messageOutcomeDetail.rescheduled },
    select: { id: true },
  })
  return cancelled.map((row) => row.id)
}

/**
 * Cancels ('superseded') the UPDATE rows of the event still waiting, and returns their ids with, per registration,
 * what its oldest waiting UPDATE would have said (the detail as it was before this statement).
 */
async function supersedeUpdates(tx: Tx, eventId: number, now: Date): Promise<{ ids: number[]; pending: Map<number, UpdateDetail> }> {
  // The self-join reads each row as it was before this UPDATE, so its former detail comes back.
  const rows = await tx.$queryRaw<{ id: number; registrationId: number | null; detail: string | null }[]>`
    UPDATE "EventMessage" m SET "status" = 'CANCELLED', "detail" = ${messageOutcomeDetail.superseded}, "updatedAt" = ${wallClock(now)}
    FROM "EventMessage" old
    WHERE old."id" = m."id" AND m."eventId" = ${eventId} AND m."kind" = 'UPDATE' AND m."status" = 'SCHEDULED'
    RETURNING m."id", m."registrationId", old."detail"`
  const pending = new Map<number, UpdateDetail>()
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const detail = readUpdateDetail(row.detail)
    if (row.registrationId !== null && detail && !pending.has(row.registrationId)) pending.set(row.registrationId, detail)
  }
  return { ids: rows.map((row) => row.id), pending }
}

/**
 * What one UPDATE says when it replaces one that never went: the event as the attendee last heard of it (the
 * oldest waiting row's `before`) and every change since.
 */
function mergedDetail(pending: UpdateDetail, detail: UpdateDetail): UpdateDetail {
  return { changes: updateChanges.filter((change) => pending.changes.includes(change) || detail.changes.includes(change)), before: pending.before }
}

/**
 * One UPDATE row per confirmed registration of the event, for its new calendar SEQUENCE `sequence` (key
 * `event:<id>:update:<sequence>:reg:<registrationId>`), with what changed and the event as it was. UPDATE rows of
 * the event still waiting are cancelled first ('superseded', their ids pushed to `ledger.cancelled`): each attendee
 * gets one email, saying what changed since what they last heard (the oldest waiting row's `before`).
 */
export async function writeUpdates(tx: Tx, ledger: Pick<Ledger, 'cancelled'>, eventId: number, sequence: number, detail: UpdateDetail, now: Date): Promise<RecordedMessage[]> {
  const at = wallClock(now)
  const superseded = await supersedeUpdates(tx, eventId, now)
  ledger.cancelled.push(...superseded.ids)
  const merged = [...superseded.pending].map(([registrationId, pending]) => [registrationId, writeUpdateDetail(mergedDetail(pending, detail))] as const)
  const rows = await tx.$queryRaw<Inserted[]>`
    INSERT INTO "EventMessage" ("eventId", "registrationId", "kind", "dueAt", "idempotencyKey", "detail", "createdAt", "updatedAt")
    SELECT r."eventId", r."id", 'UPDATE'::"EventMessageKind", ${at}, ${`event:${eventId}:update:${sequence}:reg:`}::text || r."id",
      COALESCE(p."detail", ${writeUpdateDetail(detail)}::text), ${at}, ${at}
    FROM "Registration" r
    LEFT JOIN unnest(${merged.map(([id]) => id)}::int[], ${merged.map(([, text]) => text)}::text[]) AS p("registrationId", "detail")
      ON p."registrationId" = r."id"
    WHERE r."eventId" = ${eventId} AND ${receivesMessages('r')}
    ORDER BY r."id"
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING "id", "dueAt"`
  return recorded(rows)
}

/** The event fields whose change makes calendars update (SEQUENCE + 1), by what the UPDATE email says changed. */
const calendarChanges = {
  time: ['startsAt', 'endsAt', 'timeZone'],
  // Online ↔ in person changes LOCATION ("En ligne" or the venue) and whether the join link applies.
  place: ['venueName', 'venueAddress', 'kind'],
  link: ['joinUrl'],
} as const satisfies Record<Exclude<UpdateChange, 'details'>, (keyof Event)[]>
/** Fields attendees read in their invite or emails besides time, place and link: "details" in the UPDATE. */
const detailFields: string[] = ['title', 'summary', 'description', 'accessNotes', 'speakers', 'resources']

/** Whether these changed event fields move the calendar entry (time, zone, venue, address, join link). */
export function changesCalendar(changed: string[]): boolean {
  return Object.values(calendarChanges).some((fields) => fields.some((field) => changed.includes(field)))
}

/**
 * What an UPDATE says changed: time, place, link from their fields, details for the rest (at least one). An event
 * now in person has no link any more: the new place says it, "the link changed" would be false.
 */
function updateChangesOf(changed: string[], kind: Event['kind']): UpdateChange[] {
  const changes = (Object.keys(calendarChanges) as (keyof typeof calendarChanges)[]).filter(
    (change) => calendarChanges[change].some((field) => changed.includes(field)) && !(change === 'link' && kind === 'IN_PERSON'),
  )
  const details = changes.length === 0 || detailFields.some((field) => changed.includes(field))
  return details ? [...changes, 'details'] : changes
}

export interface EventEdit {
  /** The event row before the edit (read under its lock). */
  before: Event
  after: Pick<Event, 'status' | 'endsAt' | 'kind'>
  /** Names of the fields the edit changed. */
  changed: string[]
  /** Whether confirmed attendees get an UPDATE (the SEQUENCE went up). */
  notify: boolean
}

/**
 * The timed ledger after an edit, in its transaction (event locked, row already updated): UPDATE rows for the
 * confirmed attendees when `notify` (returns how many), reminders moved when the start, the offsets or the
 * publication changed, follow-ups due again when the end moved past now. Rows to dispatch and cancelled rows whose
 * jobs must go are pushed to `ledger`.
 */
export async function scheduleAfterEdit(tx: Tx, ledger: Ledger, edit: EventEdit, now: Date): Promise<number> {
  const { before, after, changed } = edit
  const live = after.status === 'PUBLISHED'
  let updates = 0
  if (edit.notify && live && after.endsAt.getTime() > now.getTime()) {
    const detail = {
      changes: updateChangesOf(changed, after.kind),
      before: {
        title: before.title,
        startsAt: before.startsAt.toISOString(),
        endsAt: before.endsAt.toISOString(),
        timeZone: before.timeZone,
        venueName: before.venueName,
        venueAddress: before.venueAddress,
        kind: before.kind,
      },
    }
    const rows = await writeUpdates(tx, ledger, before.id, before.icalSequence + 1, detail, now)
    ledger.written.push(...rows)
    updates = rows.length
  }
  if (live !== (before.status === 'PUBLISHED')) await schedulePublication(tx, ledger, before.id, live, now)
  else if (live && (changed.includes('startsAt') || changed.includes('reminderOffsets'))) await schedulePublication(tx, ledger, before.id, true, now)
  if (before.followUpsRecordedAt && after.endsAt.getTime() > now.getTime()) ledger.cancelled.push(...(await reopenFollowUps(tx, before.id)))
  return updates
}

/**
 * The reminders of an event that is (again) published, or no longer: written for every confirmed registration at
 * the event's current start and offsets (those that no longer match cancelled), or all cancelled ('event-not-live').
 */
export async function schedulePublication(tx: Tx, ledger: Ledger, eventId: number, published: boolean, now: Date): Promise<void> {
  if (!published) {
    ledger.cancelled.push(...(await cancelTimedMessages(tx, eventId)))
    return
  }
  const moved = await moveReminders(tx, eventId, now)
  ledger.cancelled.push(...moved.cancelled)
  ledger.written.push(...moved.written)
}

/** Events handled per reconcile tick. */
const followUpEventsPerTick = 50

function dueFollowUpFilter(now: Date): Prisma.Sql {
  const at = wallClock(now)
  return Prisma.sql`e."status" = 'PUBLISHED' AND e."followUpsRecordedAt" IS NULL
    AND e."endsAt" + make_interval(mins => e."followUpDelayMinutes") <= ${at}
    AND e."endsAt" > ${wallClock(new Date(now.getTime() - followUpWindowMs))}
    AND ${attendanceTaken('e')}`
}

/** Writes one event's follow-ups under its lock (checked again there); returns the rows written, or null if not due. */
async function recordFollowUps(tx: Tx, eventId: number, now: Date): Promise<RecordedMessage[] | null> {
  if (!(await lockEvent(tx, eventId))) return null
  const due = await tx.$queryRaw<{ id: number }[]>`SELECT e."id" FROM "Event" e WHERE e."id" = ${eventId} AND ${dueFollowUpFilter(now)}`
  if (due.length === 0) return null
  const at = wallClock(now)
  const rows = await tx.$queryRaw<Inserted[]>`
    INSERT INTO "EventMessage" ("eventId", "registrationId", "kind", "dueAt", "idempotencyKey", "createdAt", "updatedAt")
    SELECT r."eventId", r."id",
      (CASE WHEN ${attended('r')} THEN 'FOLLOW_UP_ATTENDED' ELSE 'FOLLOW_UP_ABSENT' END)::"EventMessageKind",
      ${at}, ${`event:${eventId}:follow-up:reg:`}::text || r."id", ${at}, ${at}
    FROM "Registration" r
    WHERE r."eventId" = ${eventId} AND ${receivesMessages('r')}
    ORDER BY r."id"
    ON CONFLICT ("idempotencyKey") DO UPDATE SET "status" = 'SCHEDULED', "kind" = EXCLUDED."kind", "dueAt" = EXCLUDED."dueAt",
      "detail" = NULL, "updatedAt" = EXCLUDED."updatedAt"
      WHERE "EventMessage"."status" = 'CANCELLED'
    RETURNING "id", "dueAt"`
  await tx.event.update({ where: { id: eventId }, data: { followUpsRecordedAt: now } })
  return recorded(rows)
}

/**
 * Writes the follow-up rows of events over for `followUpDelayMinutes` (FOLLOW_UP_ATTENDED for those present,
 * FOLLOW_UP_ABSENT for the others) and marks each event's followUpsRecordedAt; called on every reconcile tick.
 * Events ended more than 7 days ago are left alone; an event on site (or hybrid: its room) whose attendance nobody took waits (retried
 * each tick within those 7 days), since "sorry we missed you" to everyone would be wrong. Returns how many rows it wrote.
 */
export async function recordDueFollowUps(now: Date): Promise<number> {
  const events = await prisma.$queryRaw<{ id: number }[]>`
    SELECT e."id" FROM "Event" e WHERE ${dueFollowUpFilter(now)} ORDER BY e."endsAt", e."id" LIMIT ${followUpEventsPerTick}`
  let written = 0
  for (const { id } of events) {
    try {
      written += await changeWithLedger(async (tx, ledger) => {
        const rows = await recordFollowUps(tx, id, now)
        ledger.written.push(...(rows ?? []))
        return rows?.length ?? 0
      })
    } catch (error) {
      logger.error({ eventId: id, err: error instanceof Error ? error.message : String(error) }, 'event follow-ups not recorded')
    }
  }
  return written
}
