// Owns mailing lists (the newsletters on offer): what the public may see of them, and how staff create, edit,
// archive and follow them (counts by status, growth). Every staff write is audited in its own transaction.
import { Prisma, type SubscriptionStatus } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { recordConsent } from '~/models/consent.server.ts'
import type { ListInput } from '~/models/list-schema.ts'
import { sendWelcomeEmails } from '~/models/subscription-mail.server.ts'
import { unsubscribe } from '~/models/subscription.server.ts'
import { isSuppressed } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'

export function listPublicLists() {
  return prisma.mailingList.findMany({
    where: { isPublic: true, archivedAt: null },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
  })
}

type Actor = { id: number; email: string }

export type StatusCounts = Record<SubscriptionStatus, number>

/** A refusal staff can act on; `field` names the form field it concerns. */
export class ListError extends Error {
  constructor(
    readonly messageKey: string,
    readonly field?: keyof ListInput,
  ) {
    super(messageKey)
  }
}

async function countsByList(listIds?: number[]): Promise<Map<number, StatusCounts>> {
  const groups = await prisma.subscription.groupBy({
    by: ['listId', 'status'],
    where: listIds ? { listId: { in: listIds } } : {},
    _count: { _all: true },
  })
  const counts = new Map<number, StatusCounts>()
  for (const group of groups) {
    const entry = counts.get(group.listId) ?? { PENDING: 0, CONFIRMED: 0, UNSUBSCRIBED: 0 }
    entry[group.status] = group._count._all
    counts.set(group.listId, entry)
  }
  return counts
}

const noCounts = (): StatusCounts => ({ PENDING: 0, CONFIRMED: 0, UNSUBSCRIBED: 0 })

/** Every list, archived ones last, with its subscriptions counted by status. */
export async function listListsForStaff() {
  const [lists, counts] = await Promise.all([
    prisma.mailingList.findMany({ orderBy: [{ archivedAt: { sort: 'asc', nulls: 'first' } }, { sortOrder: 'asc' }, { name: 'asc' }] }),
    countsByList(),
  ])
  return lists.map((list) => ({ ...list, counts: counts.get(list.id) ?? noCounts() }))
}

/** Lists as choices for filters and "add to list" menus (id and name only). */
export function listListChoices() {
  return prisma.mailingList.findMany({ select: { id: true, name: true, archivedAt: true }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] })
}

export const GROWTH_DAYS = 90

/**
 * Subscriptions confirmed per day over the last 90 days (those still confirmed), days counted in the
 * organisation's time zone; every day is present, zero included, oldest first.
 */
export async function confirmedPerDay(listId: number, timeZone: string, now = new Date()): Promise<{ day: string; count: number }[]> {
  const rows = await prisma.$queryRaw<{ day: string; count: bigint }[]>(Prisma.sql`
    SELECT to_char(("confirmedAt" AT TIME ZONE ${timeZone})::date, 'YYYY-MM-DD') AS day, count(*) AS count
    FROM "Subscription"
    WHERE "listId" = ${listId} AND status = 'CONFIRMED'
      AND "confirmedAt" >= ${new Date(now.getTime() - (GROWTH_DAYS + 1) * 86_400_000)}
    GROUP BY 1`)
  const byDay = new Map(rows.map((row) => [row.day, Number(row.count)]))
  const days: { day: string; count: number }[] = []
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  const cursor = new Date(`${today}T12:00:00Z`)
  for (let index = GROWTH_DAYS - 1; index >= 0; index--) {
    const day = new Date(cursor.getTime() - index * 86_400_000).toISOString().slice(0, 10)
    days.push({ day, count: byDay.get(day) ?? 0 })
  }
  return days
}

export async function getListForStaff(id: number, timeZone: string) {
  const list = await prisma.mailingList.findUnique({ where: { id } })
  if (!list) return null
  const [counts, growth] = await Promise.all([countsByList([id]), confirmedPerDay(id, timeZone)])
  return { ...list, counts: counts.get(id) ?? noCounts(), growth }
}

function listData(input: ListInput) {
  return {
    ...input,
    welcomeSubject: input.welcomeSubject || null,
    welcomeBody: input.welcomeBody || null,
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

async function slugTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw new ListError('adminLists.form.slugTaken', 'slug')
    throw error
  }
}

export async function createList(input: ListInput, staff: Actor): Promise<number> {
  return slugTaken(() =>
    prisma.$transaction(async (tx) => {
      const list = await tx.mailingList.create({ data: listData(input) })
      await recordAudit({ ...staffActor(staff), action: 'list.create', entityType: 'MailingList', entityId: list.id, data: { slug: list.slug, name: list.name } }, tx)
      return list.id
    }),
  )
}

/** Saves the form; the audit entry names the fields that changed, old and new values. */
export async function updateList(id: number, input: ListInput, staff: Actor): Promise<void> {
  await slugTaken(() =>
    prisma.$transaction(async (tx) => {
      const before = await tx.mailingList.findUnique({ where: { id } })
      if (!before) throw new ListError('adminLists.notFound')
      const data = listData(input)
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      for (const [key, value] of Object.entries(data)) {
        const previous = before[key as keyof typeof data]
        if (previous !== value) changes[key] = { from: previous, to: value }
      }
      await tx.mailingList.update({ where: { id }, data })
      await recordAudit({ ...staffActor(staff), action: 'list.update', entityType: 'MailingList', entityId: id, data: { changes } }, tx)
    }),
  )
}

/** Archived lists leave the public pages and menus; their subscriptions and history stay. */
export async function setListArchived(id: number, archived: boolean, staff: Actor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.mailingList.updateMany({ where: { id }, data: { archivedAt: archived ? new Date() : null } })
    if (count === 0) throw new ListError('adminLists.notFound')
    await recordAudit({ ...staffActor(staff), action: archived ? 'list.archive' : 'list.unarchive', entityType: 'MailingList', entityId: id }, tx)
  })
}

/**
 * Staff add a contact to a list (the person asked them, e.g. by phone): CONFIRMED at once, consent source STAFF
 * with the staff id, audited, then the list's welcome email. Refused for an erased contact and a suppressed
 * address (bounce, complaint, by hand: lift the suppression first). Returns false when already confirmed.
 */
export async function addToListByStaff(input: { contactId: number; listId: number }, staff: Actor): Promise<boolean> {
  const contact = await prisma.contact.findUnique({ where: { id: input.contactId }, select: { id: true, email: true, status: true } })
  if (!contact) throw new ListError('adminContacts.notFound')
  if (!contact.email || contact.status === 'ERASED') throw new ListError('adminContacts.alreadyErased')
  if (await isSuppressed(contact.email)) throw new ListError('adminContacts.suppressed')
  const now = new Date()
  const added = await prisma.$transaction(async (tx) => {
    const list = await tx.mailingList.findUnique({ where: { id: input.listId }, select: { id: true, archivedAt: true } })
    if (!list || list.archivedAt) throw new ListError('adminLists.notFound')
    const current = await tx.subscription.findUnique({ where: { contactId_listId: input }, select: { status: true } })
    if (current?.status === 'CONFIRMED') return false
    await tx.subscription.upsert({
      where: { contactId_listId: input },
      create: { ...input, status: 'CONFIRMED', confirmedAt: now },
      update: { status: 'CONFIRMED', confirmedAt: now, unsubscribedAt: null },
    })
    await tx.contact.updateMany({ where: { id: input.contactId, status: 'UNSUBSCRIBED' }, data: { status: 'ACTIVE' } })
    await recordConsent(tx, { contactId: input.contactId, action: 'SUBSCRIBE', listIds: [input.listId], source: 'STAFF', channel: 'admin', sourceRef: String(staff.id) })
    await recordAudit({ ...staffActor(staff), action: 'contact.subscribe', entityType: 'Contact', entityId: input.contactId, data: { listId: input.listId } }, tx)
    return true
  })
  if (added) await sendWelcomeEmails(input.contactId, [input.listId])
  return added
}

/** Staff take a contact off a list: the subscription model's unsubscribe (consent source STAFF), then audited. */
export async function removeFromListByStaff(input: { contactId: number; listId: number }, staff: Actor): Promise<boolean> {
  const { changed } = await unsubscribe({ contactId: input.contactId, listIds: [input.listId], source: 'STAFF', channel: 'admin', sourceRef: String(staff.id) })
  if (changed > 0) {
    // After the unsubscribe's own transaction: the subscription model owns it, and the consent record is the proof.
    await recordAudit({ ...staffActor(staff), action: 'contact.unsubscribe', entityType: 'Contact', entityId: input.contactId, data: { listId: input.listId } })
  }
  return changed > 0
}
