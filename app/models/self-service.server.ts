// Owns what a signed email link lets its holder do without an account: which contact a preference or unsubscribe
// token stands for (erased contacts and forged, foreign or expired tokens stand for nobody), and which lists an
// unsubscribe link leaves (the lists named in it, else its campaign's lists, else all of them).
import { prisma } from '~/utils/db.server.ts'
import { parseUnsubscribeSubject } from '~/utils/links.server.ts'
import { verifyToken } from '~/utils/token.server.ts'
import { recordConsent } from './consent.server.ts'
import { updateContactProfile, type ContactProfile } from './contact.server.ts'
import { setSubscriptions, unsubscribe } from './subscription.server.ts'

export type LinkFailure = { ok: false; reason: 'invalid' | 'expired' }

const contactSelect = { id: true, email: true, firstName: true, lastName: true, organization: true, actorType: true, territory: true, locale: true, status: true } as const

async function liveContact(contactId: number) {
  const contact = await prisma.contact.findUnique({ where: { id: contactId }, select: contactSelect })
  return contact && contact.status !== 'ERASED' && contact.email ? contact : null
}

export type LinkedContact = NonNullable<Awaited<ReturnType<typeof liveContact>>>

/** The contact a preference-centre token stands for. */
export async function contactForPreferencesToken(token: string): Promise<{ ok: true; contact: LinkedContact } | LinkFailure> {
  const check = verifyToken(token, 'preferences')
  if (!check.ok) return check
  const contactId = /^\d{1,10}$/.test(check.subject) ? Number(check.subject) : null
  const contact = contactId === null ? null : await liveContact(contactId)
  return contact ? { ok: true, contact } : { ok: false, reason: 'invalid' }
}

export interface UnsubscribeLink {
  contact: LinkedContact
  campaignId: number | null
  /** The lists this link leaves, or 'all'. */
  listIds: number[] | 'all'
  /** Names of those lists, for the confirmation page (empty for 'all'). */
  listNames: string[]
}

/** What an unsubscribe (List-Unsubscribe) token stands for. */
export async function resolveUnsubscribeToken(token: string): Promise<({ ok: true } & UnsubscribeLink) | LinkFailure> {
  const check = verifyToken(token, 'unsubscribe')
  if (!check.ok) return check
  const subject = parseUnsubscribeSubject(check.subject)
  const contact = subject ? await liveContact(subject.contactId) : null
  if (!subject || !contact) return { ok: false, reason: 'invalid' }
  const ids = new Set(subject.listIds ?? [])
  if (subject.campaignId !== undefined) {
    const campaignLists = await prisma.campaignList.findMany({ where: { campaignId: subject.campaignId }, select: { listId: true } })
    for (const { listId } of campaignLists) ids.add(listId)
  }
  // A link that names no list (or a campaign sent to a segment only) means "stop writing to me".
  if (ids.size === 0) return { ok: true, contact, campaignId: subject.campaignId ?? null, listIds: 'all', listNames: [] }
  const lists = await prisma.mailingList.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true }, orderBy: { sortOrder: 'asc' } })
  if (lists.length === 0) return { ok: true, contact, campaignId: subject.campaignId ?? null, listIds: 'all', listNames: [] }
  return { ok: true, contact, campaignId: subject.campaignId ?? null, listIds: lists.map((l) => l.id), listNames: lists.map((l) => l.name) }
}

// ─── Preference centre ──────────────────────────────────────────────────────────────────────────────────────

/** The lists a person may choose from: every public list, plus the private lists they are on (they may leave). */
export async function preferenceLists(contactId: number) {
  const lists = await prisma.mailingList.findMany({
    where: { archivedAt: null, OR: [{ isPublic: true }, { subscriptions: { some: { contactId, status: { not: 'UNSUBSCRIBED' } } } }] },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
    select: { id: true, name: true, description: true, cadence: true, isPublic: true, subscriptions: { where: { contactId }, select: { status: true } } },
  })
  return lists.map(({ subscriptions, ...list }) => ({ ...list, status: subscriptions[0]?.status ?? null }))
}

/**
 * Saves the set of lists ticked in the preference centre: public lists through setSubscriptions (join or leave),
 * private ones can only be left. Ids outside the choice offered are ignored.
 */
export async function saveListChoices(input: { contactId: number; chosenListIds: number[]; consentTextHash: string }): Promise<void> {
  const offered = await preferenceLists(input.contactId)
  const chosen = new Set(input.chosenListIds)
  const leftPrivate = offered.filter((list) => !list.isPublic && !chosen.has(list.id)).map((list) => list.id)
  if (leftPrivate.length > 0) await unsubscribe({ contactId: input.contactId, listIds: leftPrivate, source: 'EMAIL_LINK', channel: 'web' })
  await setSubscriptions({
    contactId: input.contactId,
    listIds: offered.filter((list) => list.isPublic && chosen.has(list.id)).map((list) => list.id),
    source: 'EMAIL_LINK',
    channel: 'web',
    consentTextHash: input.consentTextHash,
  })
}

/** Saves the profile typed in the preference centre, with its consent record (a preference change). */
export async function saveProfileFromLink(contactId: number, profile: ContactProfile): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await updateContactProfile(contactId, profile, tx)
    await recordConsent(tx, { contactId, action: 'PREFERENCES', listIds: [], source: 'EMAIL_LINK', channel: 'web' })
  })
}
