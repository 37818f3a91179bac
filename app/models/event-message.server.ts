// Owns the event-message ledger (EventMessage): rows are written in the same transaction as the change that causes
// them (a registration, a promotion, a cancellation, a staff announcement), then handed to the `event` queue after
// commit; the worker's reconciler re-adds any row whose job was lost. One row → one email, whatever retries happen.
//
// CONTRACT (lead): the core work fills these in without changing the signatures.
import type { Prisma } from '~/generated/prisma/client.ts'
import type { EventMessageKind } from '~/generated/prisma/enums.ts'

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

/** Writes ledger rows inside `tx`; returns the ids of rows actually created (existing keys are skipped). */
export async function recordMessages(tx: Prisma.TransactionClient, rows: MessageRow[]): Promise<number[]> {
  void tx
  void rows
  throw new Error('not implemented yet')
}

/** After commit: adds one `event` job per row id (deterministic job ids); a Redis failure is healed by the reconciler. */
export async function dispatchMessages(messageIds: number[]): Promise<void> {
  void messageIds
  throw new Error('not implemented yet')
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
  void input
  throw new Error('not implemented yet')
}
