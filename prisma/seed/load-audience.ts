// Owns writing the demo organisation and audience: organisation row, default sender, newsletters, consent texts,
// contacts with their subscriptions and consent records, suppressions for bounced addresses. Insert-only: a row
// that already exists (same id, slug, email or hash) is left exactly as it is.
import { createHash } from 'node:crypto'
import type { ConsentSource, Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { consentWordings, demoLists, demoOrganization, demoSender, type ListSlug } from './catalog.ts'
import { demoContacts, type DemoContact } from './people.ts'

const DAY_MS = 86_400_000
export const importFileName = 'contacts-rencontres-du-reseau.csv'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export interface AudienceReport {
  listIds: Record<ListSlug, number>
  contactsAdded: number
  contactsKept: number
}

/** The organisation row, the default sender, the newsletters and the consent texts; returns list ids by slug. */
async function loadSettings(): Promise<{ listIds: Record<ListSlug, number>; hashes: Record<keyof typeof consentWordings, string> }> {
  await prisma.organization.upsert({ where: { id: 1 }, create: { id: 1, ...demoOrganization }, update: {} })
  // The demo sender becomes the default only when nobody chose one already.
  const hasDefault = (await prisma.senderIdentity.count({ where: { isDefault: true } })) > 0
  await prisma.senderIdentity.upsert({
    where: { email: demoSender.email },
    create: { ...demoSender, isDefault: !hasDefault },
    update: {},
  })
  const listIds = {} as Record<ListSlug, number>
  for (const list of demoLists) {
    const row = await prisma.mailingList.upsert({ where: { slug: list.slug }, create: list, update: {}, select: { id: true } })
    listIds[list.slug] = row.id
  }
  const hashes = {} as Record<keyof typeof consentWordings, string>
  for (const [key, body] of Object.entries(consentWordings) as [keyof typeof consentWordings, string][]) {
    hashes[key] = sha256(body)
    await prisma.consentText.upsert({
      where: { hash: hashes[key] },
      create: { hash: hashes[key], locale: key.endsWith('En') ? 'en' : 'fr', body },
      update: {},
    })
  }
  return { listIds, hashes }
}

/** The import batch the imported demo contacts came from (created once). */
async function importBatchId(listIds: Record<ListSlug, number>, contacts: DemoContact[]): Promise<number> {
  const existing = await prisma.importBatch.findFirst({ where: { fileName: importFileName }, select: { id: true } })
  if (existing) return existing.id
  const imported = contacts.filter((contact) => contact.subscriptions.some((s) => s.source === 'IMPORT')).length
  const batch = await prisma.importBatch.create({
    data: {
      fileName: importFileName,
      listIds: Object.values(listIds),
      mapping: { email: 'Courriel', firstName: 'Prénom', lastName: 'Nom', organization: 'Structure', territory: 'Département' },
      status: 'DONE',
      totalRows: imported,
      processed: imported,
      imported,
      finishedAt: new Date(Date.now() - 400 * DAY_MS),
    },
    select: { id: true },
  })
  return batch.id
}

/** One contact as Prisma's nested create: the person, their subscriptions, and the proof of each consent. */
function contactData(
  contact: DemoContact,
  listIds: Record<ListSlug, number>,
  hashes: Record<keyof typeof consentWordings, string>,
  batchId: number,
  now: Date,
): Prisma.ContactCreateInput {
  const joinedAt = new Date(now.getTime() - contact.joinedDaysAgo * DAY_MS)
  const confirmedAt = new Date(joinedAt.getTime() + 20 * 60_000)
  const leftAt = new Date(joinedAt.getTime() + Math.ceil(contact.joinedDaysAgo / 2) * DAY_MS)
  const consentRecords: Prisma.ConsentRecordCreateWithoutContactInput[] = []
  for (const source of ['FORM', 'IMPORT'] as const satisfies ConsentSource[]) {
    const ids = contact.subscriptions.filter((s) => s.source === source).map((s) => listIds[s.list])
    if (ids.length === 0) continue
    const textHash = source === 'IMPORT' ? hashes.importFr : contact.locale === 'en' ? hashes.formEn : hashes.formFr
    consentRecords.push({
      action: 'SUBSCRIBE',
      listIds: ids,
      consentTextHash: textHash,
      source,
      sourceRef: source === 'IMPORT' ? `import:${batchId}` : null,
      channel: source === 'IMPORT' ? 'csv' : 'web',
      createdAt: joinedAt,
    })
    const confirmed = contact.subscriptions.filter((s) => s.source === source && s.status !== 'PENDING').map((s) => listIds[s.list])
    // Double opt-in: people who subscribed through the form confirmed by clicking the link in the email.
    if (source === 'FORM' && confirmed.length > 0) {
      consentRecords.push({ action: 'CONFIRM', listIds: confirmed, consentTextHash: textHash, source: 'EMAIL_LINK', channel: 'email', createdAt: confirmedAt })
    }
  }
  const left = contact.subscriptions.filter((s) => s.status === 'UNSUBSCRIBED').map((s) => listIds[s.list])
  if (left.length > 0) consentRecords.push({ action: 'UNSUBSCRIBE', listIds: left, source: 'ONE_CLICK', channel: 'one-click', createdAt: leftAt })

  return {
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    organization: contact.organization,
    actorType: contact.actorType,
    territory: contact.territory,
    locale: contact.locale,
    status: contact.status,
    lastActivityAt: new Date(now.getTime() - Math.floor(contact.joinedDaysAgo / 3) * DAY_MS),
    createdAt: joinedAt,
    subscriptions: {
      create: contact.subscriptions.map((s) => ({
        listId: listIds[s.list],
        status: s.status,
        confirmedAt: s.status === 'PENDING' ? null : confirmedAt,
        unsubscribedAt: s.status === 'UNSUBSCRIBED' ? leftAt : null,
        createdAt: joinedAt,
      })),
    },
    consentRecords: { create: consentRecords },
  }
}

/** Loads the organisation, lists and the demo audience; people already present (by email) are left untouched. */
export async function loadAudience(now: Date): Promise<AudienceReport> {
  const { listIds, hashes } = await loadSettings()
  const contacts = demoContacts()
  const batchId = await importBatchId(listIds, contacts)
  const present = new Set(
    (await prisma.contact.findMany({ where: { email: { in: contacts.map((c) => c.email) } }, select: { email: true } })).map((c) => c.email),
  )
  const missing = contacts.filter((contact) => !present.has(contact.email))
  for (const contact of missing) {
    await prisma.contact.create({ data: contactData(contact, listIds, hashes, batchId, now), select: { id: true } })
  }
  const bounced = contacts.filter((contact) => contact.status === 'BOUNCED')
  await prisma.suppression.createMany({
    data: bounced.map((contact) => ({
      emailHash: emailHash(contact.email),
      email: contact.email,
      reason: 'HARD_BOUNCE' as const,
      detail: '550 5.1.1 Boîte aux lettres inconnue',
    })),
    skipDuplicates: true,
  })
  return { listIds, contactsAdded: missing.length, contactsKept: present.size }
}
