// Owns events and series: what is published, when, and the rules on registration windows; staff create, edit,
// duplicate and publish events here (audited), each with a stable slug and iCalendar UID whose SEQUENCE grows on
// every change of time, place or link.
import { randomUUID } from 'node:crypto'
import { sanitizeRichText } from '#emails/campaign/sanitize.ts'
import { Prisma } from '~/generated/prisma/client.ts'
import type { EventKind, EventStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { recordAudit, type AuditActor } from './audit.server.ts'
import { publicEventSelect } from './event-page.server.ts'
import { readResources, type EventResource } from './event-resources.ts'
import { readQuestions, type EventQuestion } from './event-schema.ts'
import { addSeriesMembersToEvent, fillFreeSeats } from './registration.server.ts'
import { changesCalendar, scheduleAfterEdit, schedulePublication } from './event-schedule.server.ts'
import { changeWithLedger, lockedCounts, lockEvent } from './registration-seats.server.ts'

/** The next published events for the home page: only the columns a public page may show (never joinUrl). */
export function listUpcomingPublicEvents(now: Date, take: number) {
  return prisma.event.findMany({
    where: { status: 'PUBLISHED', endsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
    take,
    select: publicEventSelect,
  })
}

// CONTRACT (lead): the staff events work fills these in; series generation creates its sessions through createEvent.

export interface Speaker {
  name: string
  role?: string
}

export type { EventResource } from './event-resources.ts'

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
  /** The recording, shown once the event is over (https only). Left unchanged when absent. */
  replayUrl?: string | null
  /** Documents and links shown on the public page. Left unchanged when absent. */
  resources?: EventResource[]
  /** Minutes before the start each reminder goes (default [1440, 60]). Left unchanged when absent. */
  reminderOffsets?: number[]
  /** Minutes after the end the follow-up goes. Left unchanged when absent. */
  followUpDelayMinutes?: number
  /** Minutes before the start the personal join link opens. Left unchanged when absent. */
  joinOpensMinutes?: number
  /** Staff's own words for the follow-ups (empty: the standard text). Left unchanged when absent. */
  followUpAttendedMessage?: string
  followUpAbsentMessage?: string
}


/** A refusal shown to staff on a field of the event form (i18n key adminEvents.errors.*, with its sentence's values). */
export class EventError extends Error {
  constructor(
    readonly messageKey: string,
    readonly field: string | null = null,
    readonly values: Record<string, number | string> = {},
  ) {
    super(messageKey)
    this.name = 'EventError'
  }
}

export type StaffActor = { staffUserId: number }

async function auditActor(tx: Prisma.TransactionClient, actor: StaffActor): Promise<AuditActor> {
  const staff = await tx.staffUser.findUnique({ where: { id: actor.staffUserId }, select: { email: true } })
  return { actorId: actor.staffUserId, actorLabel: staff?.email ?? `staff:${actor.staffUserId}` }
}

/**
 * The description as stored: the rich-text allow-list of newsletters. Text typed without block markup (the form
 * without JavaScript) becomes paragraphs, a blank line separating them, a line break kept as such.
 */
export function sanitizeEventDescription(input: string): string {
  const text = input.trim()
  if (!text) return ''
  if (/<(p|br|ul|ol|li|div|h[1-6])\b/i.test(text)) return sanitizeRichText(text)
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${paragraph.replace(/\r?\n/g, '<br />')}</p>`)
  return sanitizeRichText(paragraphs.join(''))
}

/** `rencontre-du-reseau-2027-11-04`: the title in ASCII words and the start day in the event's zone. */
function slugBase(title: string, startsAt: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(startsAt)
  const words = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return `${words || 'evenement'}-${day}`
}

async function uniqueSlug(tx: Prisma.TransactionClient, base: string): Promise<string> {
  const taken = new Set((await tx.event.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((row) => row.slug))
  if (!taken.has(base)) return base
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

/** Two staff saving events of the same title and day at once: the loser picks its slug again. */
async function retryOnSlugClash<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write()
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue
      throw error
    }
  }
}

function icalUid(): string {
  return `${randomUUID()}@${new URL(getEnv().APP_URL).host}`
}

function eventData(input: EventInput) {
  const { resources, ...rest } = input
  return {
    ...rest,
    questions: input.questions as unknown as Prisma.InputJsonValue,
    speakers: input.speakers as unknown as Prisma.InputJsonValue,
    ...(resources ? { resources: resources as unknown as Prisma.InputJsonValue } : {}),
  }
}

async function checkSeries(tx: Prisma.TransactionClient, seriesId: number | null): Promise<void> {
  if (seriesId === null) return
  const series = await tx.series.findUnique({ where: { id: seriesId }, select: { id: true } })
  if (!series) throw new EventError('adminEvents.errors.seriesMissing', 'seriesId')
}

/**
 * Creates an event with a unique slug and iCalendar UID, audited; when it is a published session of a series, its
 * series members are registered (addSeriesMembersToEvent).
 */
export async function createEvent(input: EventInput, actor: { staffUserId: number }): Promise<{ id: number; slug: string }> {
  if (input.status === 'CANCELLED') throw new EventError('adminEvents.errors.cancelThroughAction', 'status')
  const created = await retryOnSlugClash(() =>
    prisma.$transaction(async (tx) => {
      await checkSeries(tx, input.seriesId)
      const slug = await uniqueSlug(tx, slugBase(input.title, input.startsAt, input.timeZone))
      const publishedAt = input.status === 'PUBLISHED' ? new Date() : null
      const event = await tx.event.create({ data: { ...eventData(input), slug, icalUid: icalUid(), publishedAt }, select: { id: true, slug: true } })
      await recordAudit({ ...(await auditActor(tx, actor)), action: 'event.create', entityType: 'Event', entityId: event.id, data: { slug, title: input.title, status: input.status } }, tx)
      return event
    }),
  )
  if (input.status === 'PUBLISHED' && input.seriesId !== null) await addSeriesMembersToEvent(created.id)
  return created
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  return (a ?? null) === (b ?? null)
}

/**
 * `updatesQueued`: how many confirmed attendees get an UPDATE (calendar REQUEST with the new SEQUENCE) for this edit;
 * `calendarChanged`: time, place or link changed (otherwise a raised SEQUENCE comes from staff's "notify").
 */
export type UpdateOutcome = { sequenceBumped: boolean; calendarChanged: boolean; promoted: number; seriesMembersAdded: number; updatesQueued: number }

/**
 * `notify`: staff ticked "prévenir les inscrit·es" for an edit that touches neither time, place nor link (title,
 * description…): the SEQUENCE goes up and confirmed attendees get an UPDATE too. A change of time, place or link
 * always sends the UPDATE (calendars must follow), whatever this says.
 */
export interface UpdateOptions {
  notify?: boolean
}

/**
 * Saves staff changes, audited with the fields that changed. A change of time, zone, venue, address, format (online,
 * in person, hybrid) or join link raises the calendar SEQUENCE and queues an UPDATE to every confirmed attendee (as does any change with
 * `notify`); a new start or new reminder offsets move the pending reminders. Cancelling goes through cancelEvent
 * (registrants are told), never through here. A raised capacity fills the freed seats from the waitlist; a capacity
 * changed to fewer seats than people already confirmed is refused (nobody is demoted behind their back: staff cancel
 * or move registrations first). Publishing a session of a series (or attaching a published one) registers the
 * series members.
 */
export async function updateEvent(eventId: number, input: EventInput, actor: StaffActor, options: UpdateOptions = {}): Promise<UpdateOutcome> {
  const change = await changeWithLedger(async (tx, ledger) => {
    // The registration core's lock on the event row orders this edit with registrations deciding seats on it, so
    // the confirmed count below cannot grow before this transaction ends.
    if (!(await lockEvent(tx, eventId))) throw new EventError('adminEvents.errors.notFound')
    const before = await tx.event.findUniqueOrThrow({ where: { id: eventId } })
    if (input.status === 'CANCELLED' && before.status !== 'CANCELLED') throw new EventError('adminEvents.errors.cancelThroughAction', 'status')
    if (before.status === 'CANCELLED' && input.status !== 'CANCELLED') throw new EventError('adminEvents.errors.cancelledFinal', 'status')
    // Only a change of capacity is checked: an event already over its seats can still have its other fields edited.
    if (input.capacity !== null && input.capacity !== before.capacity) {
      const { confirmed } = await lockedCounts(tx, eventId)
      if (input.capacity < confirmed) throw new EventError('adminEvents.errors.capacityBelowConfirmed', 'capacity', { count: confirmed })
    }
    await checkSeries(tx, input.seriesId)
    const stored: Record<keyof EventInput, unknown> = { ...before, questions: readQuestions(before.questions), speakers: readSpeakers(before.speakers), resources: readResources(before.resources) }
    const changed = (Object.keys(input) as (keyof EventInput)[]).filter((key) => !sameValue(stored[key], input[key]))
    // A minor edit raises the SEQUENCE only when staff chose to tell attendees (their calendars then take it).
    const calendarChanged = changesCalendar(changed)
    const sequenceBumped = calendarChanged || (options.notify === true && changed.length > 0)
    // Set once, the first time it is published; never cleared (a cancelled event once public stays in the feeds).
    const publishedAt = input.status === 'PUBLISHED' && before.publishedAt === null ? { publishedAt: new Date() } : {}
    await tx.event.update({ where: { id: eventId }, data: { ...eventData(input), ...publishedAt, ...(sequenceBumped ? { icalSequence: { increment: 1 } } : {}) } })
    const updatesQueued = await scheduleAfterEdit(tx, ledger, { before, after: input, changed, notify: sequenceBumped }, new Date())
    await recordAudit({ ...(await auditActor(tx, actor)), action: 'event.update', entityType: 'Event', entityId: eventId, data: { changed, sequenceBumped, updatesQueued } }, tx)
    return {
      sequenceBumped,
      calendarChanged,
      updatesQueued,
      capacityRaised: input.capacity === null ? before.capacity !== null : before.capacity !== null && input.capacity > before.capacity,
      joinsSeries: input.status === 'PUBLISHED' && input.seriesId !== null && (before.status !== 'PUBLISHED' || before.seriesId !== input.seriesId),
    }
  })
  const promoted = change.capacityRaised ? (await fillFreeSeats(eventId)).length : 0
  const seriesMembersAdded = change.joinsSeries ? await addSeriesMembersToEvent(eventId) : 0
  return { sequenceBumped: change.sequenceBumped, calendarChanged: change.calendarChanged, promoted, seriesMembersAdded, updatesQueued: change.updatesQueued }
}

/** A draft copy: same content and times (staff edit them), a new slug and calendar identity, no registrations. */
export async function duplicateEvent(eventId: number, actor: StaffActor, copyPrefix = 'Copie de '): Promise<{ id: number; slug: string }> {
  return retryOnSlugClash(() =>
    prisma.$transaction(async (tx) => {
      const source = await tx.event.findUnique({ where: { id: eventId } })
      if (!source) throw new EventError('adminEvents.errors.notFound')
      const { id: _id, slug: _slug, icalUid: _uid, icalSequence: _sequence, createdAt: _created, updatedAt: _updated, status: _status, followUpsRecordedAt: _followUps, publishedAt: _published, ...content } = source
      const title = `${copyPrefix}${source.title}`.slice(0, 200)
      const slug = await uniqueSlug(tx, slugBase(title, source.startsAt, source.timeZone))
      const copy = await tx.event.create({
        data: {
          ...content,
          title,
          slug,
          status: 'DRAFT',
          icalUid: icalUid(),
          questions: content.questions ?? [],
          speakers: content.speakers ?? [],
          resources: content.resources ?? [],
        },
        select: { id: true, slug: true },
      })
      await recordAudit({ ...(await auditActor(tx, actor)), action: 'event.duplicate', entityType: 'Event', entityId: copy.id, data: { from: eventId, slug } }, tx)
      return copy
    }),
  )
}

/**
 * Moves a draft to published (or back), audited; a session of a series then gets its series members. The reminders
 * of its confirmed registrations are written (or cancelled) with it.
 */
export async function setEventPublished(eventId: number, published: boolean, actor: StaffActor): Promise<{ changed: boolean }> {
  const outcome = await changeWithLedger(async (tx, ledger) => {
    const from = published ? 'DRAFT' : 'PUBLISHED'
    const moved = await tx.event.updateMany({ where: { id: eventId, status: from }, data: { status: published ? 'PUBLISHED' : 'DRAFT' } })
    if (moved.count === 0) return { changed: false, seriesId: null }
    if (published) await tx.event.updateMany({ where: { id: eventId, publishedAt: null }, data: { publishedAt: new Date() } })
    await schedulePublication(tx, ledger, eventId, published, new Date())
    const event = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { seriesId: true } })
    await recordAudit({ ...(await auditActor(tx, actor)), action: published ? 'event.publish' : 'event.unpublish', entityType: 'Event', entityId: eventId }, tx)
    return { changed: true, seriesId: event.seriesId }
  })
  if (outcome.changed && published && outcome.seriesId !== null) await addSeriesMembersToEvent(eventId)
  return { changed: outcome.changed }
}

export type StaffEvent = NonNullable<Awaited<ReturnType<typeof getEventForStaff>>>

/** Everything staff see and edit of an event (join URL included). */
export async function getEventForStaff(eventId: number) {
  const event = await prisma.event.findUnique({ where: { id: eventId }, include: { series: { select: { id: true, title: true, slug: true } } } })
  if (!event) return null
  return { ...event, questions: readQuestions(event.questions), speakers: readSpeakers(event.speakers), resources: readResources(event.resources) }
}

/** The speakers stored on an event; anything unreadable is left out. */
export function readSpeakers(stored: unknown): Speaker[] {
  if (!Array.isArray(stored)) return []
  return stored.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return []
    const { name, role } = item as Record<string, unknown>
    if (typeof name !== 'string' || !name) return []
    return [typeof role === 'string' && role ? { name, role } : { name }]
  })
}

/** The series staff may attach an event to: cancelled ones left out. */
const seriesChoiceWhere = { status: { not: 'CANCELLED' } } satisfies Prisma.SeriesWhereInput

/** The series staff may attach an event to (cancelled ones left out). */
export function listSeriesChoices() {
  return prisma.series.findMany({ where: seriesChoiceWhere, orderBy: { title: 'asc' }, select: { id: true, title: true } })
}

export interface SessionDefaults {
  seriesId: number
  seriesTitle: string
  timeZone: string
  /** The latest session's kind and place, when the series has one: a new session is most often like the last. */
  latest: { kind: EventKind; venueName: string | null; venueAddress: string | null; accessNotes: string | null } | null
}

/**
 * What a new session of a series starts from (the "add a session" link of a series page): the series, its zone,
 * the kind and place of its latest session. Null when the id is not one of the series staff may choose.
 */
export async function seriesSessionDefaults(seriesId: number): Promise<SessionDefaults | null> {
  if (!Number.isSafeInteger(seriesId) || seriesId <= 0) return null
  const series = await prisma.series.findFirst({
    where: { id: seriesId, ...seriesChoiceWhere },
    select: {
      id: true,
      title: true,
      timeZone: true,
      events: { orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], take: 1, select: { kind: true, venueName: true, venueAddress: true, accessNotes: true } },
    },
  })
  if (!series) return null
  return { seriesId: series.id, seriesTitle: series.title, timeZone: series.timeZone, latest: series.events[0] ?? null }
}
