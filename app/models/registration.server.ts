// Owns registrations to events and series: the seat decision (under a lock on the event row, so capacity is never
// exceeded whatever the concurrency), the waitlist and its promotion (same lock, arrival order), approval, staff
// moves, cancellations, whole-series registrations and their fan-out to sessions. Every message these changes cause
// is written to the event-message ledger in the same transaction (see event-message.server.ts).
//
// CONTRACT (lead): signatures below are shared by the public pages, staff pages and series; the core work fills
// them in without changing them.
import type { Prisma } from '~/generated/prisma/client.ts'
import type { RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import { recordAudit, type AuditActor } from './audit.server.ts'
import type { MessageRow } from './event-message.server.ts'
import { cancelTimedMessages } from './event-schedule.server.ts'
import type { Answers, AttendeeInput } from './event-schema.ts'
import { subscribeFromRegistration } from './registration-newsletter.server.ts'
import { EventTurns } from './registration-turns.server.ts'
import {
  auditActorOf,
  changeWithLedger,
  lockEvent,
  lockedCounts,
  newToken,
  placeRegistration,
  placementMessage,
  promoteWaitlisted,
  registrationKey,
  seatsLeftOf,
  windowRefusal,
  type Ledger,
  type LockedEvent,
  type Tx,
} from './registration-seats.server.ts'

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
 * registrationClosesAt or when the event starts, whichever comes first. When open, `waitlist` says that a new
 * registration would go to the waitlist (no seat left, waitlist on).
 */
export function registrationState(event: EventRules, counts: Pick<SeatCounts, 'seatsLeft'>, now = new Date()): RegistrationState {
  const refusal = windowRefusal({ ...event, id: 0, seriesId: null, approvalRequired: false }, now, { byStaff: false, bySeries: false })
  if (refusal) return { open: false, reason: refusal }
  const full = counts.seatsLeft !== null && counts.seatsLeft <= 0
  if (full && !event.waitlistEnabled) return { open: false, reason: 'full' }
  return { open: true, seatsLeft: counts.seatsLeft, waitlist: full }
}

export async function seatCounts(eventId: number): Promise<SeatCounts> {
  const [event, groups] = await Promise.all([
    prisma.event.findUnique({ where: { id: eventId }, select: { capacity: true } }),
    prisma.registration.groupBy({ by: ['status'], where: { eventId }, _count: { _all: true } }),
  ])
  const count = (status: RegistrationStatus) => groups.find((group) => group.status === status)?._count._all ?? 0
  const capacity = event?.capacity ?? null
  const confirmed = count('CONFIRMED')
  return { capacity, confirmed, waitlisted: count('WAITLISTED'), pending: count('PENDING_APPROVAL'), seatsLeft: seatsLeftOf({ capacity }, confirmed) }
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
  /**
   * The person is identified (a signed one-click link names them): when they are already registered, answer
   * `already` as it is (even on a full event) and send no "already registered" email — their page shows their
   * status. Set by the newsletter's one-click registration, where a double click must not send a second email.
   */
  quietAlready?: boolean
}

export type RegisterOutcome =
  | { status: 'confirmed' | 'waitlisted' | 'pending'; registrationId: number }
  /** Already registered (not cancelled): nothing changed, an ALREADY_REGISTERED email is on its way (none with quietAlready). */
  | { status: 'already'; registrationId: number }
  /** Refused, nothing stored. */
  | { status: 'refused'; reason: RegistrationClosedReason }

const outcomeOf = { CONFIRMED: 'confirmed', WAITLISTED: 'waitlisted', PENDING_APPROVAL: 'pending' } as const
const hourMs = 60 * 60 * 1000

/** At most one "already registered" email per registration per hour, so a repeated form cannot flood a mailbox. */
async function alreadyRegisteredMessage(tx: Tx, eventId: number, registrationId: number, now: Date, ledger: Ledger): Promise<MessageRow | null> {
  if (ledger.rows.some((row) => row.kind === 'ALREADY_REGISTERED' && row.registrationId === registrationId)) return null
  const recent = await tx.eventMessage.findFirst({
    where: { eventId, registrationId, kind: 'ALREADY_REGISTERED', createdAt: { gt: new Date(now.getTime() - hourMs) } },
    select: { id: true },
  })
  if (recent) return null
  return { kind: 'ALREADY_REGISTERED', eventId, registrationId, idempotencyKey: `reg:${registrationId}:already_registered:${Math.floor(now.getTime() / hourMs)}` }
}

interface RegisterJob {
  input: RegisterInput
  now: Date
  email: string
  contactId: number | null
  actor: AuditActor | null
  token: string
}

/** One person placed on the locked event (the rules of placeRegistration, plus the already-registered notice). */
async function placeJob(tx: Tx, ledger: Ledger, event: LockedEvent, job: RegisterJob): Promise<RegisterOutcome> {
  const { input, now, actor } = job
  const byStaff = input.staffUserId !== undefined
  const placement = {
    eventId: event.id,
    email: job.email,
    attendee: input.attendee,
    answers: input.answers,
    source: input.source,
    seriesRegistrationId: input.seriesRegistrationId,
    contactId: job.contactId,
    token: job.token,
    byStaff,
    bySeries: input.source === 'SERIES' && input.seriesRegistrationId !== undefined,
  }
  const result = await placeRegistration(tx, event, placement, now, ledger, {})
  if (result.kind === 'refused') return { status: 'refused', reason: result.reason }
  if (result.kind === 'already') {
    const quiet = byStaff || placement.bySeries || input.quietAlready === true
    const notice = quiet ? null : await alreadyRegisteredMessage(tx, event.id, result.registrationId, now, ledger)
    if (notice) ledger.rows.push(notice)
    // The person learns by email; the screen says what anyone else would be told, so it reveals no registration.
    // Staff, and a caller that knows who the person is (quietAlready), get the registration as it is.
    if (result.fullWithoutWaitlist && !byStaff && input.quietAlready !== true) return { status: 'refused', reason: 'full' }
    return { status: 'already', registrationId: result.registrationId }
  }
  if (actor) {
    await recordAudit({ ...actor, action: 'registration.add', entityType: 'Registration', entityId: result.registrationId, data: { eventId: event.id, status: result.status } }, tx)
  }
  return { status: outcomeOf[result.status], registrationId: result.registrationId }
}

// Registrations to one event from this process go through the lock in groups (see registration-turns.server.ts).
const registrationTurns = new EventTurns<RegisterJob, RegisterOutcome>((eventId, jobs) =>
  changeWithLedger(async (tx, ledger) => {
    const event = await lockEvent(tx, eventId)
    const outcomes: RegisterOutcome[] = []
    for (const job of jobs) outcomes.push(event ? await placeJob(tx, ledger, event, job) : { status: 'refused', reason: 'closed' })
    return outcomes
  }),
)

export async function registerForEvent(input: RegisterInput, now = new Date()): Promise<RegisterOutcome> {
  const email = normalizeEmail(input.attendee.email)
  const [contact, actor] = await Promise.all([
    prisma.contact.findUnique({ where: { email }, select: { id: true } }),
    input.staffUserId === undefined ? null : auditActorOf(input.staffUserId),
  ])
  const outcome = await registrationTurns.take(input.eventId, { input, now, email, contactId: contact?.id ?? null, actor, token: newToken() })
  if (input.newsletterListId !== undefined && outcome.status !== 'refused') {
    await subscribeFromRegistration({ listId: input.newsletterListId, email, attendee: input.attendee, registrationIds: [outcome.registrationId] })
  }
  return outcome
}

type LockedRegistration = { id: number; eventId: number; status: RegistrationStatus; updatedAt: Date }

/**
 * Runs `work` with the registration's event locked and the registration read again under that lock; the ledger
 * rows it pushes are recorded in the same transaction and dispatched after commit. Null when the row is gone.
 */
async function withLockedRegistration<T>(
  registrationId: number,
  work: (tx: Tx, event: LockedEvent, registration: LockedRegistration, ledger: Ledger) => Promise<T>,
): Promise<T | null> {
  const found = await prisma.registration.findUnique({ where: { id: registrationId }, select: { eventId: true } })
  if (!found) return null
  return changeWithLedger(async (tx, ledger) => {
    const event = await lockEvent(tx, found.eventId)
    const registration = await tx.registration.findUnique({ where: { id: registrationId }, select: { id: true, eventId: true, status: true, updatedAt: true } })
    if (!event || !registration) return null
    return work(tx, event, registration, ledger)
  })
}

export type StaffActor = { staffUserId: number }

/** Cancels (attendee from the management page, or staff); frees the seat and promotes the first waitlisted. */
export async function cancelRegistration(
  input: { registrationId: number; by: 'attendee' | 'staff'; staffUserId?: number },
  now = new Date(),
): Promise<{ cancelled: boolean; promotedRegistrationIds: number[] }> {
  const actor = input.staffUserId === undefined ? null : await auditActorOf(input.staffUserId)
  const result = await withLockedRegistration(input.registrationId, async (tx, event, registration, ledger) => {
    if (registration.status === 'CANCELLED' || registration.status === 'REFUSED') return { cancelled: false, promotedRegistrationIds: [] }
    await tx.registration.update({ where: { id: registration.id }, data: { status: 'CANCELLED', cancelledAt: now, waitlistedAt: null } })
    if (registration.status === 'CONFIRMED') ledger.leftConfirmed.push(registration.id)
    ledger.rows.push({
      kind: 'CANCELLATION',
      eventId: event.id,
      registrationId: registration.id,
      idempotencyKey: registrationKey(registration.id, 'CANCELLATION', registration.updatedAt),
      detail: input.by,
    })
    const promoted = registration.status === 'CONFIRMED' ? await promoteWaitlisted(tx, event, ledger, undefined, now) : []
    if (input.by === 'staff' || actor) {
      await recordAudit(
        { ...(actor ?? { actorId: null, actorLabel: 'staff' }), action: 'registration.cancel', entityType: 'Registration', entityId: registration.id, data: { eventId: event.id, from: registration.status, promoted } },
        tx,
      )
    }
    return { cancelled: true, promotedRegistrationIds: promoted }
  })
  return result ?? { cancelled: false, promotedRegistrationIds: [] }
}

export type StaffMoveResult = { ok: true; status: RegistrationStatus } | { ok: false; reason: 'full' | 'not-found' | 'invalid' }

async function staffChange(
  registrationId: number,
  actor: StaffActor,
  action: string,
  change: (tx: Tx, event: LockedEvent, registration: LockedRegistration, ledger: Ledger) => Promise<StaffMoveResult>,
): Promise<StaffMoveResult> {
  const auditActor = await auditActorOf(actor.staffUserId)
  const result = await withLockedRegistration(registrationId, async (tx, event, registration, ledger) => {
    const outcome = await change(tx, event, registration, ledger)
    if (outcome.ok && outcome.status !== registration.status) {
      await recordAudit({ ...auditActor, action, entityType: 'Registration', entityId: registration.id, data: { eventId: event.id, from: registration.status, to: outcome.status } }, tx)
    }
    return outcome
  })
  return result ?? { ok: false, reason: 'not-found' }
}

/** PENDING_APPROVAL → CONFIRMED (or WAITLISTED when full and the waitlist is on; `full` otherwise). */
export async function approveRegistration(registrationId: number, actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void now
  return staffChange(registrationId, actor, 'registration.approve', async (tx, event, registration, ledger) => {
    if (registration.status !== 'PENDING_APPROVAL') return { ok: false, reason: 'invalid' }
    if (event.status === 'CANCELLED') return { ok: false, reason: 'invalid' }
    const counts = await lockedCounts(tx, event.id)
    if (counts.waitlisted > 0 && (seatsLeftOf(event, counts.confirmed) ?? 1) > 0) await promoteWaitlisted(tx, event, ledger)
    const { confirmed, clock } = await lockedCounts(tx, event.id)
    const seatsLeft = seatsLeftOf(event, confirmed)
    const full = seatsLeft !== null && seatsLeft <= 0
    if (full && !event.waitlistEnabled) return { ok: false, reason: 'full' }
    const status = full ? 'WAITLISTED' : 'CONFIRMED'
    await tx.registration.update({ where: { id: registration.id }, data: { status, waitlistedAt: full ? clock : null } })
    if (status === 'CONFIRMED') ledger.confirmed.push(registration.id)
    ledger.rows.push(placementMessage(event.id, { kind: 'placed', registrationId: registration.id, status, stamp: registration.updatedAt }))
    return { ok: true, status }
  })
}

/** PENDING_APPROVAL (or WAITLISTED) → REFUSED, the person is told. */
export async function refuseRegistration(registrationId: number, actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void now
  return staffChange(registrationId, actor, 'registration.refuse', async (tx, event, registration, ledger) => {
    if (registration.status !== 'PENDING_APPROVAL' && registration.status !== 'WAITLISTED') return { ok: false, reason: 'invalid' }
    await tx.registration.update({ where: { id: registration.id }, data: { status: 'REFUSED', waitlistedAt: null } })
    ledger.rows.push({ kind: 'REFUSED', eventId: event.id, registrationId: registration.id, idempotencyKey: registrationKey(registration.id, 'REFUSED', registration.updatedAt) })
    return { ok: true, status: 'REFUSED' }
  })
}

/** Staff move between confirmed and waitlist; to CONFIRMED is refused (`full`) when no seat is left. */
export async function moveRegistration(registrationId: number, to: 'CONFIRMED' | 'WAITLISTED', actor: StaffActor, now = new Date()): Promise<StaffMoveResult> {
  void now
  return staffChange(registrationId, actor, 'registration.move', async (tx, event, registration, ledger) => {
    if (registration.status === to) return { ok: true, status: to }
    if (registration.status !== 'CONFIRMED' && registration.status !== 'WAITLISTED') return { ok: false, reason: 'invalid' }
    if (event.status === 'CANCELLED') return { ok: false, reason: 'invalid' }
    const { confirmed, clock } = await lockedCounts(tx, event.id)
    if (to === 'CONFIRMED') {
      if ((seatsLeftOf(event, confirmed) ?? 1) <= 0) return { ok: false, reason: 'full' }
      await tx.registration.update({ where: { id: registration.id }, data: { status: 'CONFIRMED' } })
      ledger.confirmed.push(registration.id)
      ledger.rows.push({ kind: 'PROMOTED', eventId: event.id, registrationId: registration.id, idempotencyKey: registrationKey(registration.id, 'PROMOTED', registration.updatedAt) })
      return { ok: true, status: 'CONFIRMED' }
    }
    // To the end of the queue; the seat it frees goes to the first waitlisted person (not back to this one).
    await tx.registration.update({ where: { id: registration.id }, data: { status: 'WAITLISTED', waitlistedAt: clock } })
    ledger.leftConfirmed.push(registration.id)
    ledger.rows.push({ kind: 'WAITLISTED', eventId: event.id, registrationId: registration.id, idempotencyKey: registrationKey(registration.id, 'WAITLISTED', registration.updatedAt) })
    await promoteWaitlisted(tx, event, ledger, registration.id)
    return { ok: true, status: 'WAITLISTED' }
  })
}

/** Promotes waitlisted people into free seats (after a capacity raise); returns the promoted registration ids. */
export async function fillFreeSeats(eventId: number, now = new Date()): Promise<number[]> {
  void now
  return changeWithLedger(async (tx, ledger) => {
    const event = await lockEvent(tx, eventId)
    return event ? promoteWaitlisted(tx, event, ledger) : []
  })
}

/** The attendee edits answers (and name/organisation) from the management page. */
export async function updateRegistrationDetails(
  registrationId: number,
  input: { answers: Answers; firstName?: string; lastName?: string; organization?: string | null; territory?: string | null },
): Promise<void> {
  await prisma.registration.update({
    where: { id: registrationId },
    data: {
      answers: input.answers as Prisma.InputJsonValue,
      ...(input.firstName === undefined ? {} : { firstName: input.firstName }),
      ...(input.lastName === undefined ? {} : { lastName: input.lastName }),
      ...(input.organization === undefined ? {} : { organization: input.organization }),
      ...(input.territory === undefined ? {} : { territory: input.territory }),
    },
  })
}

/** Staff cancel an event: status CANCELLED, registrations refused from now on, every active registrant is told. */
export async function cancelEvent(eventId: number, actor: StaffActor, now = new Date()): Promise<{ notified: number }> {
  void now
  const auditActor = await auditActorOf(actor.staffUserId)
  const notified = await changeWithLedger(async (tx, ledger) => {
    const event = await lockEvent(tx, eventId)
    if (!event || event.status === 'CANCELLED') return 0
    // SEQUENCE + 1: the calendar CANCEL each attendee gets must beat every REQUEST they had.
    await tx.event.update({ where: { id: eventId }, data: { status: 'CANCELLED', icalSequence: { increment: 1 } } })
    const active = await tx.registration.findMany({
      where: { eventId, status: { in: ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] } },
      select: { id: true },
      orderBy: { id: 'asc' },
    })
    // Reminders and follow-ups of a cancelled event no longer apply: their rows say so, their jobs go after commit.
    ledger.cancelled.push(...(await cancelTimedMessages(tx, eventId)))
    for (const registration of active) {
      ledger.rows.push({ kind: 'EVENT_CANCELLED', eventId, registrationId: registration.id, idempotencyKey: `event:${eventId}:cancelled:reg:${registration.id}` })
    }
    await recordAudit({ ...auditActor, action: 'event.cancel', entityType: 'Event', entityId: eventId, data: { notified: active.length } }, tx)
    return active.length
  })
  return { notified }
}

export { addSeriesMembersToEvent, cancelSeriesRegistration, registerForSeries, type SeriesRegisterOutcome } from './registration-series.server.ts'
