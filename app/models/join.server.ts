// Owns the personal join link (/j/:token, token = Registration.token): which page a registration's link shows now
// (waiting, open, ended, not for this person…), the join window (event.joinOpensMinutes before the start until the
// end), and recording the first join as attendance. The event's joinUrl leaves this module only inside an `open`
// state, for the route to put in a Location header; every other state carries public columns only.
import type { EventKind, EventStatus, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'

/** What a join page may show of the event (never joinUrl). */
const joinEventSelect = {
  id: true,
  slug: true,
  kind: true,
  title: true,
  status: true,
  startsAt: true,
  endsAt: true,
  timeZone: true,
  venueName: true,
  venueAddress: true,
  accessNotes: true,
  replayUrl: true,
  joinOpensMinutes: true,
} as const

export interface JoinEvent {
  id: number
  slug: string
  kind: EventKind
  title: string
  status: EventStatus
  startsAt: Date
  endsAt: Date
  timeZone: string
  venueName: string | null
  venueAddress: string | null
  accessNotes: string | null
  replayUrl: string | null
  joinOpensMinutes: number
}

export interface JoinRegistration {
  id: number
  status: RegistrationStatus
  event: JoinEvent
  /** Read with the row, handed out only through an `open` state. */
  joinUrl: string | null
}

/** What the link does now. Only `open` carries the join URL. */
export type JoinState =
  | { kind: 'not-found' }
  | { kind: 'event-cancelled'; event: JoinEvent }
  | { kind: 'not-confirmed'; event: JoinEvent; status: Exclude<RegistrationStatus, 'CONFIRMED'> }
  | { kind: 'in-person'; event: JoinEvent }
  | { kind: 'waiting'; event: JoinEvent; opensAt: Date }
  | { kind: 'no-link'; event: JoinEvent }
  | { kind: 'ended'; event: JoinEvent }
  | { kind: 'open'; event: JoinEvent; registrationId: number; joinUrl: string }

/** Registration tokens are 32 random bytes in base64url (24 once erased): anything else is not looked up. */
const tokenPattern = /^[A-Za-z0-9_-]{20,100}$/

/** The registration behind a join token, with its event; null when unknown, malformed, or the event is a draft. */
export async function findJoinRegistration(token: string | undefined): Promise<JoinRegistration | null> {
  if (!token || !tokenPattern.test(token)) return null
  const row = await prisma.registration.findUnique({
    where: { token },
    select: { id: true, status: true, event: { select: { ...joinEventSelect, joinUrl: true } } },
  })
  if (!row || row.event.status === 'DRAFT') return null
  const { joinUrl, ...event } = row.event
  return { id: row.id, status: row.status, event, joinUrl }
}

/** From when until when the personal link leads to the meeting. */
export function joinWindow(event: Pick<JoinEvent, 'startsAt' | 'endsAt' | 'joinOpensMinutes'>): { opensAt: Date; closesAt: Date } {
  return { opensAt: new Date(event.startsAt.getTime() - event.joinOpensMinutes * 60_000), closesAt: event.endsAt }
}

/** Pure: the state of a registration's link at `now` (cancellations first, then the kind of event, then the clock). */
export function joinState(registration: JoinRegistration | null, now: Date): JoinState {
  if (!registration) return { kind: 'not-found' }
  const { event } = registration
  if (event.status === 'CANCELLED') return { kind: 'event-cancelled', event }
  if (registration.status !== 'CONFIRMED') return { kind: 'not-confirmed', event, status: registration.status }
  if (event.kind === 'IN_PERSON') return { kind: 'in-person', event }
  const { opensAt, closesAt } = joinWindow(event)
  if (now >= closesAt) return { kind: 'ended', event }
  if (now < opensAt) return { kind: 'waiting', event, opensAt }
  if (!registration.joinUrl) return { kind: 'no-link', event }
  return { kind: 'open', event, registrationId: registration.id, joinUrl: registration.joinUrl }
}

/**
 * Records a join: the first one sets joinedAt and attendance PRESENT in one conditional update (joinedAt still
 * null), so simultaneous clicks record once and later uses change nothing (a staff correction to ABSENT stays).
 * Returns whether this call was the first join.
 */
export async function recordJoin(registrationId: number, now = new Date()): Promise<boolean> {
  const { count } = await prisma.registration.updateMany({
    where: { id: registrationId, status: 'CONFIRMED', joinedAt: null },
    data: { joinedAt: now, attendance: 'PRESENT' },
  })
  if (count > 0) logger.info({ registrationId }, 'first join through the personal link')
  return count > 0
}

/** Seconds until the link opens, when that is within the hour (the waiting page reloads itself then); else null. */
export function refreshSeconds(opensAt: Date, now: Date): number | null {
  const seconds = Math.ceil((opensAt.getTime() - now.getTime()) / 1000)
  return seconds > 0 && seconds <= 3600 ? seconds + 1 : null
}
