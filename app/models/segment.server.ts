// Owns segments: saved filters over contacts (structured JSON, see segment-filter.ts), the Prisma where they turn
// into (used by counts, the CSV export and campaign audiences), and their creation, change and deletion (audited).
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { listListChoices } from './list.server.ts'
import { segmentFilterSchema, type SegmentFilter } from './segment-filter.ts'

/**
 * Who can be written to: an ACTIVE contact with an address. Erasure (ERASED, address cleared), hard bounces
 * (BOUNCED) and complaints (COMPLAINED) are suppressions that also set the contact's status, so they are out;
 * unsubscribed people (UNSUBSCRIBED) are out too. A MANUAL suppression leaves the status alone: counts take those
 * addresses out with manuallySuppressedEmails(), and the mail module checks the suppression list at send time.
 */
export const reachableWhere: Prisma.ContactWhereInput = { status: 'ACTIVE', email: { not: null } }

/** Addresses suppressed by hand whose contact may still be ACTIVE (the other reasons change the status). */
export async function manuallySuppressedEmails(): Promise<string[]> {
  const rows = await prisma.suppression.findMany({ where: { reason: 'MANUAL', email: { not: null } }, select: { email: true } })
  return rows.flatMap((row) => (row.email ? [row.email] : []))
}

/** Midnight UTC of a yyyy-mm-dd day; "before" a day excludes that day, "after" includes it. */
function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`)
}

function subscriptionWhere(filter: SegmentFilter, listId?: number): Prisma.SubscriptionWhereInput {
  const createdAt: Prisma.DateTimeFilter = {}
  if (filter.subscribedAfter) createdAt.gte = dayStart(filter.subscribedAfter)
  if (filter.subscribedBefore) createdAt.lt = dayStart(filter.subscribedBefore)
  return {
    // listId first and status equal: the (listId, status, contactId) index answers the EXISTS without the table.
    ...(listId === undefined ? {} : { listId }),
    status: filter.lists.status,
    ...(filter.subscribedAfter || filter.subscribedBefore ? { createdAt } : {}),
  }
}

function listConditions(filter: SegmentFilter): Prisma.ContactWhereInput[] {
  const { ids, match } = filter.lists
  const dated = Boolean(filter.subscribedAfter || filter.subscribedBefore)
  if (ids.length === 0) return dated ? [{ subscriptions: { some: subscriptionWhere(filter) } }] : []
  if (match === 'all') return ids.map((listId) => ({ subscriptions: { some: subscriptionWhere(filter, listId) } }))
  if (ids.length === 1) return [{ subscriptions: { some: subscriptionWhere(filter, ids[0]) } }]
  return [{ subscriptions: { some: { ...subscriptionWhere(filter), listId: { in: ids } } } }]
}

function attendanceCondition(attended: SegmentFilter['attended']): Prisma.ContactWhereInput[] {
  if (attended.kind === 'none') return []
  const where: Prisma.RegistrationWhereInput = { attendance: 'PRESENT' }
  if (attended.kind === 'event') where.eventId = attended.eventId
  if (attended.kind === 'series') where.event = { seriesId: attended.seriesId }
  return [{ registrations: { some: where } }]
}

/**
 * The contacts a filter selects. Erased contacts are never part of a segment; without a status criterion only
 * reachable (ACTIVE) contacts are. Every criterion is an equality, an IN or an EXISTS on an indexed column.
 */
export function segmentWhere(filter: SegmentFilter): Prisma.ContactWhereInput {
  const statuses = filter.contactStatuses.length > 0 ? filter.contactStatuses : (['ACTIVE'] as const)
  const conditions: Prisma.ContactWhereInput[] = [
    { status: statuses.length === 1 ? statuses[0] : { in: [...statuses] }, email: { not: null } },
    ...listConditions(filter),
    ...(filter.actorTypes.length > 0 ? [{ actorType: { in: filter.actorTypes } }] : []),
    ...(filter.territories.length > 0 ? [{ territory: { in: filter.territories } }] : []),
    ...attendanceCondition(filter.attended),
  ]
  return { AND: conditions }
}

/** How many contacts a campaign to this segment would reach (see reachableWhere). */
export async function countSegment(filter: SegmentFilter): Promise<number> {
  const suppressed = await manuallySuppressedEmails()
  const notSuppressed: Prisma.ContactWhereInput[] = suppressed.length > 0 ? [{ email: { notIn: suppressed } }] : []
  return prisma.contact.count({ where: { AND: [segmentWhere(filter), reachableWhere, ...notSuppressed] } })
}

/** What the segment form shows: how many contacts match, and how many of them can be written to. */
export async function countSegmentMatches(filter: SegmentFilter): Promise<{ matching: number; reachable: number }> {
  const onlyActive = filter.contactStatuses.length === 0 || (filter.contactStatuses.length === 1 && filter.contactStatuses[0] === 'ACTIVE')
  if (onlyActive && (await manuallySuppressedEmails()).length === 0) {
    // Only ACTIVE contacts with an address match: every one of them is reachable, one count is enough.
    const matching = await prisma.contact.count({ where: segmentWhere(filter) })
    return { matching, reachable: matching }
  }
  const [matching, reachable] = await Promise.all([prisma.contact.count({ where: segmentWhere(filter) }), countSegment(filter)])
  return { matching, reachable }
}

export class SegmentError extends Error {
  constructor(readonly messageKey: string) {
    super(messageKey)
    this.name = 'SegmentError'
  }
}

export interface SegmentInput {
  name: string
  description: string
  filter: SegmentFilter
}

type Staff = { id: number; email: string }

/** A stored filter read back through the schema, so that an old or hand-edited row cannot reach a query unchecked. */
function parseStored(filter: Prisma.JsonValue): SegmentFilter {
  const parsed = segmentFilterSchema.safeParse(filter)
  if (!parsed.success) throw new SegmentError('segments.errors.storedFilterInvalid')
  return parsed.data
}

export async function listSegments() {
  const rows = await prisma.segment.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, description: true, updatedAt: true } })
  return rows
}

export async function getSegment(id: number) {
  const row = await prisma.segment.findUnique({ where: { id } })
  if (!row) return null
  return { id: row.id, name: row.name, description: row.description, filter: parseStored(row.filter), updatedAt: row.updatedAt }
}

export async function createSegment(input: SegmentInput, staff: Staff): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const segment = await tx.segment.create({
      data: { name: input.name, description: input.description, filter: input.filter, createdById: staff.id },
      select: { id: true },
    })
    await recordAudit({ ...staffActor(staff), action: 'segment.create', entityType: 'Segment', entityId: segment.id, data: { name: input.name, filter: input.filter } }, tx)
    return segment.id
  })
}

export async function updateSegment(id: number, input: SegmentInput, staff: Staff): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.segment.updateMany({ where: { id }, data: { name: input.name, description: input.description, filter: input.filter } })
    if (count === 0) throw new SegmentError('segments.errors.notFound')
    await recordAudit({ ...staffActor(staff), action: 'segment.update', entityType: 'Segment', entityId: id, data: { name: input.name, filter: input.filter } }, tx)
  })
}

/** Campaigns not yet finished keep their audience: a segment they use cannot be deleted under them. */
const openCampaignStatuses = ['DRAFT', 'SCHEDULED', 'SENDING', 'PAUSED'] as const

export async function deleteSegment(id: number, staff: Staff): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const inUse = await tx.campaign.count({ where: { segmentId: id, status: { in: [...openCampaignStatuses] } } })
    if (inUse > 0) throw new SegmentError('segments.errors.inUse')
    const deleted = await tx.segment.deleteMany({ where: { id } })
    if (deleted.count === 0) throw new SegmentError('segments.errors.notFound')
    await recordAudit({ ...staffActor(staff), action: 'segment.delete', entityType: 'Segment', entityId: id }, tx)
  })
}

/** What the segment form offers: every list, and the events and series whose attendance can be asked for. */
export async function segmentFormChoices(now = new Date()) {
  const [lists, events, series] = await Promise.all([
    listListChoices(),
    // Attendance is recorded at or after an event: the most recent ones that have started are the useful choices.
    prisma.event.findMany({ where: { startsAt: { lte: now } }, orderBy: { startsAt: 'desc' }, take: 200, select: { id: true, title: true, startsAt: true } }),
    prisma.series.findMany({ orderBy: { title: 'asc' }, select: { id: true, title: true } }),
  ])
  return { lists, events, series }
}
