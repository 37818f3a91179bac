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
}

/** Records a staff message to the filtered registrants (one ledger row each) and dispatches it. */
export async function createAnnouncement(input: AnnouncementInput): Promise<{ announcementId: number; recipients: number }> {
  const statuses = input.filter.statuses.length > 0 ? input.filter.statuses : (['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] as const)
  const q = input.filter.q?.trim()
  const actor = await auditActorOf(input.staffUserId)
  const { announcementId, recipients, recorded } = await prisma.$transaction(
    async (tx) => {
      const announcement = await tx.eventAnnouncement.create({
        data: { eventId: input.eventId, subject: input.subject, body: input.body, filter: { statuses: [...statuses], ...(q ? { q } : {}) }, createdById: input.staffUserId },
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
  await dispatchRecorded(recorded)
  return { announcementId, recipients }
}
