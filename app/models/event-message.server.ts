// Owns the event-message ledger (EventMessage): rows are written in the same transaction as the change that causes
// them (a registration, a promotion, a cancellation, a staff announcement), then handed to the `event` queue after
// commit; the worker's reconciler re-adds any row whose job was lost. One row → one email, whatever retries happen.
//
// CONTRACT (lead): the core work fills these in without changing the signatures.
import type { Prisma } from '~/generated/prisma/client.ts'
import type { EventMessageKind } from '~/generated/prisma/enums.ts'
import { enqueueEventMessages } from '#jobs/event-dispatch.ts'
import { prisma } from '~/utils/db.server.ts'
import { recordAudit } from './audit.server.ts'
import { registrationWhere } from './registration-table.server.ts'
import { auditActorOf } from './registration-seats.server.ts'

export interface MessageRow {
  kind: EventMessageKind
  eventId?: number
  seriesId?: number
  registrationId?: number
  seriesRegistrationId?: number
  announcementId?: number
  /** Unique business identity (e.g. `reg:12:confirmation`); a second insert with the same key is a no-op. */
  idempotencyKey: string
  /** When it should go (now for most; reminders in the next issue). */
  dueAt?: Date
  detail?: string
}

/** A ledger row as written: what its job needs (the id, and when it is due). */
export interface RecordedMessage {
  id: number
  dueAt: Date
}

/** Writes ledger rows inside `tx`; returns the rows actually created (existing keys are skipped). */
export async function recordMessageRows(tx: Prisma.TransactionClient, rows: MessageRow[]): Promise<RecordedMessage[]> {
  if (rows.length === 0) return []
  const now = new Date()
  // ON CONFLICT DO NOTHING … RETURNING: only the rows this call inserted come back.
  return tx.eventMessage.createManyAndReturn({
    data: rows.map((row) => ({ ...row, dueAt: row.dueAt ?? now })),
    skipDuplicates: true,
    select: { id: true, dueAt: true },
  })
}

/** Writes ledger rows inside `tx`; returns the ids of rows actually created (existing keys are skipped). */
export async function recordMessages(tx: Prisma.TransactionClient, rows: MessageRow[]): Promise<number[]> {
  return (await recordMessageRows(tx, rows)).map((row) => row.id)
}

/** After commit: adds one `event` job per row id (deterministic job ids); a Redis failure is healed by the reconciler. */
export async function dispatchMessages(messageIds: number[]): Promise<void> {
  if (messageIds.length === 0) return
  const rows = await prisma.eventMessage.findMany({ where: { id: { in: messageIds }, status: 'SCHEDULED' }, select: { id: true, dueAt: true } })
  await enqueueEventMessages(rows)
}

/** After commit, for rows whose due time the caller already has (no read back): same as dispatchMessages. */
export async function dispatchRecorded(rows: RecordedMessage[]): Promise<void> {
  await enqueueEventMessages(rows)
}

export interface AnnouncementInput {
  eventId: number
  subject: string
  body: string
  /** Registrations it goes to: a status filter and/or a search, as the staff table shows them. */
  filter: { statuses: ('CONFIRMED' | 'WAITLISTED' | 'PENDING_APPROVAL')[]; q?: string }
  staffUserId: number
  /**
   * The one-time key the confirmation step handed out: a second call with the same key records and sends nothing and
   * answers the first call's result (a double click without JavaScript, a resent request).
   */
  requestKey?: string
}

export interface AnnouncementResult {
  announcementId: number
  /** How many people it went to, counted when it was recorded (not when it was previewed). */
  recipients: number
  /** True when this key had already been used: nothing new was recorded or sent. */
  repeated?: boolean
}

/** The announcement an earlier call with this key recorded (same event only), if any. */
export async function findAnnouncementByRequestKey(eventId: number, requestKey: string, client: Prisma.TransactionClient = prisma): Promise<AnnouncementResult | null> {
  const row = await client.eventAnnouncement.findUnique({ where: { requestKey }, select: { id: true, eventId: true, recipientCount: true } })
  return row && row.eventId === eventId ? { announcementId: row.id, recipients: row.recipientCount, repeated: true } : null
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002'
}

/** Records a staff message to the filtered registrants (one ledger row each) and dispatches it. */
export async function createAnnouncement(input: AnnouncementInput): Promise<AnnouncementResult> {
  try {
    return await recordAnnouncement(input)
  } catch (error) {
    // The same key posted twice at once: the second insert waits on the unique index, then fails once the first
    // commits; answer the first one's result. (A key from another event is refused by the same index.)
    if (input.requestKey && isUniqueViolation(error)) {
      const first = await findAnnouncementByRequestKey(input.eventId, input.requestKey)
      if (first) return first
    }
    throw error
  }
}

async function recordAnnouncement(input: AnnouncementInput): Promise<AnnouncementResult> {
  const statuses = input.filter.statuses.length > 0 ? input.filter.statuses : (['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] as const)
  const q = input.filter.q?.trim()
  const actor = await auditActorOf(input.staffUserId)
  const outcome = await prisma.$transaction(
    async (tx) => {
      if (input.requestKey) {
        const first = await findAnnouncementByRequestKey(input.eventId, input.requestKey, tx)
        if (first) return { ...first, recorded: [] as RecordedMessage[] }
      }
      const announcement = await tx.eventAnnouncement.create({
        data: {
          eventId: input.eventId,
          subject: input.subject,
          body: input.body,
          filter: { statuses: [...statuses], ...(q ? { q } : {}) },
          createdById: input.staffUserId,
          requestKey: input.requestKey ?? null,
        },
        select: { id: true },
      })
      // The staff table's own filter, so the count staff confirmed is the count sent.
      const registrations = await tx.registration.findMany({
        where: registrationWhere(input.eventId, { statuses: [...statuses], q }),
        select: { id: true },
        orderBy: { id: 'asc' },
      })
      const recorded = await recordMessageRows(
        tx,
        registrations.map((registration) => ({
          kind: 'ANNOUNCEMENT',
          eventId: input.eventId,
          registrationId: registration.id,
          announcementId: announcement.id,
          idempotencyKey: `announcement:${announcement.id}:reg:${registration.id}`,
        })),
      )
      await tx.eventAnnouncement.update({ where: { id: announcement.id }, data: { recipientCount: registrations.length } })
      await recordAudit(
        { ...actor, action: 'event.announce', entityType: 'EventAnnouncement', entityId: announcement.id, data: { eventId: input.eventId, recipients: registrations.length } },
        tx,
      )
      return { announcementId: announcement.id, recipients: registrations.length, recorded }
    },
    { maxWait: 30_000, timeout: 120_000 },
  )
  const { recorded, ...result } = outcome
  await dispatchRecorded(recorded)
  return result
}
