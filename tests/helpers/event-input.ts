// The event as the staff form would save it again (an EventInput read back from the database), for tests that
// edit an event through updateEvent the way staff do.
import { getEventForStaff, type EventInput } from '~/models/event.server.ts'

/** The event's current values as an EventInput, with `change` applied. */
export async function staffEditInput(eventId: number, change: Partial<EventInput> = {}): Promise<EventInput> {
  const event = await getEventForStaff(eventId)
  if (!event) throw new Error(`no event ${eventId}`)
  return {
    kind: event.kind,
    title: event.title,
    summary: event.summary,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timeZone: event.timeZone,
    venueName: event.venueName,
    venueAddress: event.venueAddress,
    accessNotes: event.accessNotes,
    joinUrl: event.joinUrl,
    capacity: event.capacity,
    waitlistEnabled: event.waitlistEnabled,
    approvalRequired: event.approvalRequired,
    registrationOpensAt: event.registrationOpensAt,
    registrationClosesAt: event.registrationClosesAt,
    questions: event.questions,
    speakers: event.speakers,
    tags: event.tags,
    coverImageUrl: event.coverImageUrl,
    status: event.status,
    seriesId: event.seriesId,
    ...change,
  }
}
