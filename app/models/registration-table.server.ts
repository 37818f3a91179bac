// Owns the staff view of an event's registrations: the filter (statuses + search) shared by the table, the CSV export
// and the announcement's recipient count, one page of rows with their answers, counts by status, the CSV stream and
// the history of announcements. Changes to registrations themselves live in registration.server.ts.
import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { Prisma } from '~/generated/prisma/client.ts'
import { RegistrationStatus, type RegistrationSource, type Attendance } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { instantToWallClock } from '~/utils/wall-clock.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { readQuestions, type Answer, type EventQuestion } from './event-schema.ts'
import { neutraliseFormula, type ExportDelimiter } from './export.server.ts'
import { announceableStatuses, type AnnounceableStatus, type RegistrationFilter } from './registration-filter.ts'

export { readRegistrationFilter, registrationFilterParams, type RegistrationFilter } from './registration-filter.ts'

export const registrationPageSize = 50

/** Every word must be found in the first name, last name, email or organisation (case and accents as typed). */
export function registrationSearchWhere(q: string | undefined): Prisma.RegistrationWhereInput {
  const words = (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 6)
  if (words.length === 0) return {}
  return {
    AND: words.map((word) => ({
      OR: (['firstName', 'lastName', 'email', 'organization'] as const).map((field) => ({ [field]: { contains: word, mode: 'insensitive' as const } })),
    })),
  }
}

export function registrationWhere(eventId: number, filter: RegistrationFilter): Prisma.RegistrationWhereInput {
  return { eventId, ...(filter.statuses.length > 0 ? { status: { in: filter.statuses } } : {}), ...registrationSearchWhere(filter.q) }
}

/** The waitlist alone is shown in its serving order; otherwise in arrival order. */
function registrationOrder(filter: RegistrationFilter): Prisma.RegistrationOrderByWithRelationInput[] {
  if (filter.statuses.length === 1 && filter.statuses[0] === 'WAITLISTED') return [{ waitlistedAt: 'asc' }, { id: 'asc' }]
  return [{ createdAt: 'asc' }, { id: 'asc' }]
}

export type StaffEventSummary = NonNullable<Awaited<ReturnType<typeof getEventForRegistrations>>>

/** What the registrations, check-in and attendance pages show of the event, or null when it does not exist. */
export async function getEventForRegistrations(eventId: number) {
  const event = await prisma.event.findUnique({
    where: { id: eventId },
    select: { id: true, title: true, slug: true, kind: true, status: true, startsAt: true, endsAt: true, timeZone: true, capacity: true, waitlistEnabled: true, questions: true },
  })
  if (!event) return null
  const { questions, ...rest } = event
  return { ...rest, questions: readQuestions(questions) }
}

const rowSelect = {
  id: true,
  email: true,
  firstName: true,
  lastName: true,
  organization: true,
  actorType: true,
  territory: true,
  status: true,
  source: true,
  answers: true,
  waitlistedAt: true,
  attendance: true,
  checkedInAt: true,
  cancelledAt: true,
  createdAt: true,
} satisfies Prisma.RegistrationSelect

export type RegistrationRow = Prisma.RegistrationGetPayload<{ select: typeof rowSelect }> & { answers: Record<string, Answer>; waitlistPosition: number | null }

function readAnswers(stored: Prisma.JsonValue): Record<string, Answer> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {}
  const answers: Record<string, Answer> = {}
  for (const [key, value] of Object.entries(stored)) {
    if (typeof value === 'string' || typeof value === 'boolean') answers[key] = value
    else if (Array.isArray(value)) answers[key] = value.filter((item): item is string => typeof item === 'string')
  }
  return answers
}

/** Positions of these waitlisted registrations in the event's waitlist (1 = next to be promoted). */
async function waitlistPositions(eventId: number, rows: { id: number; status: RegistrationStatus }[]): Promise<Map<number, number>> {
  const ids = rows.filter((row) => row.status === 'WAITLISTED').map((row) => row.id)
  if (ids.length === 0) return new Map()
  const positions = await prisma.$queryRaw<{ id: number; position: bigint }[]>`
    SELECT id, position FROM (
      SELECT id, row_number() OVER (ORDER BY "waitlistedAt" ASC NULLS LAST, id ASC) AS position
      FROM "Registration" WHERE "eventId" = ${eventId} AND status = 'WAITLISTED'
    ) AS waitlist WHERE id = ANY(${ids})`
  return new Map(positions.map((row) => [row.id, Number(row.position)]))
}

/** One page of the filtered registrations (page numbers from 1; a page past the end shows the last one). */
export async function listRegistrations(eventId: number, filter: RegistrationFilter, requestedPage = 1): Promise<{ rows: RegistrationRow[]; total: number; page: number; pageCount: number }> {
  const where = registrationWhere(eventId, filter)
  const total = await prisma.registration.count({ where })
  const pageCount = Math.max(1, Math.ceil(total / registrationPageSize))
  const page = Math.min(Math.max(1, Number.isSafeInteger(requestedPage) ? requestedPage : 1), pageCount)
  const found = await prisma.registration.findMany({ where, orderBy: registrationOrder(filter), skip: (page - 1) * registrationPageSize, take: registrationPageSize, select: rowSelect })
  const positions = await waitlistPositions(eventId, found)
  return { rows: found.map((row) => ({ ...row, answers: readAnswers(row.answers), waitlistPosition: positions.get(row.id) ?? null })), total, page, pageCount }
}

/** How many registrations the event has in each status. */
export async function registrationStatusCounts(eventId: number): Promise<Record<RegistrationStatus, number>> {
  const groups = await prisma.registration.groupBy({ by: ['status'], where: { eventId }, _count: { _all: true } })
  const counts = Object.fromEntries(Object.values(RegistrationStatus).map((status) => [status, 0])) as Record<RegistrationStatus, number>
  for (const group of groups) counts[group.status] = group._count._all
  return counts
}

/** The statuses an announcement to this filter reaches: the filter's own (announceable ones only), or all three. */
export function announcementStatuses(filter: RegistrationFilter): AnnounceableStatus[] {
  const wanted = filter.statuses.length > 0 ? filter.statuses : announceableStatuses
  return announceableStatuses.filter((status) => wanted.includes(status))
}

/** How many people an announcement to this filter would reach (same rule as createAnnouncement). */
export async function announcementRecipientCount(eventId: number, filter: RegistrationFilter): Promise<number> {
  const statuses = announcementStatuses(filter)
  if (statuses.length === 0) return 0
  return prisma.registration.count({ where: registrationWhere(eventId, { statuses, q: filter.q }) })
}

/** Announcements already sent for this event, newest first. */
export function listAnnouncements(eventId: number) {
  return prisma.eventAnnouncement.findMany({
    where: { eventId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 50,
    select: { id: true, subject: true, recipientCount: true, createdAt: true },
  })
}

// ─── CSV export ────────────────────────────────────────────────────────────────────────────────────────────────

export const registrationCsvColumns = ['email', 'firstName', 'lastName', 'organization', 'actorType', 'territory', 'status', 'source', 'registeredAt', 'waitlistPosition', 'attendance', 'checkedInAt'] as const
export type RegistrationCsvColumn = (typeof registrationCsvColumns)[number]

export interface RegistrationCsvLabels {
  headers: Record<RegistrationCsvColumn, string>
  statuses: Record<RegistrationStatus, string>
  sources: Record<RegistrationSource, string>
  attendance: Record<Attendance, string>
  yes: string
  no: string
}

/** An answer as text: choices joined, yes/no in words. */
export function answerText(answer: Answer | undefined, labels: { yes: string; no: string }): string {
  if (answer === undefined) return ''
  if (typeof answer === 'boolean') return answer ? labels.yes : labels.no
  return Array.isArray(answer) ? answer.join(', ') : answer
}

function wallClock(date: Date | null, timeZone: string): string {
  if (!date) return ''
  const { date: day, time } = instantToWallClock(date, timeZone)
  return `${day} ${time}`
}

function csvRecord(row: RegistrationRow, questions: EventQuestion[], labels: RegistrationCsvLabels, timeZone: string): string[] {
  const values: Record<RegistrationCsvColumn, string> = {
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    organization: row.organization ?? '',
    actorType: row.actorType ?? '',
    territory: row.territory ?? '',
    status: labels.statuses[row.status],
    source: labels.sources[row.source],
    registeredAt: wallClock(row.createdAt, timeZone),
    waitlistPosition: row.waitlistPosition === null ? '' : String(row.waitlistPosition),
    attendance: row.status === 'CONFIRMED' ? labels.attendance[row.attendance] : '',
    checkedInAt: wallClock(row.checkedInAt, timeZone),
  }
  const cells = [...registrationCsvColumns.map((column) => values[column]), ...questions.map((question) => answerText(row.answers[question.id], labels))]
  return cells.map(neutraliseFormula)
}

async function* filteredRows(eventId: number, filter: RegistrationFilter): AsyncGenerator<RegistrationRow> {
  const where = registrationWhere(eventId, filter)
  const batch = 500
  for (let skip = 0; ; skip += batch) {
    const found = await prisma.registration.findMany({ where, orderBy: registrationOrder(filter), skip, take: batch, select: rowSelect })
    const positions = await waitlistPositions(eventId, found)
    for (const row of found) yield { ...row, answers: readAnswers(row.answers), waitlistPosition: positions.get(row.id) ?? null }
    if (found.length < batch) return
  }
}

/**
 * The filtered registrations as CSV (UTF-8 with a BOM for Excel, CRLF, formulas neutralised), one column per custom
 * question after the fixed ones; audited. Null when the event does not exist.
 */
export async function exportRegistrationsCsv(
  eventId: number,
  filter: RegistrationFilter,
  options: { labels: RegistrationCsvLabels; delimiter: ExportDelimiter },
  staff: { id: number; email: string },
): Promise<{ fileName: string; body: Readable } | null> {
  const event = await getEventForRegistrations(eventId)
  if (!event) return null
  await recordAudit({ ...staffActor(staff), action: 'event.registrations.export', entityType: 'Event', entityId: event.id, data: { statuses: filter.statuses, q: filter.q, delimiter: options.delimiter } })
  const { labels } = options
  const records = Readable.from(
    (async function* () {
      yield [...registrationCsvColumns.map((column) => labels.headers[column]), ...event.questions.map((question) => question.label)].map(neutraliseFormula)
      for await (const row of filteredRows(event.id, filter)) yield csvRecord(row, event.questions, labels, event.timeZone)
    })(),
  )
  const stringifier = stringify({ bom: true, delimiter: options.delimiter, record_delimiter: 'windows' })
  records.on('error', (error) => stringifier.destroy(error))
  return { fileName: `inscriptions-${event.slug}.csv`, body: records.pipe(stringifier) }
}

/** A short date and time in the event's zone for staff tables ("22/11/2026 09:15"); the zone is named once per page. */
export function staffDateTime(date: Date, locale: 'fr' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(date)
}

/** Only the time, for check-ins during the event. */
export function staffTime(date: Date, locale: 'fr' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeStyle: 'short', timeZone }).format(date)
}

/** The event id in a staff address, or null when it is not one. */
export function parseEventId(value: string | undefined): number | null {
  return value && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : null
}

/** The event a staff follow-up page is about (its `:id`), or a 404 with a French (or English) sentence. */
export async function requireEventForRegistrations(request: Request, id: string | undefined): Promise<StaffEventSummary> {
  const eventId = parseEventId(id)
  const event = eventId === null ? null : await getEventForRegistrations(eventId)
  if (event) return event
  const t = await i18next.getFixedT(request)
  throw new Response(t('adminRegistrations.eventNotFound'), { status: 404 })
}
