// Owns the staff events dashboard figures: upcoming events with their seats, waitlist and pending approvals, drafts,
// past events with their attendance rate, and the registrations received per day for one event (in its zone).
import type { EventKind, EventStatus, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { instantToWallClock } from '~/utils/wall-clock.ts'
import { eventAttendance, type AttendanceStats } from './attendance.server.ts'

export type DashboardFilter = { status?: EventStatus; kind?: EventKind }

export interface RegistrationFigures {
  confirmed: number
  waitlisted: number
  pending: number
  /** confirmed / capacity, null without a capacity. */
  fillRate: number | null
}

const eventColumns = { id: true, title: true, slug: true, kind: true, status: true, startsAt: true, endsAt: true, timeZone: true, capacity: true, series: { select: { title: true } } } as const

async function registrationFigures(events: { id: number; capacity: number | null }[]): Promise<Map<number, RegistrationFigures>> {
  const counts = events.length
    ? await prisma.registration.groupBy({ by: ['eventId', 'status'], where: { eventId: { in: events.map((event) => event.id) } }, _count: { _all: true } })
    : []
  const count = (eventId: number, status: RegistrationStatus) => counts.find((row) => row.eventId === eventId && row.status === status)?._count._all ?? 0
  return new Map(
    events.map((event) => {
      const confirmed = count(event.id, 'CONFIRMED')
      return [event.id, { confirmed, waitlisted: count(event.id, 'WAITLISTED'), pending: count(event.id, 'PENDING_APPROVAL'), fillRate: event.capacity ? confirmed / event.capacity : null }]
    }),
  )
}

/** The three sections of /admin/events, each filtered by status and kind. */
export async function eventsDashboard(filter: DashboardFilter, now = new Date()) {
  const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.kind ? { kind: filter.kind } : {}) }
  const scheduled = { ...where, status: filter.status && filter.status !== 'DRAFT' ? filter.status : { not: 'DRAFT' as const } }
  const [upcoming, drafts, past] = await Promise.all([
    filter.status === 'DRAFT' ? [] : prisma.event.findMany({ where: { ...scheduled, endsAt: { gte: now } }, orderBy: { startsAt: 'asc' }, take: 200, select: eventColumns }),
    filter.status && filter.status !== 'DRAFT' ? [] : prisma.event.findMany({ where: { ...where, status: 'DRAFT' }, orderBy: { startsAt: 'asc' }, take: 200, select: eventColumns }),
    filter.status === 'DRAFT' ? [] : prisma.event.findMany({ where: { ...scheduled, endsAt: { lt: now } }, orderBy: { startsAt: 'desc' }, take: 50, select: eventColumns }),
  ])
  const figures = await registrationFigures([...upcoming, ...drafts, ...past])
  const attendance: Map<number, AttendanceStats> = past.length ? await eventAttendance(past.map((event) => event.id), now) : new Map()
  const withFigures = <T extends { id: number }>(events: T[]) => events.map((event) => ({ ...event, registrations: figures.get(event.id) ?? { confirmed: 0, waitlisted: 0, pending: 0, fillRate: null } }))
  return {
    upcoming: withFigures(upcoming),
    drafts: withFigures(drafts),
    past: withFigures(past).map((event) => ({ ...event, attendanceRate: attendance.get(event.id)?.rate ?? null })),
  }
}

/** The registration figures of one event (its page). */
export async function eventRegistrationFigures(event: { id: number; capacity: number | null }): Promise<RegistrationFigures> {
  return (await registrationFigures([event])).get(event.id) ?? { confirmed: 0, waitlisted: 0, pending: 0, fillRate: null }
}

export type DayCount = { day: string; count: number }

/**
 * Registrations received per day (any status, by the day they came in on the event's clocks), over the last 30
 * days or since registration opened when that is more recent; days without any are counted as 0.
 */
export async function registrationsPerDay(event: { id: number; timeZone: string; registrationOpensAt: Date | null; createdAt: Date }, now = new Date()): Promise<DayCount[]> {
  const dayMs = 24 * 60 * 60 * 1000
  const opened = event.registrationOpensAt ?? event.createdAt
  const from = new Date(Math.max(now.getTime() - 29 * dayMs, Math.min(opened.getTime(), now.getTime())))
  const rows = await prisma.$queryRaw<{ day: string; count: bigint }[]>`
    SELECT to_char("createdAt" AT TIME ZONE 'UTC' AT TIME ZONE ${event.timeZone}, 'YYYY-MM-DD') AS "day", count(*) AS "count"
    FROM "Registration"
    WHERE "eventId" = ${event.id} AND "createdAt" >= ${new Date(from.getTime() - dayMs)}
    GROUP BY 1`
  const counts = new Map(rows.map((row) => [row.day, Number(row.count)]))
  const first = instantToWallClock(from, event.timeZone).date
  const last = instantToWallClock(now, event.timeZone).date
  const days: DayCount[] = []
  // Calendar days walked in UTC (no clock change there), labelled as the event's zone reads them.
  for (let day = new Date(`${first}T00:00:00Z`); day.toISOString().slice(0, 10) <= last; day = new Date(day.getTime() + dayMs)) {
    const key = day.toISOString().slice(0, 10)
    days.push({ day: key, count: counts.get(key) ?? 0 })
  }
  return days
}
