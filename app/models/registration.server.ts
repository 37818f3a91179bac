// Owns registrations to events and series: the seat decision (under a lock on the event row, so capacity is never
// exceeded whatever the concurrency), the waitlist and its promotion (same lock, arrival order), approval, staff
// moves, cancellations, whole-series registrations and their fan-out to sessions. Every message these changes cause
// is written to the event-message ledger in the same transaction (see event-message.server.ts).
//
// CONTRACT (lead): signatures below are shared by the public pages, staff pages and series; the core work fills
// them in without changing them.
import type { RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import type { Answers, AttendeeInput } from './event-schema.ts'

const notYet = () => new Error('registration core not implemented yet')

/** Why a registration is not possible now; `full` = no seat left and no waitlist. */
export type RegistrationClosedReason = 'not-open' | 'closed' | 'started' | 'cancelled' | 'draft' | 'full'

export type RegistrationState =
  | { open: true; seatsLeft: number | null; waitlist: boolean }
  | { open: false; reason: RegistrationClosedReason }

export interface SeatCounts {
  capacity: number | null
  confirmed: number
  waitlisted: number
  pending: number
  /** null when the event has no capacity. */
  seatsLeft: number | null
}

type EventRules = {
  status: 'DRAFT' | 'PUBLISHED' | 'CANCELLED'
  startsAt: Date
  registrationOpensAt: Date | null
  registrationClosesAt: Date | null
  capacity: number | null
  waitlistEnabled: boolean
}

/**
 * Whether the public may register now (pure: counts come from seatCounts). Registration closes by itself at
 * registrationClosesAt or when the event starts, whichever comes first.
 */
export function registrationState(event: EventRules, counts: Pick<SeatCounts, 'seatsLeft'>, now = new Date()): RegistrationState {
  void event
  void counts
  void now
  throw notYet()
}

export async function seatCounts(eventId: number): Promise<SeatCounts> {
  void eventId
  throw notYet()
}

export interface RegisterInput {
  eventId: number
  attendee: AttendeeInput
  answers: Answers
  source: RegistrationSource
  seriesRegistrationId?: number
  /** A newsletter list the person asked for with the separate, unticked box (consent recorded, double opt-in). */
  newsletterListId?: number
  /** Staff adding someone by hand: skips the window and approval (capacity still holds: full → waitlist or refused). */
  staffUserId?: number
}

export type RegisterOutcome =
  | { status: 'confirmed' | 'waitlisted' | 'pending'; registrationId: number }
  /** Already registered (not cancelled): nothing changed, an ALREADY_REGISTERED email is on its way. */
  | { status: 'already'; registrationId: number }
  /** Refused, nothing stored. */
  | { status: 'refused'; reason: RegistrationClosedReason }

export async function registerForEvent(input: RegisterInput, now = new Date()): Promise<RegisterOutcome> {
  void input
  void now
  throw notYet()
}

export type StaffActor = { staffUserId: number }

/** Cancels (attendee from the management page, or staff); frees the seat and promotes the first waitlisted. */
export async function cancelRegistration(
  input: { registrationId: number; by: 'attendee' | 'staff'; staffUserId?: number },
  now = new Date(),
): Promise<{ cancelled: boolean; promotedRegistrationIds: number[] }> {
  void input
  void now
  throw notYet()
}

export type StaffMoveResult = { ok: true; status: RegistrationStatus } | { ok: false; reason: 'full' | 'not-found' | 'invalid' }

/** PENDING_APPROVAL → CONFIRMED (or WAITLISTED when full and the waitlist is on; `full` otherwise). */
export async function approveRegistration(registrationId: number, actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void registrationId
  void actor
  void now
  throw notYet()
}

/** PENDING_APPROVAL (or WAITLISTED) → REFUSED, the person is told. */
export async function refuseRegistration(registrationId: number, actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void registrationId
  void actor
  void now
  throw notYet()
}

/** Staff move between confirmed and waitlist; to CONFIRMED is refused (`full`) when no seat is left. */
export async function moveRegistration(registrationId: number, to: 'CONFIRMED' | 'WAITLISTED', actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void registrationId
  void to
  void actor
  void now
  throw notYet()
}

/** Promotes waitlisted people into free seats (after a capacity raise); returns the promoted registration ids. */
export async function fillFreeSeats(eventId: number, now = new Date()): Promise<number[]> {
  void eventId
  void now
  throw notYet()
}

/** The attendee edits answers (and name/organisation) from the management page. */
export async function updateRegistrationDetails(
  registrationId: number,
  input: { answers: Answers; firstName?: string; lastName?: string; organization?: string | null; territory?: string | null },
): Promise<void> {
  void registrationId
  void input
  throw notYet()
}

/** Staff cancel an event: status CANCELLED, registrations refused from now on, every active registrant is told. */
export async function cancelEvent(eventId: number, actor: StaffActor, now = new Date()): Promise<{ notified: number }> {
  void eventId
  void actor
  void now
  throw notYet()
}

export type SeriesRegisterOutcome =
  | { status: 'registered'; seriesRegistrationId: number; sessions: { eventId: number; status: RegistrationStatus }[] }
  | { status: 'already'; seriesRegistrationId: number }
  | { status: 'refused'; reason: 'draft' | 'cancelled' | 'no-future-session' }

/** Registers to every future published session of a series (and to sessions added later). */
export async function registerForSeries(
  input: { seriesId: number; attendee: AttendeeInput; newsletterListId?: number; source: RegistrationSource; staffUserId?: number },
  now = new Date(),
): Promise<SeriesRegisterOutcome> {
  void input
  void now
  throw notYet()
}

/** Cancels a series registration and its registrations to future sessions only (past ones keep their attendance). */
export async function cancelSeriesRegistration(seriesRegistrationId: number, now = new Date()): Promise<{ cancelledSessions: number }> {
  void seriesRegistrationId
  void now
  throw notYet()
}

/**
 * Registers every active series member to this session (call after a session of a series is created or published,
 * or attached to a series). Idempotent: someone with any registration row for the event is left alone.
 */
export async function addSeriesMembersToEvent(eventId: number, now = new Date()): Promise<number> {
  void eventId
  void now
  throw notYet()
}
