// Owns CSV exports of contacts (a list's subscribers, a segment's contacts): read in keyset batches and streamed
// through csv-stringify, so that a million rows never sit in memory; RFC 4180 quoting and CRLF line ends; UTF-8
// with a BOM so that Excel shows accents; every cell that a spreadsheet would run as a formula neutralised.
// Actor types and statuses are written as their codes (ELECTED_OFFICIAL, CONFIRMED…): stable whatever the
// language, and read back as they are by the import.
import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { recordAudit, staffActor } from './audit.server.ts'
import { getSegment, segmentWhere } from './segment.server.ts'

export const exportColumns = ['email', 'firstName', 'lastName', 'organization', 'actorType', 'territory', 'locale', 'status', 'subscriptionStatus', 'subscribedAt', 'createdAt'] as const
export type ExportColumn = (typeof exportColumns)[number]
export type ExportDelimiter = ',' | ';'

const batchSize = 1000

/**
 * A cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe,
 * which Excel and LibreOffice show as text (OWASP "CSV injection").
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

type ContactFields = {
  id: number
  email: string | null
  firstName: string | null
  lastName: string | null
  organization: string | null
  actorType: string | null
  territory: string | null
  locale: string
  status: string
  createdAt: Date
}

const contactSelect = {
  id: true,
  email: true,
  firstName: true,
  lastName: true,
  organization: true,
  actorType: true,
  territory: true,
  locale: true,
  status: true,
  createdAt: true,
} satisfies Prisma.ContactSelect

type ExportRow = { contact: ContactFields; subscriptionStatus?: string; subscribedAt?: Date | null }

function toRecord(row: ExportRow): string[] {
  const { contact } = row
  const values: Record<ExportColumn, string> = {
    email: contact.email ?? '',
    firstName: contact.firstName ?? '',
    lastName: contact.lastName ?? '',
    organization: contact.organization ?? '',
    actorType: contact.actorType ?? '',
    territory: contact.territory ?? '',
    locale: contact.locale,
    status: contact.status,
    subscriptionStatus: row.subscriptionStatus ?? '',
    subscribedAt: row.subscribedAt ? row.subscribedAt.toISOString() : '',
    createdAt: contact.createdAt.toISOString(),
  }
  return exportColumns.map((column) => neutraliseFormula(values[column]))
}

/** A list's current subscribers (confirmed and awaiting confirmation), by contact id. */
async function* listRows(listId: number): AsyncGenerator<ExportRow> {
  for (let after = 0; ; ) {
    const page = await prisma.subscription.findMany({
      where: { listId, status: { in: ['CONFIRMED', 'PENDING'] }, contactId: { gt: after }, contact: { email: { not: null } } },
      orderBy: { contactId: 'asc' },
      take: batchSize,
      select: { contactId: true, status: true, confirmedAt: true, createdAt: true, contact: { select: contactSelect } },
    })
    for (const subscription of page) yield { contact: subscription.contact, subscriptionStatus: subscription.status, subscribedAt: subscription.confirmedAt ?? subscription.createdAt }
    const last = page.at(-1)
    if (!last || page.length < batchSize) return
    after = last.contactId
  }
}

async function* contactRows(where: Prisma.ContactWhereInput): AsyncGenerator<ExportRow> {
  for (let after = 0; ; ) {
    const page = await prisma.contact.findMany({ where: { AND: [where, { id: { gt: after } }] }, orderBy: { id: 'asc' }, take: batchSize, select: contactSelect })
    for (const contact of page) yield { contact }
    const last = page.at(-1)
    if (!last || page.length < batchSize) return
    after = last.id
  }
}

/** The CSV text of the rows, header first (its labels given by the caller, in the staff member's language). */
function csvStream(rows: AsyncGenerator<ExportRow>, headers: Record<ExportColumn, string>, delimiter: ExportDelimiter): Readable {
  const records = Readable.from(
    (async function* () {
      yield exportColumns.map((column) => neutraliseFormula(headers[column]))
      for await (const row of rows) yield toRecord(row)
    })(),
  )
  // csv-stringify quotes a cell holding the delimiter, a quote or a line break, and doubles inner quotes (RFC 4180).
  const stringifier = stringify({ bom: true, delimiter, record_delimiter: 'windows' })
  records.on('error', (error) => stringifier.destroy(error))
  return records.pipe(stringifier)
}

type Staff = { id: number; email: string }
type ExportOptions = { headers: Record<ExportColumn, string>; delimiter: ExportDelimiter }

/** A list's subscribers as CSV (audited), or null when the list does not exist. */
export async function exportListCsv(listId: number, options: ExportOptions, staff: Staff): Promise<{ fileName: string; body: Readable } | null> {
  const list = await prisma.mailingList.findUnique({ where: { id: listId }, select: { id: true, slug: true } })
  if (!list) return null
  await recordAudit({ ...staffActor(staff), action: 'list.export', entityType: 'MailingList', entityId: list.id, data: { delimiter: options.delimiter } })
  return { fileName: `liste-${list.slug}.csv`, body: csvStream(listRows(list.id), options.headers, options.delimiter) }
}

/** A segment's contacts as CSV (audited), or null when the segment does not exist. */
export async function exportSegmentCsv(segmentId: number, options: ExportOptions, staff: Staff): Promise<{ fileName: string; body: Readable } | null> {
  const segment = await getSegment(segmentId)
  if (!segment) return null
  await recordAudit({ ...staffActor(staff), action: 'segment.export', entityType: 'Segment', entityId: segment.id, data: { delimiter: options.delimiter } })
  return { fileName: `segment-${segment.id}.csv`, body: csvStream(contactRows(segmentWhere(segment.filter)), options.headers, options.delimiter) }
}
