// Owns the content of every event email (confirmation, waitlist, promotion, approval, refusal, cancellations,
// series, announcements): from one EventMessage row to the message the mail module sends, in the registrant's
// language, with the management link and, for events with a venue, the check-in QR code inline.
//
// CONTRACT (lead): filled in by the event-emails work without changing the signature.
import type { OutgoingEmail } from '~/utils/mail.server.ts'

/**
 * The email of one ledger row, or null when there is nothing to send any more (its registration was erased, or a
 * notice no longer applies: e.g. a PROMOTED row whose registration was cancelled meanwhile). The idempotency key of
 * the result is `event-message:<id>`.
 */
export async function buildEventMessage(messageId: number, now = new Date()): Promise<OutgoingEmail | null> {
  void messageId
  void now
  throw new Error('event emails not implemented yet')
}
