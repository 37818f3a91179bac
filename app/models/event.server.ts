// Owns events and series: what is published, when, and the rules on registration windows.
import { prisma } from '~/utils/db.server.ts'
import type { EventKind, EventStatus } from '~/generated/prisma/enums.ts'
import type { EventQuestion } from './event-schema.ts'

export function listUpcomingPublicEvents(now: Date, take: number) {
  return prisma.event.findMany({
    where: { status: 'PUBLISHED', endsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
    take,
    include: { series: { select: { title: true, slug: true } } },
  })
}

// CONTRACT (lead): the staff events work fills these in; series generation creates its sessions through createEvent.

export interface Speaker {
  name: string
  role?: string
}

/** An event as staff save it (already checked and sanitised). */
export interface EventInput {
  kind: EventKind
  title: string
  summary: string
  /** Sanitised HTML. */
  description: string
  startsAt: Date
  endsAt: Date
  timeZone: string
  venueName: string | null
  venueAddress: string | null
  accessNotes: string | null
  joinUrl: string | null
  capacity: number | null
  waitlistEnabled: boolean
  approvalRequired: boolean
  registrationOpensAt: Date | null
  registrationClosesAt: Date | null
  questions: EventQuestion[]
  speakers: Speaker[]
  tags: string[]
  coverImageUrl: string | null
  status: EventStatus
  seriesId: number | null
}

/**
 * Creates an event with a unique slug and iCalendar UID, audited; when it is a published session of a series, its
 * series members are registered (addSeriesMembersToEvent).
 */
export async function createEvent(input: EventInput, actor: { staffUserId: number }): Promise<{ id: number; slug: string }> {
  void input
  void actor
  throw new Error('createEvent not implemented yet')
}
