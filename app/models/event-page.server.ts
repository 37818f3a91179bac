// Owns what the public event pages read: published events (filters by kind, theme and series), past events with
// their replays, one event by slug, a series with its future sessions, a registration seen from its management link,
// and the public availability of each (seats left, waitlist, closed…). Public selections never include joinUrl.
import type { EventKind, Prisma } from '~/generated/prisma/client.ts'
import { formatDateTime, type Locale } from '~/i18n.ts'
import { prisma } from '~/utils/db.server.ts'
import { instantToWallClock } from '~/utils/wall-clock.ts'
import { eventKinds } from './event-public.ts'
import { readQuestions, type EventQuestion } from './event-schema.ts'
import { registrationState } from './registration.server.ts'
import { seatsLeftOf } from './registration-seats.server.ts'

/** Every column a public page may show. joinUrl is deliberately absent: it reaches attendees through their own link. */
export const publicEventSelect = {
  id: true,
  slug: true,
  kind: true,
  title: true,
  summary: true,
  description: true,
  startsAt: true,
  endsAt: true,
  timeZone: true,
  venueName: true,
  venueAddress: true,
  accessNotes: true,
  capacity: true,
  waitlistEnabled: true,
  approvalRequired: true,
  registrationOpensAt: true,
  registrationClosesAt: true,
  questions: true,
  speakers: true,
  tags: true,
  coverImageUrl: true,
  replayUrl: true,
  resources: true,
  status: true,
  series: { select: { slug: true, title: true, status: true } },
} satisfies Prisma.EventSelect

export type PublicEventRow = Prisma.EventGetPayload<{ select: typeof publicEventSelect }>

/** What the public is told about registering (serialisable; the pages turn it into a sentence). */
export type PublicAvailability =
  | { state: 'open'; seatsLeft: number | null }
  | { state: 'waitlist' }
  | { state: 'not-open'; opensAt: Date }
  | { state: 'closed' }
  | { state: 'cancelled' }
  | { state: 'full' }

type AvailabilityEvent = Pick<PublicEventRow, 'id' | 'status' | 'startsAt' | 'registrationOpensAt' | 'registrationClosesAt' | 'capacity' | 'waitlistEnabled'>

export async function eventAvailability(event: AvailabilityEvent, now = new Date()): Promise<PublicAvailability> {
  return (await eventsAvailability([event], now))[0]!
}

/**
 * The availability of many events (in their order) with one grouped count of confirmed registrations over all of
 * them, rather than a count per event: /events lists up to 100.
 */
export async function eventsAvailability(events: AvailabilityEvent[], now = new Date()): Promise<PublicAvailability[]> {
  const counted = events.filter((event) => event.status !== 'CANCELLED' && event.capacity !== null).map((event) => event.id)
  const groups =
    counted.length > 0
      ? await prisma.registration.groupBy({ by: ['eventId'], where: { eventId: { in: counted }, status: 'CONFIRMED' }, _count: { _all: true } })
      : []
  const confirmed = new Map(groups.map((group) => [group.eventId, group._count._all]))
  return events.map((event) => availabilityOf(event, seatsLeftOf(event, confirmed.get(event.id) ?? 0), now))
}

/** Pure: what the public is told, given the seats left (null: no limit). */
function availabilityOf(event: AvailabilityEvent, seatsLeft: number | null, now: Date): PublicAvailability {
  if (event.status === 'CANCELLED') return { state: 'cancelled' }
  const state = registrationState(event, { seatsLeft }, now)
  if (state.open) {
    if (state.seatsLeft !== null && state.seatsLeft <= 0) return state.waitlist ? { state: 'waitlist' } : { state: 'full' }
    return { state: 'open', seatsLeft: state.seatsLeft }
  }
  switch (state.reason) {
    case 'not-open':
      return event.registrationOpensAt ? { state: 'not-open', opensAt: event.registrationOpensAt } : { state: 'closed' }
    case 'cancelled':
      return { state: 'cancelled' }
    case 'full':
      return { state: 'full' }
    default:
      return { state: 'closed' }
  }
}

export interface PublicEventFilters {
  kind?: EventKind
  theme?: string
  series?: string
}

/** Reads the GET filters of /events; anything unknown is ignored rather than refused. */
export function readEventFilters(params: URLSearchParams): PublicEventFilters {
  const filters: PublicEventFilters = {}
  const kind = params.get('kind')
  if (kind && (eventKinds as readonly string[]).includes(kind)) filters.kind = kind as EventKind
  const theme = params.get('theme')?.trim()
  if (theme && theme.length <= 100) filters.theme = theme
  const series = params.get('series')?.trim()
  if (series && /^[a-z0-9-]{1,120}$/.test(series)) filters.series = series
  return filters
}

function filterWhere(filters: PublicEventFilters): Prisma.EventWhereInput {
  return {
    status: 'PUBLISHED',
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.theme ? { tags: { has: filters.theme } } : {}),
    ...(filters.series ? { series: { slug: filters.series } } : {}),
  }
}

const upcomingLimit = 100
const pastLimit = 30

/** Upcoming published events (not yet ended) with their availability, and past ones newest first. */
export async function listPublicEvents(filters: PublicEventFilters, now = new Date()) {
  const where = filterWhere(filters)
  const [upcoming, past] = await Promise.all([
    prisma.event.findMany({ where: { ...where, endsAt: { gte: now } }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take: upcomingLimit, select: publicEventSelect }),
    prisma.event.findMany({ where: { ...where, endsAt: { lt: now } }, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], take: pastLimit, select: publicEventSelect }),
  ])
  const availability = await eventsAvailability(upcoming, now)
  return { upcoming: upcoming.map((event, index) => ({ event, availability: availability[index]! })), past }
}

/** The choices of the /events filters: themes and series of published events (upcoming or with a past). */
export async function publicEventFilterChoices() {
  const [tagRows, series] = await Promise.all([
    prisma.$queryRaw<{ tag: string }[]>`SELECT DISTINCT unnest(tags) AS tag FROM "Event" WHERE status = 'PUBLISHED'`,
    prisma.series.findMany({ where: { status: 'PUBLISHED', events: { some: { status: 'PUBLISHED' } } }, orderBy: { title: 'asc' }, select: { slug: true, title: true } }),
  ])
  const themes = tagRows.map((row) => row.tag).sort((a, b) => a.localeCompare(b, 'fr'))
  return { themes, series }
}

/** A published or cancelled event by slug (drafts do not exist for the public). */
export async function getPublicEvent(slug: string) {
  const event = await prisma.event.findFirst({ where: { slug, status: { in: ['PUBLISHED', 'CANCELLED'] } }, select: publicEventSelect })
  return event ? { ...event, questions: readQuestions(event.questions), speakers: readSpeakers(event.speakers) } : null
}

export type PublicEvent = NonNullable<Awaited<ReturnType<typeof getPublicEvent>>>

/** A series by slug with its future published sessions and their availability; null for drafts. */
export async function getPublicSeries(slug: string, now = new Date()) {
  const series = await prisma.series.findFirst({
    where: { slug, status: { in: ['PUBLISHED', 'CANCELLED'] } },
    select: {
      id: true,
      slug: true,
      title: true,
      description: true,
      timeZone: true,
      status: true,
      events: { where: { status: { in: ['PUBLISHED', 'CANCELLED'] }, startsAt: { gt: now } }, orderBy: { startsAt: 'asc' }, select: publicEventSelect },
    },
  })
  if (!series) return null
  const availability = await eventsAvailability(series.events, now)
  return { ...series, sessions: series.events.map((event, index) => ({ event, availability: availability[index]! })) }
}

export interface Speaker {
  name: string
  role?: string
}

/** Speakers as stored (JSON); anything unreadable is left out. */
export function readSpeakers(stored: unknown): Speaker[] {
  if (!Array.isArray(stored)) return []
  return stored.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('name' in item) || typeof item.name !== 'string' || !item.name.trim()) return []
    const role = 'role' in item && typeof item.role === 'string' && item.role.trim() ? item.role.trim() : undefined
    return [role ? { name: item.name.trim(), role } : { name: item.name.trim() }]
  })
}

/** The public newsletters one may also ask for with the registration form's separate box. */
export function newsletterChoices() {
  return prisma.mailingList.findMany({ where: { isPublic: true, archivedAt: null }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { id: true, name: true } })
}

/** Whether `listId` is a public newsletter one may ask for from a registration form. */
export async function isNewsletterChoice(listId: number): Promise<boolean> {
  return (await prisma.mailingList.count({ where: { id: listId, isPublic: true, archivedAt: null } })) === 1
}

/** A registration as its management page shows it (with its event, never the join link). */
export async function getManagedRegistration(registrationId: number) {
  const registration = await prisma.registration.findUnique({
    where: { id: registrationId },
    select: {
      id: true,
      eventId: true,
      status: true,
      firstName: true,
      lastName: true,
      organization: true,
      territory: true,
      answers: true,
      waitlistedAt: true,
      event: { select: publicEventSelect },
    },
  })
  if (!registration || registration.event.status === 'DRAFT') return null
  const questions: EventQuestion[] = readQuestions(registration.event.questions)
  const position = registration.status === 'WAITLISTED' ? await waitlistPosition(registration.eventId, registration.id, registration.waitlistedAt) : null
  return { ...registration, questions, waitlistPosition: position }
}

/** 1-based place on the waitlist: served by waitlistedAt, then id (the order registration.server.ts promotes in). */
async function waitlistPosition(eventId: number, registrationId: number, waitlistedAt: Date | null): Promise<number> {
  const ahead = await prisma.registration.count({
    where: {
      eventId,
      status: 'WAITLISTED',
      id: { not: registrationId },
      ...(waitlistedAt ? { OR: [{ waitlistedAt: { lt: waitlistedAt } }, { waitlistedAt, id: { lt: registrationId } }] } : { id: { lt: registrationId } }),
    },
  })
  return ahead + 1
}

/** A series registration with its series and the sessions it holds a registration to. */
export async function getManagedSeriesRegistration(seriesRegistrationId: number) {
  return prisma.seriesRegistration.findUnique({
    where: { id: seriesRegistrationId },
    select: {
      id: true,
      status: true,
      firstName: true,
      lastName: true,
      series: { select: { slug: true, title: true, status: true } },
      registrations: {
        where: { event: { status: { in: ['PUBLISHED', 'CANCELLED'] } } },
        orderBy: { event: { startsAt: 'asc' } },
        select: { id: true, status: true, event: { select: { slug: true, title: true, startsAt: true, endsAt: true, timeZone: true, status: true } } },
      },
    },
  })
}

/** Start and end as the event's zone shows them, the zone named once (pages add the words around them). */
export function eventWhen(event: { startsAt: Date; endsAt: Date; timeZone: string }, locale: Locale) {
  const sameDay = instantToWallClock(event.startsAt, event.timeZone).date === instantToWallClock(event.endsAt, event.timeZone).date
  const endTime = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeStyle: 'short', timeZone: event.timeZone }).format(event.endsAt)
  return {
    startIso: event.startsAt.toISOString(),
    start: formatDateTime(event.startsAt, locale, event.timeZone),
    end: sameDay ? endTime : formatDateTime(event.endsAt, locale, event.timeZone),
    sameDay,
  }
}

export type EventWhenView = ReturnType<typeof eventWhen>

/** The availability as the pages show it (the opening date already written in the event's zone). */
export function availabilityView(availability: PublicAvailability, locale: Locale, timeZone: string) {
  if (availability.state === 'not-open') return { state: 'not-open' as const, opensAt: formatDateTime(availability.opensAt, locale, timeZone) }
  if (availability.state === 'open') return { state: 'open' as const, seatsLeft: availability.seatsLeft }
  return { state: availability.state }
}

export type AvailabilityView = ReturnType<typeof availabilityView>

/** One event as a card of /events, a series page or the home page. */
export function eventCardView(event: PublicEventRow, availability: PublicAvailability | null, locale: Locale) {
  return {
    slug: event.slug,
    title: event.title,
    summary: event.summary,
    kind: event.kind,
    tags: event.tags,
    when: eventWhen(event, locale),
    series: event.series && event.series.status !== 'DRAFT' ? { slug: event.series.slug, title: event.series.title } : null,
    replayUrl: event.replayUrl,
    availability: availability ? availabilityView(availability, locale, event.timeZone) : null,
  }
}

export type EventCardView = ReturnType<typeof eventCardView>
