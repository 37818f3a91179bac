// Owns the timed part of the event-message ledger: the reminders of each confirmed registration (one row per
// registration × offset, due `offset` minutes before the start, sent as a delayed BullMQ job), their move when the
// event is rescheduled or its offsets change, their removal when a registration or the event is cancelled, the
// UPDATE rows when time, place or link change, and the follow-ups written once the event is over (split by
// attendance). PostgreSQL holds every row; Redis only carries the delayed jobs, rebuilt by the reconciler.
//
// CONTRACT (lead): the schedule work fills these in without changing the signatures.

/**
 * Writes the follow-up rows of events over for `followUpDelayMinutes` (FOLLOW_UP_ATTENDED for those present,
 * FOLLOW_UP_ABSENT for the others) and marks each event's followUpsRecordedAt; called on every reconcile tick.
 * Returns how many rows it wrote.
 */
export async function recordDueFollowUps(now: Date): Promise<number> {
  void now
  return 0
}
