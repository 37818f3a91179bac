// Owns series (cycles such as "Les Jeudis de l'ODD 17") on the staff side: their details, the staff overview of
// their sessions and registrations, and session generation from a weekly/monthly rule. Sessions are created one by
// one through createEvent (which registers series members to published ones), never twice at the same start.
import { createHash } from 'node:crypto'
import { Prisma } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { eventAttendance, seriesAttendance, type AttendanceStats } from '~/models/attendance.server.ts'
import { createEvent, sanitizeEventDescription } from '~/models/event.server.ts'
import { cancelSeriesRegistration } from '~/models/registration.server.ts'
import { generateSessionDates, type PlannedSession, type SessionPlan } from '~/models/series-rule.ts'
import type { GenerationInput, SeriesInput, SessionTemplate } from '~/models/series-schema.ts'
import { zoneLabel, type Locale } from '~/i18n.ts'
import { prisma } from '~/utils/db.server.ts'

export { generateSessionDates }

type Actor = { id: number; email: string }

/** A refusal staff can act on; `field` names the form field it concerns. */
export class SeriesError extends Error {
  constructor(
    readonly messageKey: string,
    readonly field?: keyof SeriesInput,
  ) {
    super(messageKey)
  }
}

function seriesData(input: SeriesInput) {
  return { title: input.title, slug: input.slug, description: sanitizeEventDescription(input.description), timeZone: input.timeZone, status: input.status }
}

async function slugTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new SeriesError('adminSeries.errors.slugTaken', 'slug')
    throw error
  }
}

export async function createSeries(input: SeriesInput, staff: Actor): Promise<number> {
  return slugTaken(() =>
    prisma.$transaction(async (tx) => {
      const series = await tx.series.create({ data: seriesData(input) })
      await recordAudit({ ...staffActor(staff), action: 'series.create', entityType: 'Series', entityId: series.id, data: { slug: series.slug, title: series.title, status: series.status } }, tx)
      return series.id
    }),
  )
}

/** Saves the details form; the audit entry names the fields that changed, old and new values. */
export async function updateSeries(id: number, input: SeriesInput, staff: Actor): Promise<void> {
  await slugTaken(() =>
    prisma.$transaction(async (tx) => {
      const before = await tx.series.findUnique({ where: { id } })
      if (!before) throw new SeriesError('adminSeries.notFound')
      const data = seriesData(input)
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      for (const [key, value] of Object.entries(data)) {
        const previous = before[key as keyof typeof data]
        if (previous !== value) changes[key] = { from: previous, to: value }
      }
      await tx.series.update({ where: { id }, data })
      await recordAudit({ ...staffActor(staff), action: 'series.update', entityType: 'Series', entityId: id, data: { changes } }, tx)
    }),
  )
}

/** Every series, newest first, with its session count, next session and active registrations. */
export async function listSeries(now = new Date()) {
  const series = await prisma.series.findMany({
    orderBy: { createdAt: 'desc' },
    include: {
      _count: { select: { events: true, registrations: { where: { status: { in: ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] } } } } },
      events: { where: { startsAt: { gte: now }, status: { not: 'CANCELLED' } }, orderBy: { startsAt: 'asc' }, take: 1, select: { startsAt: true } },
    },
  })
  return series.map(({ _count, events, ...rest }) => ({ ...rest, sessionCount: _count.events, registrationCount: _count.registrations, nextSessionAt: events[0]?.startsAt ?? null }))
}

/** The few fields a page about a series names it with; null when it does not exist. */
export function findSeriesHeading(id: number) {
  return prisma.series.findUnique({ where: { id }, select: { id: true, title: true, slug: true, timeZone: true } })
}

/** The series with its sessions in date order, each with its confirmed count. */
export async function getSeriesForStaff(id: number) {
  const series = await prisma.series.findUnique({
    where: { id },
    include: { events: { orderBy: { startsAt: 'asc' }, select: { id: true, slug: true, title: true, startsAt: true, endsAt: true, timeZone: true, status: true, capacity: true, kind: true } } },
  })
  if (!series) return null
  const groups = series.events.length
    ? await prisma.registration.groupBy({ by: ['eventId'], where: { eventId: { in: series.events.map((event) => event.id) }, status: 'CONFIRMED' }, _count: { _all: true } })
    : []
  const confirmed = new Map(groups.map((group) => [group.eventId, group._count._all]))
  const { events, ...rest } = series
  return { ...rest, sessions: events.map((event) => ({ ...event, confirmed: confirmed.get(event.id) ?? 0 })) }
}

/** Attendance over the series' past sessions, and per session. */
export async function seriesAttendanceOverview(seriesId: number, sessionIds: number[], now = new Date()): Promise<{ series: AttendanceStats; sessions: Map<number, AttendanceStats> }> {
  const [series, sessions] = await Promise.all([seriesAttendance(seriesId, now), eventAttendance(sessionIds, now)])
  return { series, sessions }
}

/** Registrations to the whole series, newest first. */
export function listSeriesRegistrations(seriesId: number) {
  return prisma.seriesRegistration.findMany({
    where: { seriesId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, firstName: true, lastName: true, email: true, organization: true, status: true, createdAt: true, cancelledAt: true },
  })
}

/** Staff cancel a series registration: its future sessions are cancelled too (past ones keep their attendance), audited. */
export async function cancelSeriesRegistrationByStaff(seriesId: number, seriesRegistrationId: number, staff: Actor, now = new Date()): Promise<{ cancelledSessions: number } | null> {
  const registration = await prisma.seriesRegistration.findFirst({ where: { id: seriesRegistrationId, seriesId }, select: { id: true, status: true } })
  if (!registration) return null
  // The core writes the audit entry ('series-registration.cancel', with seriesId and cancelledSessions) inside its
  // own transaction, so the entry stands or falls with the cancellation.
  return cancelSeriesRegistration(registration.id, now, { staffUserId: staff.id })
}

/** "jeudi 2 septembre 2027, 12:15–13:00 (heure d’été d’Europe centrale)": the session's date and times in its zone, named. */
export function formatSessionWhen(startsAt: Date, endsAt: Date, locale: Locale, timeZone: string): string {
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB'
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'full', timeZone }).format(startsAt)
  const clock = new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone })
  const sameDay = day === new Intl.DateTimeFormat(tag, { dateStyle: 'full', timeZone }).format(endsAt)
  const end = sameDay ? clock.format(endsAt) : new Intl.DateTimeFormat(tag, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(endsAt)
  return `${day}, ${clock.format(startsAt)}–${end} (${zoneLabel(startsAt, locale, timeZone)})`
}

/** A local date ("2027-10-21") as "jeudi 21 octobre 2027". */
export function formatLocalDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`))
}

/** Identifies what a preview showed, so that a confirmation creates exactly the previewed sessions. */
export function generationDigest(input: GenerationInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 22)
}

// --- Session generation --------------------------------------------------------------------------------------

export interface SessionPreview extends PlannedSession {
  title: string
  /** A session of this series already starts at this instant: it is left as it is. */
  exists: boolean
}

export interface GenerationPreview extends Omit<SessionPlan, 'sessions'> {
  timeZone: string
  sessions: SessionPreview[]
}

const titleDate = (timeZone: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeZone })

/** The session title from the pattern: {{n}} its number among the series' sessions, {{date}}, {{cycle}}. */
export function sessionTitle(pattern: string, values: { n: number; startsAt: Date; timeZone: string; seriesTitle: string }): string {
  return pattern
    .replace(/\{\{\s*n\s*\}\}/g, String(values.n))
    .replace(/\{\{\s*date\s*\}\}/g, titleDate(values.timeZone).format(values.startsAt))
    .replace(/\{\{\s*cycle\s*\}\}/g, values.seriesTitle)
    .slice(0, 200)
}

async function previewFor(series: { id: number; title: string; timeZone: string }, input: GenerationInput, db: Prisma.TransactionClient | typeof prisma): Promise<GenerationPreview> {
  const plan = generateSessionDates(input.rule, series.timeZone)
  const existing = await db.event.findMany({ where: { seriesId: series.id }, select: { startsAt: true } })
  const taken = new Set(existing.map((event) => event.startsAt.getTime()))
  // Numbers follow the date order of every session the series will have (existing ones and the new ones).
  const starts = [...new Set([...taken, ...plan.sessions.map((session) => session.startsAt.getTime())])].sort((a, b) => a - b)
  const sessions = plan.sessions.map((session) => ({
    ...session,
    exists: taken.has(session.startsAt.getTime()),
    title: sessionTitle(input.template.titlePattern, { n: starts.indexOf(session.startsAt.getTime()) + 1, startsAt: session.startsAt, timeZone: series.timeZone, seriesTitle: series.title }),
  }))
  return { ...plan, sessions, timeZone: series.timeZone }
}

/** What a rule would create for this series (nothing written); null when the series does not exist. */
export async function previewSessions(seriesId: number, input: GenerationInput): Promise<GenerationPreview | null> {
  const series = await prisma.series.findUnique({ where: { id: seriesId }, select: { id: true, title: true, timeZone: true } })
  return series ? previewFor(series, input, prisma) : null
}

function eventInput(session: SessionPreview, template: SessionTemplate, series: { id: number; timeZone: string }) {
  return {
    kind: template.kind,
    title: session.title,
    summary: template.summary ?? '',
    description: '',
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    timeZone: series.timeZone,
    venueName: template.venueName,
    venueAddress: template.venueAddress,
    accessNotes: template.accessNotes,
    joinUrl: template.joinUrl,
    capacity: template.capacity,
    waitlistEnabled: template.waitlistEnabled,
    approvalRequired: false,
    registrationOpensAt: null,
    registrationClosesAt: null,
    questions: [],
    speakers: [],
    tags: [],
    coverImageUrl: null,
    status: template.status,
    seriesId: series.id,
  }
}

export type GenerationResult = { preview: GenerationPreview; created: { id: number; startsAt: Date }[] }

/**
 * Creates the sessions of a rule in date order through createEvent, skipping every date where a session of this
 * series already starts at the same instant. Two generations of one series run one after the other (an advisory
 * lock per series), so a double submission creates nothing twice. Null when the series does not exist.
 */
export async function createSessions(seriesId: number, input: GenerationInput, staff: Actor): Promise<GenerationResult | null> {
  return prisma.$transaction(
    async (tx) => {
      // An advisory lock rather than a row lock: createEvent (and the series fan-out it calls) may lock the series
      // row itself from its own connection, which would then wait for this transaction forever.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('relais.series.generate'), ${seriesId}::int)`
      const series = await tx.series.findUnique({ where: { id: seriesId }, select: { id: true, title: true, timeZone: true } })
      if (!series) return null
      const preview = await previewFor(series, input, tx)
      const created: { id: number; startsAt: Date }[] = []
      for (const session of preview.sessions) {
        if (session.exists) continue
        const event = await createEvent(eventInput(session, input.template, series), { staffUserId: staff.id })
        created.push({ id: event.id, startsAt: session.startsAt })
      }
      await recordAudit(
        {
          ...staffActor(staff),
          action: 'series.generate',
          entityType: 'Series',
          entityId: series.id,
          data: {
            rule: input.rule,
            template: { ...input.template, joinUrl: input.template.joinUrl ? '(lien)' : null },
            created: created.map((session) => session.id),
            alreadyThere: preview.sessions.filter((session) => session.exists).map((session) => session.date),
            nonexistent: preview.nonexistent,
          },
        },
        tx,
      )
      return { preview, created }
    },
    // Up to 60 sessions, each created (and its series members registered) by createEvent. A failure part-way keeps
    // the sessions already created (each createEvent commits on its own, audited); submitting again resumes.
    { timeout: 300_000, maxWait: 30_000 },
  )
}
