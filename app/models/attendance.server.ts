// Owns attendance after an event (present / absent per registration, editable), attendance rates per event and per
// series, and who joined an online or hybrid event through their personal link, live. Check-in at the door marks
// PRESENT too (checkedInAt, see checkin.server.ts), and so does the first use of the join link (joinedAt, join.server.ts).
import type { Prisma } from '~/generated/prisma/client.ts'
import type { Attendance } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { joinWindow } from './join.server.ts'
import { registrationSearchWhere } from './registration-table.server.ts'

export interface AttendanceStats {
  /** Registrations that count: confirmed ones (cancelled, refused, waitlisted and pending do not). */
  confirmed: number
  present: number
  absent: number
  unknown: number
  /** present / (present + absent + unknown) when the event is over and someone is confirmed; null otherwise. */
  rate: number | null
}

type Staff = { id: number; email: string }

function emptyStats(): AttendanceStats {
  return { confirmed: 0, present: 0, absent: 0, unknown: 0, rate: null }
}

function addCount(stats: AttendanceStats, attendance: Attendance, count: number): void {
  stats.confirmed += count
  if (attendance === 'PRESENT') stats.present += count
  else if (attendance === 'ABSENT') stats.absent += count
  else stats.unknown += count
}

function withRate(stats: AttendanceStats, over: boolean): AttendanceStats {
  return { ...stats, rate: over && stats.confirmed > 0 ? stats.present / stats.confirmed : null }
}

/** Confirmed registrations by attendance, for each event asked (an unknown id gets empty stats). */
export async function eventAttendance(eventIds: number[], now = new Date()): Promise<Map<number, AttendanceStats>> {
  const result = new Map<number, AttendanceStats>()
  if (eventIds.length === 0) return result
  const [events, groups] = await Promise.all([
    prisma.event.findMany({ where: { id: { in: eventIds } }, select: { id: true, endsAt: true } }),
    prisma.registration.groupBy({ by: ['eventId', 'attendance'], where: { eventId: { in: eventIds }, status: 'CONFIRMED' }, _count: { _all: true } }),
  ])
  const stats = new Map(eventIds.map((id) => [id, emptyStats()]))
  for (const group of groups) addCount(stats.get(group.eventId)!, group.attendance, group._count._all)
  const ended = new Set(events.filter((event) => event.endsAt <= now).map((event) => event.id))
  for (const [id, counts] of stats) result.set(id, withRate(counts, ended.has(id)))
  return result
}

/** Over the series' past sessions: totals and the rate. */
export async function seriesAttendance(seriesId: number, now = new Date()): Promise<AttendanceStats> {
  const groups = await prisma.registration.groupBy({
    by: ['attendance'],
    where: { status: 'CONFIRMED', event: { seriesId, endsAt: { lte: now }, status: { not: 'CANCELLED' } } },
    _count: { _all: true },
  })
  const stats = emptyStats()
  for (const group of groups) addCount(stats, group.attendance, group._count._all)
  return withRate(stats, true)
}

export interface AttendanceRow {
  id: number
  firstName: string
  lastName: string
  email: string
  organization: string | null
  attendance: Attendance
  checkedInAt: Date | null
  /** First use of the personal join link (online and hybrid events). */
  joinedAt: Date | null
}

export const attendancePageSize = 100

/** One page of an event's confirmed registrations with their attendance, by name (search on name, email, organisation). */
export async function listAttendance(eventId: number, options: { q?: string; page?: number } = {}): Promise<{ rows: AttendanceRow[]; total: number; page: number; pageCount: number }> {
  const where: Prisma.RegistrationWhereInput = { eventId, status: 'CONFIRMED', ...registrationSearchWhere(options.q) }
  const total = await prisma.registration.count({ where })
  const pageCount = Math.max(1, Math.ceil(total / attendancePageSize))
  const page = Math.min(Math.max(1, Number.isSafeInteger(options.page) ? (options.page as number) : 1), pageCount)
  const rows = await prisma.registration.findMany({
    where,
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    skip: (page - 1) * attendancePageSize,
    take: attendancePageSize,
    select: { id: true, firstName: true, lastName: true, email: true, organization: true, attendance: true, checkedInAt: true, joinedAt: true },
  })
  return { rows, total, page, pageCount }
}

export interface LiveJoins {
  /** Online or hybrid: the event has personal join links at all. */
  online: boolean
  /** The join window is open now (from joinOpensMinutes before the start until the end): the page refreshes itself. */
  live: boolean
  /** Confirmed registrations that joined through their link. */
  count: number
  /** Who joined, by first join time (the first `liveJoinsShown`). */
  joiners: { id: number; name: string; joinedAt: Date }[]
}

/** How many joiners the attendance page lists (the count covers everyone). */
export const liveJoinsShown = 1000

/** Who joined an event through their personal link, with each first join time; online false for in-person events. */
export async function eventJoins(eventId: number, now = new Date()): Promise<LiveJoins> {
  const event = await prisma.event.findUnique({ where: { id: eventId }, select: { kind: true, status: true, startsAt: true, endsAt: true, joinOpensMinutes: true } })
  if (!event || event.kind === 'IN_PERSON') return { online: false, live: false, count: 0, joiners: [] }
  const where: Prisma.RegistrationWhereInput = { eventId, status: 'CONFIRMED', joinedAt: { not: null } }
  const [count, rows] = await Promise.all([
    prisma.registration.count({ where }),
    prisma.registration.findMany({ where, orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }], take: liveJoinsShown, select: { id: true, firstName: true, lastName: true, joinedAt: true } }),
  ])
  const { opensAt, closesAt } = joinWindow(event)
  const live = event.status === 'PUBLISHED' && now >= opensAt && now < closesAt
  const joiners = rows.flatMap((row) => (row.joinedAt ? [{ id: row.id, name: `${row.firstName} ${row.lastName}`.trim(), joinedAt: row.joinedAt }] : []))
  return { online: true, live, count, joiners }
}

export type AttendanceChange = { registrationId: number; attendance: Attendance }

/**
 * Sets attendance of confirmed registrations of `eventId` (others are left alone), audited in the same transaction.
 * Setting anything but PRESENT also forgets the door check-in time (a mistaken check-in is corrected here).
 * Returns how many rows changed.
 */
export async function setAttendance(eventId: number, changes: AttendanceChange[], staff: Staff): Promise<number> {
  if (changes.length === 0) return 0
  return prisma.$transaction(async (tx) => {
    const current = await tx.registration.findMany({
      where: { eventId, status: 'CONFIRMED', id: { in: changes.map((change) => change.registrationId) } },
      select: { id: true, attendance: true },
    })
    const before = new Map(current.map((row) => [row.id, row.attendance]))
    const applied: AttendanceChange[] = []
    for (const change of changes) {
      const from = before.get(change.registrationId)
      if (from === undefined || from === change.attendance) continue
      await tx.registration.update({
        where: { id: change.registrationId },
        data: { attendance: change.attendance, ...(change.attendance === 'PRESENT' ? {} : { checkedInAt: null }) },
      })
      applied.push(change)
    }
    if (applied.length > 0) {
      await recordAudit({ ...staffActor(staff), action: 'event.attendance', entityType: 'Event', entityId: eventId, data: { changes: applied } }, tx)
    }
    return applied.length
  })
}

/** Confirmed registrations still UNKNOWN become ABSENT (after the event, once the present ones are marked). */
export async function markRemainingAbsent(eventId: number, staff: Staff): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.registration.updateMany({ where: { eventId, status: 'CONFIRMED', attendance: 'UNKNOWN' }, data: { attendance: 'ABSENT' } })
    if (count > 0) await recordAudit({ ...staffActor(staff), action: 'event.attendance.remainingAbsent', entityType: 'Event', entityId: eventId, data: { count } }, tx)
    return count
  })
}
