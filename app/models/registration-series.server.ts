// Owns registrations to a whole series: the SeriesRegistration row, its fan-out to every future published session
// (through the same locked seat decision as a single registration, events locked in ascending id order so two
// fan-outs never wait on each other in a cycle), members added to sessions created later, and the cancellation of
// the future sessions only. One series message each (SERIES_CONFIRMATION, SERIES_CANCELLED), not one per session.
import type { RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import { recordAudit } from './audit.server.ts'
import { attendeeFromProfile, type AttendeeInput } from './event-schema.ts'
import { subscribeFromRegistration } from './registration-newsletter.server.ts'
import { auditActorOf, changeWithLedger, lockEvent, newToken, placeRegistration, promoteWaitlisted, type Tx } from './registration-seats.server.ts'

export type SeriesRegisterOutcome =
  | { status: 'registered'; seriesRegistrationId: number; sessions: { eventId: number; status: RegistrationStatus }[] }
  | { status: 'already'; seriesRegistrationId: number }
  | { status: 'refused'; reason: 'draft' | 'cancelled' | 'no-future-session' }

const hourMs = 60 * 60 * 1000

/** `series-reg:<id>:<kind>:<n>`, n counting that kind's rows for the series registration: a new cycle, a new key. */
async function seriesKey(tx: Tx, seriesRegistrationId: number, kind: 'SERIES_CONFIRMATION' | 'SERIES_CANCELLED'): Promise<string> {
  const count = await tx.eventMessage.count({ where: { seriesRegistrationId, kind } })
  return `series-reg:${seriesRegistrationId}:${kind.toLowerCase()}:${count + 1}`
}

/**
 * Sign-ups and cancellations (SHARE, so they run side by side) and members added to a new session (NO KEY UPDATE,
 * which waits for them) take turns on the series row: a sign-up that read the sessions just before a new one was
 * committed is still added to it, and someone leaving is never added after reading them as a member. Neither mode
 * holds up registrations or sessions that merely reference the series (KEY SHARE).
 */
async function lockSeries(tx: Tx, seriesId: number, mode: 'share' | 'members'): Promise<void> {
  if (mode === 'share') await tx.$queryRaw`SELECT "id" FROM "Series" WHERE "id" = ${seriesId} FOR SHARE`
  else await tx.$queryRaw`SELECT "id" FROM "Series" WHERE "id" = ${seriesId} FOR NO KEY UPDATE`
}

/** Registers to every future published session of a series (and to sessions added later). */
export async function registerForSeries(
  input: { seriesId: number; attendee: AttendeeInput; newsletterListId?: number; source: RegistrationSource; staffUserId?: number },
  now = new Date(),
): Promise<SeriesRegisterOutcome> {
  const email = normalizeEmail(input.attendee.email)
  const series = await prisma.series.findUnique({ where: { id: input.seriesId }, select: { id: true, status: true } })
  if (!series || series.status === 'DRAFT') return { status: 'refused', reason: 'draft' }
  if (series.status === 'CANCELLED') return { status: 'refused', reason: 'cancelled' }
  const [contact, actor] = await Promise.all([
    prisma.contact.findUnique({ where: { email }, select: { id: true } }),
    input.staffUserId === undefined ? null : auditActorOf(input.staffUserId),
  ])
  const { attendee } = input
  const profile = {
    contactId: contact?.id ?? null,
    firstName: attendee.firstName,
    lastName: attendee.lastName,
    organization: attendee.organization ?? null,
    actorType: attendee.actorType ?? null,
    territory: attendee.territory ?? null,
    locale: attendee.locale,
  }
  const { outcome, registrationIds } = await changeWithLedger(async (tx, ledger) => {
    await lockSeries(tx, series.id, 'share')
    const messages = ledger.rows
    // Checked before "already": a series without a future session answers the same whoever asks.
    const sessions = await tx.event.findMany({
      where: { seriesId: series.id, status: 'PUBLISHED', startsAt: { gt: now } },
      orderBy: { id: 'asc' },
      select: { id: true },
    })
    if (sessions.length === 0) {
      const outcome: SeriesRegisterOutcome = { status: 'refused', reason: 'no-future-session' }
      return { outcome, registrationIds: [] }
    }
    const existing = await tx.seriesRegistration.findUnique({ where: { seriesId_email: { seriesId: series.id, email } }, select: { id: true, status: true } })
    if (existing && existing.status !== 'CANCELLED' && existing.status !== 'REFUSED') {
      const recent = await tx.eventMessage.findFirst({
        where: { seriesRegistrationId: existing.id, kind: 'ALREADY_REGISTERED', createdAt: { gt: new Date(now.getTime() - hourMs) } },
        select: { id: true },
      })
      if (!recent && !actor) {
        messages.push({
          kind: 'ALREADY_REGISTERED',
          seriesId: series.id,
          seriesRegistrationId: existing.id,
          idempotencyKey: `series-reg:${existing.id}:already_registered:${Math.floor(now.getTime() / hourMs)}`,
        })
      }
      const outcome: SeriesRegisterOutcome = { status: 'already', seriesRegistrationId: existing.id }
      return { outcome, registrationIds: [] }
    }
    const seriesRegistration = existing
      ? await tx.seriesRegistration.update({ where: { id: existing.id }, data: { ...profile, status: 'CONFIRMED', cancelledAt: null }, select: { id: true } })
      : await tx.seriesRegistration.create({ data: { ...profile, seriesId: series.id, email, token: newToken() }, select: { id: true } })
    const placed: { eventId: number; status: RegistrationStatus }[] = []
    const registrationIds: number[] = []
    for (const session of sessions) {
      const event = await lockEvent(tx, session.id)
      if (!event) continue
      const result = await placeRegistration(
        tx,
        event,
        {
          eventId: event.id,
          email,
          attendee,
          answers: {},
          source: 'SERIES',
          seriesRegistrationId: seriesRegistration.id,
          contactId: contact?.id ?? null,
          token: newToken(),
          byStaff: false,
          bySeries: true,
        },
        now,
        ledger,
        false,
      )
      if (result.kind === 'refused') continue
      placed.push({ eventId: event.id, status: result.status })
      registrationIds.push(result.registrationId)
    }
    messages.push({
      kind: 'SERIES_CONFIRMATION',
      seriesId: series.id,
      seriesRegistrationId: seriesRegistration.id,
      idempotencyKey: await seriesKey(tx, seriesRegistration.id, 'SERIES_CONFIRMATION'),
    })
    if (actor) {
      await recordAudit({ ...actor, action: 'series-registration.add', entityType: 'SeriesRegistration', entityId: seriesRegistration.id, data: { seriesId: series.id, sessions: placed.length } }, tx)
    }
    const outcome: SeriesRegisterOutcome = { status: 'registered', seriesRegistrationId: seriesRegistration.id, sessions: placed }
    return { outcome, registrationIds }
  })
  if (input.newsletterListId !== undefined && outcome.status !== 'refused') {
    await subscribeFromRegistration({ listId: input.newsletterListId, email, attendee, registrationIds, seriesRegistrationId: outcome.seriesRegistrationId })
  }
  return outcome
}

/**
 * Cancels a series registration and its registrations to future sessions only (past ones keep their attendance).
 * With `actor` (staff cancelling it), the audit entry is written in the same transaction.
 */
export async function cancelSeriesRegistration(
  seriesRegistrationId: number,
  now = new Date(),
  actor?: { staffUserId: number },
): Promise<{ cancelledSessions: number }> {
  const auditActor = actor ? await auditActorOf(actor.staffUserId) : null
  const owner = await prisma.seriesRegistration.findUnique({ where: { id: seriesRegistrationId }, select: { seriesId: true } })
  if (!owner) return { cancelledSessions: 0 }
  const cancelledSessions = await changeWithLedger(async (tx, ledger) => {
    await lockSeries(tx, owner.seriesId, 'share')
    // NO KEY UPDATE: does not wait on sessions' inserts that reference this row (they hold KEY SHARE).
    const rows = await tx.$queryRaw<{ id: number; seriesId: number; status: string }[]>`
      SELECT "id", "seriesId", "status"::text AS "status" FROM "SeriesRegistration" WHERE "id" = ${seriesRegistrationId} FOR NO KEY UPDATE`
    const seriesRegistration = rows[0]
    if (!seriesRegistration || seriesRegistration.status === 'CANCELLED') return 0
    await tx.seriesRegistration.update({ where: { id: seriesRegistrationId }, data: { status: 'CANCELLED', cancelledAt: now } })
    const future = await tx.registration.findMany({
      where: { seriesRegistrationId, status: { in: ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] }, event: { startsAt: { gt: now } } },
      select: { eventId: true },
      distinct: ['eventId'],
      orderBy: { eventId: 'asc' },
    })
    const messages = ledger.rows
    let cancelledSessions = 0
    for (const { eventId } of future) {
      const event = await lockEvent(tx, eventId)
      if (!event) continue
      const active = await tx.registration.findMany({
        where: { eventId, seriesRegistrationId, status: { in: ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] } },
        select: { id: true, status: true },
      })
      if (active.length === 0) continue
      await tx.registration.updateMany({ where: { id: { in: active.map((row) => row.id) } }, data: { status: 'CANCELLED', cancelledAt: now, waitlistedAt: null } })
      cancelledSessions += active.length
      const leaving = active.filter((row) => row.status === 'CONFIRMED').map((row) => row.id)
      ledger.leftConfirmed.push(...leaving)
      if (leaving.length > 0) await promoteWaitlisted(tx, event, ledger)
    }
    messages.push({
      kind: 'SERIES_CANCELLED',
      seriesId: seriesRegistration.seriesId,
      seriesRegistrationId,
      idempotencyKey: await seriesKey(tx, seriesRegistrationId, 'SERIES_CANCELLED'),
      detail: auditActor ? 'staff' : 'attendee',
    })
    if (auditActor) {
      await recordAudit(
        { ...auditActor, action: 'series-registration.cancel', entityType: 'SeriesRegistration', entityId: seriesRegistrationId, data: { seriesId: seriesRegistration.seriesId, cancelledSessions } },
        tx,
      )
    }
    return cancelledSessions
  })
  return { cancelledSessions }
}

/**
 * Registers every active series member to this session (call after a session of a series is created or published,
 * or attached to a series). Idempotent: someone with any registration row for the event is left alone. Only a
 * published session that has not started takes members; capacity rules apply as for anyone.
 */
export async function addSeriesMembersToEvent(eventId: number, now = new Date()): Promise<number> {
  const session = await prisma.event.findUnique({ where: { id: eventId }, select: { seriesId: true } })
  if (session?.seriesId == null) return 0
  const seriesId = session.seriesId
  return changeWithLedger(async (tx, ledger) => {
    await lockSeries(tx, seriesId, 'members')
    const event = await lockEvent(tx, eventId)
    if (!event || event.seriesId !== seriesId || event.status !== 'PUBLISHED' || event.startsAt.getTime() <= now.getTime()) return 0
    const members = await tx.seriesRegistration.findMany({ where: { seriesId: event.seriesId, status: 'CONFIRMED' }, orderBy: { id: 'asc' } })
    const present = new Set(
      (await tx.registration.findMany({ where: { eventId, email: { in: members.map((member) => member.email) } }, select: { email: true } })).map((row) => row.email),
    )
    let added = 0
    for (const member of members) {
      if (present.has(member.email)) continue
      const result = await placeRegistration(
        tx,
        event,
        {
          eventId,
          email: member.email,
          attendee: attendeeFromProfile(member),
          answers: {},
          source: 'SERIES',
          seriesRegistrationId: member.id,
          contactId: member.contactId,
          token: newToken(),
          byStaff: false,
          bySeries: true,
        },
        now,
        ledger,
        { detail: 'series-session-added' },
      )
      if (result.kind === 'placed') added += 1
    }
    return added
  })
}
