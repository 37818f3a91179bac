// Owns what the public calendar files say and the add-to-calendar links: the feeds (/calendar.ics, one event's, one
// series'), published with the event's own UID and SEQUENCE and never a join link nor an attendee; the attendee's
// own .ics (their invite's UID and SEQUENCE, so later emailed updates replace it, with their personal join link);
// and the Google Calendar / Outlook.com links, which carry the event page, never a join link.
import type { Prisma } from '~/generated/prisma/client.ts'
import { type Locale } from '~/i18n.ts'
import { buildCalendar, type CalendarEventInput } from '~/utils/calendar.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { registrationManageUrl } from '~/utils/links.server.ts'
import { calendarFileCopy, eventPageUrl, inviteEventInput, inviteLocation, personLocale } from './event-invite.server.ts'
import { getOrganization } from './organization.server.ts'

/** Past events stay in /calendar.ics this long, so a subscribed calendar keeps recent history. */
export const feedPastDays = 90
/** At most this many events in one file: an instance may hold thousands; upcoming ones come first. */
export const feedCap = 1000

/** The columns a calendar file reads: joinUrl is deliberately absent. */
const feedEventSelect = {
  id: true,
  slug: true,
  kind: true,
  title: true,
  summary: true,
  startsAt: true,
  endsAt: true,
  timeZone: true,
  venueName: true,
  venueAddress: true,
  status: true,
  icalUid: true,
  icalSequence: true,
  updatedAt: true,
} satisfies Prisma.EventSelect

type FeedEvent = Prisma.EventGetPayload<{ select: typeof feedEventSelect }>

/** A calendar file ready to serve: its text and the name it is downloaded under. */
export interface CalendarFile {
  body: string
  filename: string
}

const day = 24 * 60 * 60 * 1000
/** Published events, and cancelled ones that were once published (a cancelled draft was never public). */
const publicEvents = { OR: [{ status: 'PUBLISHED' }, { status: 'CANCELLED', publishedAt: { not: null } }] } satisfies Prisma.EventWhereInput
const publicSeriesStatuses = { in: ['PUBLISHED', 'CANCELLED'] } satisfies Prisma.EnumEventStatusFilter

/**
 * Published and cancelled events matching `where`: every upcoming one (soonest first) up to the cap, then the past
 * ones since `pastSince` (latest first) in the room left, so a long history never pushes out what is coming.
 */
async function boundedEvents(where: Prisma.EventWhereInput, now: Date, pastSince: Date | null): Promise<FeedEvent[]> {
  const base = { AND: [where, publicEvents] }
  const upcoming = await prisma.event.findMany({ where: { ...base, endsAt: { gte: now } }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take: feedCap, select: feedEventSelect })
  const room = feedCap - upcoming.length
  const past =
    room > 0
      ? await prisma.event.findMany({
          where: { ...base, endsAt: { lt: now }, ...(pastSince ? { startsAt: { gte: pastSince } } : {}) },
          orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
          take: room,
          select: feedEventSelect,
        })
      : []
  return [...past.reverse(), ...upcoming]
}

/** DESCRIPTION of a public file and details of a public link: the summary, then the event page. */
function pageDescription(event: Pick<FeedEvent, 'slug' | 'summary'>, locale: Locale): string {
  return [event.summary.trim(), `${calendarFileCopy(locale).page} : ${eventPageUrl(event.slug)}`].filter(Boolean).join('\n\n')
}

/**
 * One event as a feed publishes it: the event's UID and SEQUENCE, its page as URL and in DESCRIPTION, STATUS
 * CANCELLED once cancelled (a subscribed calendar drops it). DTSTAMP is the last change, so the text (and its ETag)
 * only changes when the event does.
 */
function publishedEvent(event: FeedEvent, locale: Locale): CalendarEventInput {
  return {
    uid: event.icalUid,
    sequence: event.icalSequence,
    start: event.startsAt,
    end: event.endsAt,
    timeZone: event.timeZone,
    summary: event.title,
    description: pageDescription(event, locale),
    location: inviteLocation(event, locale),
    url: eventPageUrl(event.slug),
    status: event.status === 'CANCELLED' ? 'CANCELLED' : 'CONFIRMED',
    stamp: event.updatedAt,
  }
}

/** A feed in the organisation's language (calendar apps subscribe without cookies), named `name` (X-WR-CALNAME). */
async function feedFile(events: FeedEvent[], name: string | null, filename: string): Promise<CalendarFile> {
  const organization = await getOrganization()
  const locale = personLocale(organization.defaultLocale)
  const entries = events.map((event) => publishedEvent(event, locale))
  return { body: buildCalendar('PUBLISH', entries, { name: name ?? organization.name }), filename }
}

/** /calendar.ics: every published event from `feedPastDays` ago on, and the cancelled ones of that range (never drafts). */
export async function publicCalendarFile(now = new Date()): Promise<CalendarFile> {
  const events = await boundedEvents({}, now, new Date(now.getTime() - feedPastDays * day))
  return feedFile(events, null, 'evenements.ics')
}

/** One published (or cancelled) event's file; null for drafts and unknown slugs. */
export async function eventCalendarFile(slug: string): Promise<CalendarFile | null> {
  const event = await prisma.event.findFirst({ where: { slug, ...publicEvents }, select: feedEventSelect })
  if (!event) return null
  return feedFile([event], null, `${event.slug}.ics`)
}

/** Every published (or cancelled) session of a series, one VEVENT each with its own UID (no RRULE); null for drafts. */
export async function seriesCalendarFile(slug: string, now = new Date()): Promise<CalendarFile | null> {
  const series = await prisma.series.findFirst({ where: { slug, status: publicSeriesStatuses }, select: { id: true, slug: true, title: true } })
  if (!series) return null
  const events = await boundedEvents({ seriesId: series.id }, now, null)
  return feedFile(events, series.title, `${series.slug}.ics`)
}

/**
 * The attendee's own file, for a CONFIRMED registration to a published event only (null otherwise): their invite's
 * UID and SEQUENCE (an update emailed later replaces it), DESCRIPTION with the personal join link (online and
 * hybrid events), the management link and the page, in the attendee's language.
 */
export async function registrationCalendarFile(registrationId: number, now = new Date()): Promise<CalendarFile | null> {
  const registration = await prisma.registration.findUnique({ where: { id: registrationId }, include: { event: true } })
  if (!registration || registration.status !== 'CONFIRMED' || registration.event.status !== 'PUBLISHED') return null
  const { event } = registration
  const body = buildCalendar('PUBLISH', [inviteEventInput(event, registration, 'PUBLISH', await getOrganization(), now)])
  return { body, filename: `${event.slug}.ics` }
}

/** What the add-to-calendar links need of an event (public columns only). */
export type LinkEvent = Pick<FeedEvent, 'slug' | 'kind' | 'title' | 'summary' | 'startsAt' | 'endsAt' | 'timeZone' | 'venueName' | 'venueAddress'>

/** The links a page shows; null entries are left out. */
export interface CalendarLinks {
  google: string | null
  outlook: string | null
  ics: string
}

/** `20271104T111500Z`: the UTC basic format Google's `dates` takes. */
function googleDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
}

/** `2027-11-04T11:15:00Z`: Outlook.com's `startdt`/`enddt`. */
function outlookDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Spaces as %20 rather than `+`: Outlook.com shows a `+` literally in the subject and body. */
function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base)
  url.search = new URLSearchParams(params).toString().replace(/\+/g, '%20')
  return url.toString()
}

/** Google Calendar's "new event" page filled in (UTC times, shown in the event's zone). */
export function googleCalendarUrl(event: LinkEvent, details: string, locale: Locale): string {
  return withQuery('https://calendar.google.com/calendar/render', {
    action: 'TEMPLATE',
    text: event.title,
    dates: `${googleDate(event.startsAt)}/${googleDate(event.endsAt)}`,
    details,
    location: inviteLocation(event, locale),
    ctz: event.timeZone,
  })
}

/** Outlook.com's "new event" page filled in (UTC times). */
export function outlookCalendarUrl(event: LinkEvent, details: string, locale: Locale): string {
  return withQuery('https://outlook.live.com/calendar/0/deeplink/compose', {
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: outlookDate(event.startsAt),
    enddt: outlookDate(event.endsAt),
    body: details,
    location: inviteLocation(event, locale),
  })
}

/** The thank-you page's links: the summary and the page as details, the event's public .ics. */
export async function publicCalendarLinks(event: LinkEvent, locale: Locale): Promise<CalendarLinks> {
  const details = pageDescription(event, locale)
  return {
    google: googleCalendarUrl(event, details, locale),
    outlook: outlookCalendarUrl(event, details, locale),
    ics: `/events/${encodeURIComponent(event.slug)}/calendar.ics`,
  }
}

/**
 * The management page's links: Google and Outlook get the event page only (the personal join link stays out of a
 * third party's address), the .ics is the attendee's own (`token`: the page's signed management token).
 */
export function registrationCalendarLinks(event: LinkEvent, token: string, locale: Locale): CalendarLinks {
  const details = eventPageUrl(event.slug)
  return {
    google: googleCalendarUrl(event, details, locale),
    outlook: outlookCalendarUrl(event, details, locale),
    ics: registrationCalendarPath(token),
  }
}

/** The attendee's own .ics, next to their management page (`token`: that page's signed token). */
export function registrationCalendarPath(token: string): string {
  return `/registrations/${encodeURIComponent(token)}/calendar.ics`
}

/** The same for a registration known by id (a series page listing its sessions): signs a new management token. */
export function registrationCalendarPathOf(registrationId: number, now?: Date): string {
  return `${new URL(registrationManageUrl(registrationId, now)).pathname}/calendar.ics`
}
