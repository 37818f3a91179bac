// Owns the seat decision of one event, under the lock on its row: the locked transaction (with retries of transient
// failures), the counts read under that lock, the placement of one person (confirmed, waitlisted, pending or
// refused) and the promotion of the waitlist in arrival order. registration.server.ts and the series module build
// every change on these, so there is one place where capacity is decided.
import { randomBytes } from 'node:crypto'
import { Prisma } from '~/generated/prisma/client.ts'
import type { EventMessageKind, RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { staffActor, type AuditActor } from './audit.server.ts'
import type { Answers, AttendeeInput } from './event-schema.ts'
import { removeEventMessageJobs } from '#jobs/event-dispatch.ts'
import { dispatchRecorded, recordMessageRows, type MessageRow, type RecordedMessage } from './event-message.server.ts'
import { leaveConfirmed, writeReminders } from './event-schedule.server.ts'

export type Tx = Prisma.TransactionClient

/** The event row as read under its lock. */
export interface LockedEvent {
  id: number
  seriesId: number | null
  status: 'DRAFT' | 'PUBLISHED' | 'CANCELLED'
  startsAt: Date
  registrationOpensAt: Date | null
  registrationClosesAt: Date | null
  capacity: number | null
  waitlistEnabled: boolean
  approvalRequired: boolean
}

export interface LockedCounts {
  confirmed: number
  waitlisted: number
  pending: number
  /** The database clock read after the lock was taken: waitlist order is lock order. */
  clock: Date
}

// Generous, so that hundreds of callers queued on one event's lock all get through (none lost): each holds a
// pooled connection only while it waits for the lock and decides, a few milliseconds.
const transactionOptions = { maxWait: 120_000, timeout: 120_000 } as const
const attempts = 4

/**
 * Serialisation failures, deadlocks, a transaction that could not start or expired, no pooled connection in time,
 * a unique race (two series sign-ups of one address): retried whole, since nothing of the attempt was kept.
 */
function isTransient(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (['P2034', 'P2028', 'P2024', 'P2002'].includes(error.code)) return true
  }
  const text = error instanceof Error ? error.message : ''
  return /40001|40P01|deadlock detected|could not serialize|Transaction already closed|Unable to start a transaction|expired transaction|timeout exceeded when trying to connect/i.test(text)
}

/** Runs `work` in one transaction, retried as a whole (never half-stored) when it failed for a transient reason. */
export async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(work, transactionOptions)
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error
      logger.warn({ attempt, err: error instanceof Error ? error.message.slice(0, 200) : String(error) }, 'registration transaction retried')
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50))
    }
  }
}

/** Takes the lock on the event row (held until the transaction ends) and reads its rules; null when it is gone. */
export async function lockEvent(tx: Tx, eventId: number): Promise<LockedEvent | null> {
  const rows = await tx.$queryRaw<LockedEvent[]>`
    SELECT "id", "seriesId", "status"::text AS "status", "startsAt", "registrationOpensAt", "registrationClosesAt",
           "capacity", "waitlistEnabled", "approvalRequired"
    FROM "Event" WHERE "id" = ${eventId} FOR UPDATE`
  return rows[0] ?? null
}

/** Counts read under the event's lock, with the database clock of that moment. */
export async function lockedCounts(tx: Tx, eventId: number): Promise<LockedCounts> {
  return (await countsAndExisting(tx, eventId, '')).counts
}

type ExistingRow = { id: number; status: RegistrationStatus; updatedAt: Date }

/** The counts and the registration of `email` (if any), in one statement read under the event's lock. */
async function countsAndExisting(tx: Tx, eventId: number, email: string): Promise<{ counts: LockedCounts; existing: ExistingRow | null }> {
  const rows = await tx.$queryRaw<(LockedCounts & { existingId: number | null; existingStatus: RegistrationStatus | null; existingUpdatedAt: Date | null })[]>`
    SELECT c."confirmed", c."waitlisted", c."pending", c."clock",
           e."id" AS "existingId", e."status"::text AS "existingStatus", e."updatedAt" AS "existingUpdatedAt"
    FROM (SELECT count(*) FILTER (WHERE "status" = 'CONFIRMED')::int AS "confirmed",
                 count(*) FILTER (WHERE "status" = 'WAITLISTED')::int AS "waitlisted",
                 count(*) FILTER (WHERE "status" = 'PENDING_APPROVAL')::int AS "pending",
                 clock_timestamp() AS "clock"
          FROM "Registration" WHERE "eventId" = ${eventId}) c
    LEFT JOIN "Registration" e ON e."eventId" = ${eventId} AND e."email" = ${email}`
  const row = rows[0]!
  return {
    counts: { confirmed: row.confirmed, waitlisted: row.waitlisted, pending: row.pending, clock: new Date(row.clock) },
    existing: row.existingId === null ? null : { id: row.existingId, status: row.existingStatus!, updatedAt: new Date(row.existingUpdatedAt!) },
  }
}

/** Ledger rows a locked change causes: rows still to write, and rows a combined insert already wrote. */
export interface Ledger {
  rows: MessageRow[]
  written: RecordedMessage[]
  /** Registrations that became CONFIRMED: their reminders are written before commit (event-schedule.server.ts). */
  confirmed: number[]
  /** Registrations that left CONFIRMED: their pending reminders are cancelled and their invite's SEQUENCE raised. */
  leftConfirmed: number[]
  /** Ledger rows cancelled by the change: their delayed jobs are removed after commit. */
  cancelled: number[]
}

/**
 * Runs one change with its ledger: `work` pushes ledger rows (or writes them itself into `written`) and the
 * registrations whose confirmed state changed; the rows and the reminders that follow are recorded in the same
 * transaction (retried whole with it) and handed to the queue after commit, the cancelled rows' jobs removed.
 */
export async function changeWithLedger<T>(work: (tx: Tx, ledger: Ledger) => Promise<T>): Promise<T> {
  const { result, recorded, cancelled } = await inTransaction(async (tx) => {
    const ledger: Ledger = { rows: [], written: [], confirmed: [], leftConfirmed: [], cancelled: [] }
    const result = await work(tx, ledger)
    const now = new Date()
    const cancelled = [...ledger.cancelled, ...(await leaveConfirmed(tx, ledger.leftConfirmed))]
    const reminders = await writeReminders(tx, { registrationIds: ledger.confirmed }, now)
    return { result, recorded: [...ledger.written, ...(await recordMessageRows(tx, ledger.rows)), ...reminders], cancelled }
  })
  await removeEventMessageJobs(cancelled)
  await dispatchRecorded(recorded)
  return result
}

export function seatsLeftOf(event: Pick<LockedEvent, 'capacity'>, confirmed: number): number | null {
  return event.capacity === null ? null : Math.max(0, event.capacity - confirmed)
}

/** The audit actor of a staff user id (their address as the label). */
export async function auditActorOf(staffUserId: number): Promise<AuditActor> {
  const staff = await prisma.staffUser.findUnique({ where: { id: staffUserId }, select: { id: true, email: true } })
  return staff ? staffActor(staff) : { actorId: null, actorLabel: `staff:${staffUserId}` }
}

/** A personal token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The idempotency key of a message about one registration. `stamp` is the registration's updatedAt before the
 * change (or `new` for a new row): every real change has its own, a retried change re-reads the same row.
 */
export function registrationKey(registrationId: number, kind: EventMessageKind, stamp: Date | 'new'): string {
  return `reg:${registrationId}:${kind.toLowerCase()}:${stamp === 'new' ? 'new' : stamp.getTime()}`
}

/**
 * Promotes WAITLISTED registrations into the free seats, in order of (waitlistedAt, id), each with a PROMOTED row
 * (and its reminders).
 * `except` is left in the waitlist (someone staff just moved there). Call with the event locked. Nobody is promoted
 * once the event has started ("you have a seat" for a meeting already under way); staff can still move someone.
 */
export async function promoteWaitlisted(
  tx: Tx,
  event: LockedEvent,
  ledger: Pick<Ledger, 'rows' | 'confirmed'>,
  except?: number,
  now: Date = new Date(),
): Promise<number[]> {
  if (event.status === 'CANCELLED') return []
  if (event.startsAt.getTime() <= now.getTime()) return []
  const counts = await lockedCounts(tx, event.id)
  const free = seatsLeftOf(event, counts.confirmed)
  const take = free === null ? counts.waitlisted : Math.min(free, counts.waitlisted)
  if (take <= 0) return []
  const next = await tx.registration.findMany({
    where: { eventId: event.id, status: 'WAITLISTED', ...(except ? { id: { not: except } } : {}) },
    orderBy: [{ waitlistedAt: 'asc' }, { id: 'asc' }],
    take,
    select: { id: true, updatedAt: true },
  })
  if (next.length === 0) return []
  await tx.registration.updateMany({ where: { id: { in: next.map((row) => row.id) }, status: 'WAITLISTED' }, data: { status: 'CONFIRMED' } })
  ledger.confirmed.push(...next.map((row) => row.id))
  for (const row of next) {
    ledger.rows.push({ kind: 'PROMOTED', eventId: event.id, registrationId: row.id, idempotencyKey: registrationKey(row.id, 'PROMOTED', row.updatedAt) })
  }
  return next.map((row) => row.id)
}

export interface Placement {
  eventId: number
  email: string
  attendee: AttendeeInput
  answers: Answers
  source: RegistrationSource
  seriesRegistrationId?: number
  contactId: number | null
  token: string
  /** Staff adding by hand: no window, no approval. */
  byStaff: boolean
  /** Fan-out of a series registration: no opening/closing window (the session must not have started). */
  bySeries: boolean
}

export type PlacementResult =
  | { kind: 'placed'; registrationId: number; status: 'CONFIRMED' | 'WAITLISTED' | 'PENDING_APPROVAL'; stamp: Date | 'new' }
  /** `fullWithoutWaitlist`: what anyone else would be told now (the page must not reveal who is registered). */
  | { kind: 'already'; registrationId: number; status: RegistrationStatus; fullWithoutWaitlist: boolean }
  | { kind: 'refused'; reason: 'not-open' | 'closed' | 'started' | 'cancelled' | 'draft' | 'full' }

/** Why the public may not register now, or null (the same rules as registrationState, on the locked row). */
export function windowRefusal(event: LockedEvent, now: Date, placement: Pick<Placement, 'byStaff' | 'bySeries'>) {
  if (event.status === 'CANCELLED') return 'cancelled' as const
  // Not even staff: a draft has no public page, so the confirmation's links would lead nowhere.
  if (event.status === 'DRAFT') return 'draft' as const
  if (placement.byStaff) return null
  if (event.startsAt.getTime() <= now.getTime()) return 'started' as const
  if (event.registrationClosesAt && event.registrationClosesAt.getTime() <= now.getTime()) return 'closed' as const
  // A series member is registered to sessions whose own registration has not opened yet, never to a closed one.
  if (placement.bySeries) return null
  if (event.registrationOpensAt && event.registrationOpensAt.getTime() > now.getTime()) return 'not-open' as const
  return null
}

/** Whether a placement writes its notice (confirmation, waitlist or pending approval), and with which detail. */
export type PlacementNotice = false | { detail?: string }

const noticeKind = (status: 'CONFIRMED' | 'WAITLISTED' | 'PENDING_APPROVAL'): EventMessageKind =>
  status === 'CONFIRMED' ? 'CONFIRMATION' : status === 'WAITLISTED' ? 'WAITLISTED' : 'PENDING_APPROVAL'

/**
 * Places one person on a locked event: refuses (nothing written), finds them already registered, or writes their
 * row (a new one, or their old cancelled/refused one again, answers replaced) with its notice. Waitlisted people
 * are first promoted into any free seat, so nobody jumps the queue. Kept to few statements: the lock is held
 * through all of them.
 */
export async function placeRegistration(
  tx: Tx,
  event: LockedEvent,
  placement: Placement,
  now: Date,
  ledger: Ledger,
  notice: PlacementNotice,
): Promise<PlacementResult> {
  const refusal = windowRefusal(event, now, placement)
  if (refusal) return { kind: 'refused', reason: refusal }
  const read = await countsAndExisting(tx, event.id, placement.email)
  const { existing } = read
  let { counts } = read
  // A refusal by staff sticks: only staff may register that person again.
  if (existing && existing.status !== 'CANCELLED' && (existing.status !== 'REFUSED' || !placement.byStaff)) {
    const seatsLeft = seatsLeftOf(event, counts.confirmed)
    return { kind: 'already', registrationId: existing.id, status: existing.status, fullWithoutWaitlist: seatsLeft === 0 && !event.waitlistEnabled }
  }
  if (counts.waitlisted > 0 && (seatsLeftOf(event, counts.confirmed) ?? 1) > 0) {
    await promoteWaitlisted(tx, event, ledger)
    counts = await lockedCounts(tx, event.id)
  }
  const seatsLeft = seatsLeftOf(event, counts.confirmed)
  const full = seatsLeft !== null && seatsLeft <= 0
  if (full && !event.waitlistEnabled) return { kind: 'refused', reason: 'full' }
  const status = event.approvalRequired && !placement.byStaff ? 'PENDING_APPROVAL' : full ? 'WAITLISTED' : 'CONFIRMED'
  const { attendee } = placement
  const waitlistedAt = status === 'WAITLISTED' ? counts.clock : null
  if (existing) {
    await tx.registration.update({
      where: { id: existing.id },
      data: {
        contactId: placement.contactId,
        seriesRegistrationId: placement.seriesRegistrationId ?? null,
        firstName: attendee.firstName,
        lastName: attendee.lastName,
        organization: attendee.organization ?? null,
        actorType: attendee.actorType ?? null,
        territory: attendee.territory ?? null,
        locale: attendee.locale,
        source: placement.source,
        answers: placement.answers as Prisma.InputJsonValue,
        status,
        waitlistedAt,
        cancelledAt: null,
        // The new REQUEST must beat the CANCEL calendars last received for this registration.
        icalSequence: { increment: 1 },
        attendance: 'UNKNOWN',
        joinedAt: null,
        checkedInAt: null,
      },
    })
    const result = { kind: 'placed', registrationId: existing.id, status, stamp: existing.updatedAt } as const
    if (status === 'CONFIRMED') ledger.confirmed.push(existing.id)
    if (notice) ledger.rows.push(placementMessage(event.id, result, notice.detail))
    return result
  }
  // The new row and its notice in one statement (the key needs the row's id): one round trip less under the lock.
  const kind = noticeKind(status)
  const rows = await tx.$queryRaw<{ registrationId: number; messageId: number | null; dueAt: Date | null }[]>`
    WITH reg AS (
      INSERT INTO "Registration" ("eventId", "contactId", "seriesRegistrationId", "email", "firstName", "lastName", "organization",
        "actorType", "territory", "locale", "status", "source", "waitlistedAt", "answers", "token", "createdAt", "updatedAt")
      VALUES (${event.id}, ${placement.contactId}, ${placement.seriesRegistrationId ?? null}, ${placement.email}, ${attendee.firstName},
        ${attendee.lastName}, ${attendee.organization ?? null}, ${attendee.actorType ?? null}::"ActorType", ${attendee.territory ?? null},
        ${attendee.locale}, ${status}::"RegistrationStatus", ${placement.source}::"RegistrationSource", ${waitlistedAt},
        ${JSON.stringify(placement.answers)}::jsonb, ${placement.token}, ${counts.clock}, ${counts.clock})
      RETURNING "id"
    ), msg AS (
      INSERT INTO "EventMessage" ("eventId", "registrationId", "kind", "dueAt", "idempotencyKey", "detail", "createdAt", "updatedAt")
      SELECT ${event.id}, reg."id", ${kind}::"EventMessageKind", ${counts.clock}, 'reg:' || reg."id" || ${`:${kind.toLowerCase()}:new`}::text,
        ${notice ? (notice.detail ?? null) : null}, ${counts.clock}, ${counts.clock}
      FROM reg WHERE ${notice !== false}::boolean
      ON CONFLICT DO NOTHING
      RETURNING "id", "dueAt"
    )
    SELECT reg."id" AS "registrationId", msg."id" AS "messageId", msg."dueAt" AS "dueAt" FROM reg LEFT JOIN msg ON true`
  const row = rows[0]!
  if (row.messageId !== null && row.dueAt !== null) ledger.written.push({ id: row.messageId, dueAt: new Date(row.dueAt) })
  if (status === 'CONFIRMED') ledger.confirmed.push(row.registrationId)
  return { kind: 'placed', registrationId: row.registrationId, status, stamp: 'new' }
}

/** The notice a placement sends: confirmation, waitlist or pending approval. */
export function placementMessage(
  eventId: number,
  result: Extract<PlacementResult, { kind: 'placed' }>,
  detail?: string,
): MessageRow {
  const kind = noticeKind(result.status)
  return { kind, eventId, registrationId: result.registrationId, idempotencyKey: registrationKey(result.registrationId, kind, result.stamp), detail }
}
