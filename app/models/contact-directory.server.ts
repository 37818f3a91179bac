// Owns the staff's contact directory: the searchable, filterable table (keyset pages by id, never OFFSET, so
// that page 1,000 costs what page 1 costs on a million contacts), the detail of one contact with its history,
// and the audited profile edit. The rules of profiles, subscriptions and erasure stay in their own models.
import { Prisma, type ActorType, type ContactStatus, type SubscriptionStatus } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { updateContactProfile, type ContactProfile } from '~/models/contact.server.ts'
import { prisma } from '~/utils/db.server.ts'

export type ContactFilter = {
  /** Part of the email, the name ("first last") or the organisation; case-insensitive. */
  search?: string
  listId?: number
  /** Status of the subscription to `listId` (or to any list when no list is chosen). */
  subscriptionStatus?: SubscriptionStatus
  status?: ContactStatus
  actorType?: ActorType
  territory?: string
}

export const CONTACTS_PAGE_SIZE = 50

/** LIKE treats % _ and \ as wildcards or escapes: a search for "50%" means the characters typed. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/**
 * The conditions of a filter. The three search expressions are exactly those of the pg_trgm GIN indexes of
 * migration 20261122040000_contact_search (Contact_email_trgm_idx, Contact_name_trgm_idx,
 * Contact_organization_trgm_idx): PostgreSQL only uses an expression index for the same expression.
 */
function conditions(filter: ContactFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = []
  const search = filter.search?.trim()
  if (search) {
    const pattern = likePattern(search)
    where.push(Prisma.sql`(c."email" LIKE ${pattern}
      OR lower(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')) LIKE ${pattern}
      OR lower(coalesce(c."organization", '')) LIKE ${pattern})`)
  }
  if (filter.status) where.push(Prisma.sql`c."status" = ${filter.status}::"ContactStatus"`)
  if (filter.actorType) where.push(Prisma.sql`c."actorType" = ${filter.actorType}::"ActorType"`)
  if (filter.territory?.trim()) where.push(Prisma.sql`c."territory" = ${filter.territory.trim()}`)
  if (filter.listId !== undefined || filter.subscriptionStatus) {
    const onList = filter.listId !== undefined ? Prisma.sql`AND s."listId" = ${filter.listId}` : Prisma.empty
    const inStatus = filter.subscriptionStatus ? Prisma.sql`AND s."status" = ${filter.subscriptionStatus}::"SubscriptionStatus"` : Prisma.empty
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Subscription" s WHERE s."contactId" = c."id" ${onList} ${inStatus})`)
  }
  return where
}

export type ContactRow = {
  id: number
  email: string | null
  firstName: string | null
  lastName: string | null
  organization: string | null
  actorType: ActorType | null
  territory: string | null
  status: ContactStatus
  createdAt: Date
}

/** One page of contacts, newest first; `before` is the id the previous page ended on. */
export async function searchContacts({ filter = {}, before, pageSize = CONTACTS_PAGE_SIZE }: { filter?: ContactFilter; before?: number; pageSize?: number }) {
  const where = conditions(filter)
  if (before !== undefined) where.push(Prisma.sql`c."id" < ${before}`)
  const rows = await prisma.$queryRaw<ContactRow[]>(Prisma.sql`
    SELECT c."id", c."email", c."firstName", c."lastName", c."organization", c."actorType", c."territory", c."status", c."createdAt"
    FROM "Contact" c
    ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty}
    ORDER BY c."id" DESC
    LIMIT ${pageSize + 1}`)
  const contacts = rows.slice(0, pageSize)
  return { contacts, nextBefore: rows.length > pageSize ? (contacts.at(-1)?.id ?? null) : null }
}

/** Everything staff may see about one contact: subscriptions, every consent record, emails, registrations. */
export async function getContactDetail(id: number) {
  const contact = await prisma.contact.findUnique({
    where: { id },
    include: {
      subscriptions: { include: { list: { select: { id: true, name: true, slug: true } } }, orderBy: { createdAt: 'asc' } },
      consentRecords: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
      outboundEmails: { orderBy: { id: 'desc' }, take: 100, select: { id: true, template: true, subject: true, status: true, createdAt: true, sentAt: true } },
      registrations: { orderBy: { createdAt: 'desc' }, include: { event: { select: { id: true, title: true, startsAt: true } } } },
    },
  })
  if (!contact) return null
  // Consent records keep list ids (a list may since have been renamed or archived): names are looked up once.
  const listIds = [...new Set(contact.consentRecords.flatMap((record) => record.listIds))]
  const lists = listIds.length > 0 ? await prisma.mailingList.findMany({ where: { id: { in: listIds } }, select: { id: true, name: true } }) : []
  const listNames = new Map(lists.map((list) => [list.id, list.name]))
  return {
    ...contact,
    consentRecords: contact.consentRecords.map((record) => ({
      ...record,
      id: record.id.toString(),
      lists: record.listIds.map((listId) => listNames.get(listId) ?? `#${listId}`),
    })),
    outboundEmails: contact.outboundEmails.map((email) => ({ ...email, id: email.id.toString() })),
  }
}

/** Staff edit a contact's profile; audited with the names of the fields that changed (not their values). */
export async function updateContactByStaff(id: number, profile: ContactProfile, staff: { id: number; email: string }): Promise<'saved' | 'not-found' | 'erased'> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.contact.findUnique({ where: { id } })
    if (!before) return 'not-found'
    if (before.status === 'ERASED') return 'erased'
    await updateContactProfile(id, profile, tx)
    const after = await tx.contact.findUniqueOrThrow({ where: { id } })
    const fields = (['firstName', 'lastName', 'organization', 'actorType', 'territory', 'locale'] as const).filter((field) => before[field] !== after[field])
    await recordAudit({ ...staffActor(staff), action: 'contact.update', entityType: 'Contact', entityId: id, data: { fields } }, tx)
    return 'saved'
  })
}
