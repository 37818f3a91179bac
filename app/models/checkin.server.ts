// Owns check-in at the door: marking a confirmed registration present (by its id from the check-in page, or by the
// signed token of its QR code), undoing it, and the live counts "present / confirmed". Checking in twice changes
// nothing and says when the first one happened; only confirmed registrations of an event not cancelled can be
// checked in.
import { prisma } from '~/utils/db.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { registrationSearchWhere } from './registration-table.server.ts'

type Staff = { id: number; email: string }

export interface CheckinPerson {
  id: number
  eventId: number
  firstName: string
  lastName: string
  organization: string | null
  status: 'PENDING_APPROVAL' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'REFUSED'
  checkedInAt: Date | null
}

export type CheckinResult =
  | { outcome: 'checked-in' | 'already'; person: CheckinPerson }
  /** The registration exists but is not confirmed (waitlisted, pending, cancelled, refused): nobody is let in. */
  | { outcome: 'not-confirmed'; person: CheckinPerson }
  /** Another event's registration scanned on this event's page. */
  | { outcome: 'other-event'; person: CheckinPerson; eventTitle: string }
  /** The event is cancelled: nobody is marked present. */
  | { outcome: 'event-cancelled'; person: CheckinPerson }
  | { outcome: 'not-found' }

const personSelect = { id: true, eventId: true, firstName: true, lastName: true, organization: true, status: true, checkedInAt: true } as const

export interface CheckinCounts {
  present: number
  confirmed: number
}

/** Confirmed registrations, and how many of them are marked present. */
export async function checkinCounts(eventId: number): Promise<CheckinCounts> {
  const [confirmed, present] = await Promise.all([
    prisma.registration.count({ where: { eventId, status: 'CONFIRMED' } }),
    prisma.registration.count({ where: { eventId, status: 'CONFIRMED', attendance: 'PRESENT' } }),
  ])
  return { present, confirmed }
}

/** The figures phones at the door poll: counts, and who is checked in since when; null when the event does not exist. */
export async function checkinLive(eventId: number): Promise<(CheckinCounts & { timeZone: string; checkedIn: { id: number; checkedInAt: Date }[] }) | null> {
  const event = await prisma.event.findUnique({ where: { id: eventId }, select: { timeZone: true } })
  if (!event) return null
  const [counts, rows] = await Promise.all([
    checkinCounts(eventId),
    prisma.registration.findMany({ where: { eventId, status: 'CONFIRMED', checkedInAt: { not: null } }, select: { id: true, checkedInAt: true }, orderBy: { id: 'asc' } }),
  ])
  return { ...counts, timeZone: event.timeZone, checkedIn: rows.flatMap((row) => (row.checkedInAt ? [{ id: row.id, checkedInAt: row.checkedInAt }] : [])) }
}

export interface CheckinListEntry {
  id: number
  firstName: string
  lastName: string
  organization: string | null
  checkedInAt: Date | null
}

/** How many confirmed people the check-in page carries for the search as one types; beyond it, the search asks the server. */
export const checkinListCap = 3000

/** The confirmed registrations by name (all of them, compact: the phone filters as one types), or those matching q. */
export function listCheckinPeople(eventId: number, q?: string, take = checkinListCap): Promise<CheckinListEntry[]> {
  return prisma.registration.findMany({
    where: { eventId, status: 'CONFIRMED', ...registrationSearchWhere(q) },
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    take,
    select: { id: true, firstName: true, lastName: true, organization: true, checkedInAt: true },
  })
}

/** The registration a check-in token names, with its event (for the page a scanned QR code opens); null when forged. */
export async function findCheckinByToken(token: string) {
  const registrationId = readRegistrationToken(token, 'checkin')
  if (registrationId === null) return null
  return prisma.registration.findUnique({
    where: { id: registrationId },
    select: { ...personSelect, event: { select: { id: true, title: true, startsAt: true, endsAt: true, timeZone: true, status: true } } },
  })
}

/**
 * Marks a confirmed registration present (attendance PRESENT, checkedInAt now), audited. With `eventId`, a
 * registration of another event is refused. Idempotent: a second call reports `already` with the first time.
 */
export async function checkIn(input: { registrationId: number; eventId?: number }, staff: Staff, now = new Date()): Promise<CheckinResult> {
  return prisma.$transaction(async (tx) => {
    // The row lock makes two phones scanning the same code at once report one check-in and one `already`.
    const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Registration" WHERE id = ${input.registrationId} FOR UPDATE`
    if (locked.length === 0) return { outcome: 'not-found' as const }
    const person = await tx.registration.findUniqueOrThrow({ where: { id: input.registrationId }, select: { ...personSelect, event: { select: { title: true, status: true } } } })
    const { event, ...rest } = person
    if (input.eventId !== undefined && rest.eventId !== input.eventId) return { outcome: 'other-event' as const, person: rest, eventTitle: event.title }
    if (event.status === 'CANCELLED') return { outcome: 'event-cancelled' as const, person: rest }
    if (rest.status !== 'CONFIRMED') return { outcome: 'not-confirmed' as const, person: rest }
    if (rest.checkedInAt) return { outcome: 'already' as const, person: rest }
    const updated = await tx.registration.update({ where: { id: rest.id }, data: { attendance: 'PRESENT', checkedInAt: now }, select: personSelect })
    await recordAudit({ ...staffActor(staff), action: 'registration.checkin', entityType: 'Registration', entityId: rest.id, data: { eventId: rest.eventId } }, tx)
    return { outcome: 'checked-in' as const, person: updated }
  })
}

/** Checks in the registration a scanned QR code names; a forged or malformed token is `not-found`. */
export async function checkInByToken(token: string, staff: Staff, options: { eventId?: number; now?: Date } = {}): Promise<CheckinResult> {
  const registrationId = readRegistrationToken(token, 'checkin', options.now)
  if (registrationId === null) return { outcome: 'not-found' }
  return checkIn({ registrationId, eventId: options.eventId }, staff, options.now)
}

/** The token at the end of a scanned check-in address (`…/admin/checkin/<token>`), or null for anything else. */
export function checkinTokenFromUrl(scanned: string): string | null {
  const match = /\/admin\/checkin\/([A-Za-z0-9._~-]{10,1000})\/?(?:[?#].*)?$/.exec(scanned.trim())
  return match ? match[1]! : null
}

/** Takes back a door check-in made by mistake (attendance back to UNKNOWN), audited; `person` null when not this event's. */
export async function undoCheckIn(input: { registrationId: number; eventId: number }, staff: Staff): Promise<{ undone: boolean; person: CheckinPerson | null }> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.registration.updateMany({
      where: { id: input.registrationId, eventId: input.eventId, status: 'CONFIRMED', checkedInAt: { not: null } },
      data: { attendance: 'UNKNOWN', checkedInAt: null },
    })
    if (count > 0) await recordAudit({ ...staffActor(staff), action: 'registration.checkin.undo', entityType: 'Registration', entityId: input.registrationId, data: { eventId: input.eventId } }, tx)
    const person = await tx.registration.findFirst({ where: { id: input.registrationId, eventId: input.eventId }, select: personSelect })
    return { undone: count > 0, person }
  })
}
