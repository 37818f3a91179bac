// Owns the public archive of newsletters: which sent campaigns it shows (sent, with a slug, not a template, compiled
// for the archive, and every one of its lists still allowing it: a list that opts out hides its issues, also those
// already sent), their pages cut by (sent date, id), and the web version kept in each campaign's snapshot. The web
// version holds no personal data: merge fields are replaced by their fallbacks and personal links left out at
// compile time (emails/campaign/compiled.ts).
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'

const visible = {
  status: 'SENT',
  slug: { not: null },
  isTemplate: false,
  finishedAt: { not: null },
  snapshot: { path: ['inArchive'], equals: true },
  lists: { some: {}, every: { list: { inArchive: true } } },
} satisfies Prisma.CampaignWhereInput

/** The part of a stored CompiledCampaign the archive reads (checked: the snapshot is JSON from the database). */
const archivedSnapshot = z.object({ archive: z.object({ subject: z.string(), html: z.string(), text: z.string() }) })

const summarySelect = {
  id: true,
  slug: true,
  subject: true,
  finishedAt: true,
  lists: { select: { list: { select: { id: true, name: true } } }, orderBy: { list: { name: 'asc' } } },
} satisfies Prisma.CampaignSelect

export interface ArchiveIssueSummary {
  slug: string
  subject: string
  sentAt: Date
  lists: Array<{ id: number; name: string }>
}

type SummaryRow = Prisma.CampaignGetPayload<{ select: typeof summarySelect }>

function summary(row: SummaryRow, subject: string | undefined): ArchiveIssueSummary {
  return { slug: row.slug!, subject: subject ?? row.subject, sentAt: row.finishedAt!, lists: row.lists.map((entry) => entry.list) }
}

/**
 * The web version's subject of each issue (merge fields replaced by their fallbacks: Campaign.subject may still
 * hold `{{prenom}}`), read from the snapshot without loading its whole HTML.
 */
async function archiveSubjects(ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await prisma.$queryRaw<Array<{ id: number; subject: string | null }>>`
    SELECT "id", "snapshot" #>> '{archive,subject}' AS "subject" FROM "Campaign" WHERE "id" = ANY(${ids}::int[])`
  return new Map(rows.flatMap((row) => (row.subject === null ? [] : [[row.id, row.subject] as const])))
}

/** The day an issue went out, in the organisation's time zone ("12 mars 2026"). */
export function formatSentDay(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone }).format(date)
}

/** Where a page starts: just after the issue sent at `sentAt` with this id (newest first). */
export interface ArchiveCursor {
  sentAt: Date
  id: number
}

export function formatArchiveCursor(cursor: ArchiveCursor): string {
  return `${cursor.sentAt.getTime()}.${cursor.id}`
}

export function parseArchiveCursor(text: string | null): ArchiveCursor | null {
  const match = text ? /^(\d{1,15})\.(\d{1,10})$/.exec(text) : null
  return match ? { sentAt: new Date(Number(match[1])), id: Number(match[2]) } : null
}

/** One page of the archive, newest first, optionally for one list; `next` continues it. */
export async function listArchiveIssues(input: { listId?: number; after?: ArchiveCursor | null; pageSize?: number } = {}) {
  const pageSize = input.pageSize ?? 20
  const after = input.after
  const rows = await prisma.campaign.findMany({
    where: {
      AND: [
        visible,
        input.listId === undefined ? {} : { lists: { some: { listId: input.listId } } },
        after ? { OR: [{ finishedAt: { lt: after.sentAt } }, { finishedAt: after.sentAt, id: { lt: after.id } }] } : {},
      ],
    },
    orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
    take: pageSize + 1,
    select: summarySelect,
  })
  const page = rows.slice(0, pageSize)
  const last = page.at(-1)
  const next = rows.length > pageSize && last ? formatArchiveCursor({ sentAt: last.finishedAt!, id: last.id }) : null
  const subjects = await archiveSubjects(page.map((row) => row.id))
  return { items: page.map((row) => summary(row, subjects.get(row.id))), next }
}

/** The lists a visitor may filter the archive by: those that allow it and have at least one issue in it. */
export async function listArchiveLists(): Promise<Array<{ id: number; name: string }>> {
  return prisma.mailingList.findMany({
    where: { inArchive: true, campaigns: { some: { campaign: visible } } },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
    select: { id: true, name: true },
  })
}

export interface ArchiveIssue extends ArchiveIssueSummary {
  html: string
  text: string
}

/** The web version of one issue, or null when the slug is unknown or the issue is not (or no longer) public. */
export async function findArchiveIssue(slug: string): Promise<ArchiveIssue | null> {
  const row = await prisma.campaign.findFirst({ where: { AND: [visible, { slug }] }, select: { ...summarySelect, snapshot: true } })
  const parsed = row ? archivedSnapshot.safeParse(row.snapshot) : null
  if (!row || !parsed?.success) return null
  const { archive } = parsed.data
  return { ...summary(row, archive.subject), html: archive.html, text: archive.text }
}

/** The latest issues with their text version, for the RSS feed. */
export async function latestArchiveIssues(count = 20): Promise<ArchiveIssue[]> {
  const rows = await prisma.campaign.findMany({
    where: visible,
    orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
    take: count,
    select: { ...summarySelect, snapshot: true },
  })
  return rows.flatMap((row) => {
    const parsed = archivedSnapshot.safeParse(row.snapshot)
    return parsed.success ? [{ ...summary(row, parsed.data.archive.subject), html: parsed.data.archive.html, text: parsed.data.archive.text }] : []
  })
}
