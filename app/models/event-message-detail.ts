// Owns what the ledger's `detail` column says for the attendee journey's rows: the "what changed" of an UPDATE
// (written by updateEvent, read by the email at send time) and the reasons a row was skipped or cancelled (shown to
// staff, asserted by tests). Plain values: no database.
import { z } from 'zod'

/** What an UPDATE is about: time (start, end, zone), place (venue, address), link (join URL), details (title, text). */
export const updateChanges = ['time', 'place', 'link', 'details'] as const
export type UpdateChange = (typeof updateChanges)[number]

const updateDetailSchema = z.object({
  changes: z.array(z.enum(updateChanges)).min(1),
  /** The event as it was before the change (the email says "instead of …"). */
  before: z.object({
    title: z.string(),
    startsAt: z.string().datetime(),
    endsAt: z.string().datetime(),
    timeZone: z.string(),
    venueName: z.string().nullable(),
    venueAddress: z.string().nullable(),
    /** Online, in person or hybrid before the change (absent in rows written before it was recorded). */
    kind: z.enum(['ONLINE', 'IN_PERSON', 'HYBRID']).optional(),
  }),
})

export type UpdateDetail = z.infer<typeof updateDetailSchema>

export function writeUpdateDetail(detail: UpdateDetail): string {
  return JSON.stringify(updateDetailSchema.parse(detail))
}

/** The detail of an UPDATE row, or null when it is missing or unreadable (the email then says "details changed"). */
export function readUpdateDetail(text: string | null | undefined): UpdateDetail | null {
  if (!text) return null
  try {
    const parsed = updateDetailSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** `detail` of a row the worker SKIPPED, or that a change CANCELLED before it went. */
export const messageOutcomeDetail = {
  /** A reminder (or join-link notice) whose event had already started when the worker got to it. */
  eventStarted: 'event-started',
  /** A reminder whose registration is no longer confirmed. */
  notConfirmed: 'not-confirmed',
  /** The event was cancelled or unpublished. */
  eventNotLive: 'event-not-live',
  /** The event moved: the reminder at the old time was replaced by one at the new time. */
  rescheduled: 'rescheduled',
  /** Staff changed the event's reminder offsets: this offset is no longer wanted. */
  offsetRemoved: 'offset-removed',
  /** The registration was cancelled (or moved off the confirmed list). */
  registrationCancelled: 'registration-cancelled',
  /** A newer message of the same kind replaced this one before it went (a later UPDATE, a later reminder). */
  superseded: 'superseded',
  /** The person erased their data: nothing more is sent to the registration's placeholder address. */
  registrationErased: 'registration-erased',
} as const
