// Owns subscriptions (contact × list) and their rules: sign-up from the public form with double opt-in per list,
// confirmation from the emailed link, unsubscribe (one list, several, or all), and the preference centre's
// choice of public lists. Every change writes its consent record in the same transaction.
import type { ConsentSource, Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash, normalizeEmail } from '~/utils/email-address.ts'
import { logger } from '~/utils/logger.server.ts'
import { latestSubscribeTextHash, recordConsent } from './consent.server.ts'
import type { ContactProfile } from './contact-schema.ts'
import { upsertContactFromForm } from './contact.server.ts'
import { sendAlreadySubscribedEmail, sendConfirmationEmail, sendWelcomeEmails } from './subscription-mail.server.ts'
import { suppressionReason } from './suppression.server.ts'

type Tx = Prisma.TransactionClient

function publicLists(listIds: number[]) {
  return prisma.mailingList.findMany({ where: { id: { in: listIds }, isPublic: true, archivedAt: null }, select: { id: true, doubleOptIn: true } })
}

async function confirmNow(tx: Tx, contactId: number, listIds: number[], now: Date): Promise<void> {
  for (const listId of listIds) {
    await tx.subscription.upsert({
      where: { contactId_listId: { contactId, listId } },
      create: { contactId, listId, status: 'CONFIRMED', confirmedAt: now },
      update: { status: 'CONFIRMED', confirmedAt: now, unsubscribedAt: null },
    })
  }
}

/**
 * A sign-up from the public form. It tells the caller nothing (the page must answer the same for every address):
 * the person learns by email what happened. Rules:
 * - an address suppressed for a hard bounce, a complaint or by staff gets nothing and nothing changes (staff may
 *   lift the suppression); one suppressed because its owner erased their data may sign up again;
 * - lists already CONFIRMED are left alone and the person is told by email ("déjà inscrit·e");
 * - a list with double opt-in, or any list for an address that opted out before (unsubscribed, erased), waits
 *   for the emailed link (one message for all such lists); other lists are confirmed at once, with a welcome;
 * - an existing contact's profile is only completed, never overwritten (the form proves nothing).
 */
export async function requestSubscription(input: {
  email: string
  profile: ContactProfile
  listIds: number[]
  consentTextHash: string
  channel: 'web' | 'embed'
  /** Where the consent was given: the sign-up form (default) or the newsletter box of an event registration. */
  source?: 'FORM' | 'EVENT_REGISTRATION'
  now?: Date
}): Promise<void> {
  const now = input.now ?? new Date()
  const email = normalizeEmail(input.email)
  const suppressedFor = await suppressionReason(email)
  if (suppressedFor && suppressedFor !== 'ERASURE') {
    logger.info({ reason: suppressedFor }, 'sign-up ignored: the address is suppressed')
    return
  }
  const lists = await publicLists(input.listIds)
  if (lists.length === 0) return
  const outcome = await prisma.$transaction(async (tx) => {
    const contact = await upsertContactFromForm(tx, email, input.profile)
    const existing = new Map(
      (await tx.subscription.findMany({ where: { contactId: contact.id, listId: { in: lists.map((list) => list.id) } } })).map((row) => [row.listId, row.status]),
    )
    const optedOutBefore = contact.status !== 'ACTIVE' || suppressedFor === 'ERASURE'
    const already: number[] = []
    const pending: number[] = []
    const immediate: number[] = []
    for (const list of lists) {
      const status = existing.get(list.id)
      if (status === 'CONFIRMED') already.push(list.id)
      else if (list.doubleOptIn || optedOutBefore || status === 'UNSUBSCRIBED') pending.push(list.id)
      else immediate.push(list.id)
    }
    for (const listId of pending) {
      await tx.subscription.upsert({
        where: { contactId_listId: { contactId: contact.id, listId } },
        create: { contactId: contact.id, listId, status: 'PENDING' },
        update: { status: 'PENDING' },
      })
    }
    await confirmNow(tx, contact.id, immediate, now)
    const asked = [...pending, ...immediate]
    const consent = { contactId: contact.id, source: input.source ?? 'FORM', channel: input.channel, consentTextHash: input.consentTextHash } as const
    if (asked.length > 0) await recordConsent(tx, { ...consent, action: 'SUBSCRIBE', listIds: asked })
    if (immediate.length > 0) await recordConsent(tx, { ...consent, action: 'CONFIRM', listIds: immediate })
    return { contact, already, pending, immediate }
  })
  const { contact, already, pending, immediate } = outcome
  logger.info({ contactId: contact.id, pending: pending.length, immediate: immediate.length, already: already.length }, 'sign-up received')
  if (pending.length > 0) await sendConfirmationEmail(contact, pending, now)
  else if (already.length > 0 && immediate.length === 0) await sendAlreadySubscribedEmail(contact, already)
  await sendWelcomeEmails(contact.id, immediate)
}

export type ConfirmResult = { status: 'confirmed'; listNames: string[] } | { status: 'gone' }

/**
 * Confirms the PENDING subscriptions of an emailed link (twice is harmless; a list left since stays left). The
 * link proves the address: the contact is active again, and a suppression left by their own erasure is lifted.
 */
export async function confirmSubscriptions(input: { contactId: number; listIds: number[]; now?: Date }): Promise<ConfirmResult> {
  const now = input.now ?? new Date()
  const result = await prisma.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id: input.contactId }, select: { id: true, email: true, status: true } })
    if (!contact?.email || contact.status === 'ERASED') return null
    const confirmed: number[] = []
    for (const listId of input.listIds) {
      // One conditional update per list: of two simultaneous clicks, only one confirms (and sends the welcome).
      const changed = await tx.subscription.updateMany({
        where: { contactId: contact.id, listId, status: 'PENDING' },
        data: { status: 'CONFIRMED', confirmedAt: now, unsubscribedAt: null },
      })
      if (changed.count === 1) confirmed.push(listId)
    }
    if (confirmed.length > 0) {
      const consentTextHash = await latestSubscribeTextHash(tx, contact.id, confirmed)
      await recordConsent(tx, { contactId: contact.id, action: 'CONFIRM', listIds: confirmed, source: 'EMAIL_LINK', channel: 'email', consentTextHash })
      await tx.contact.updateMany({ where: { id: contact.id, status: 'UNSUBSCRIBED' }, data: { status: 'ACTIVE' } })
      await tx.suppression.deleteMany({ where: { emailHash: emailHash(contact.email), reason: 'ERASURE' } })
    }
    const lists = await tx.subscription.findMany({
      where: { contactId: contact.id, listId: { in: input.listIds }, status: 'CONFIRMED' },
      select: { list: { select: { name: true } } },
    })
    return { confirmed, listNames: lists.map((row) => row.list.name) }
  })
  if (!result) return { status: 'gone' }
  logger.info({ contactId: input.contactId, confirmed: result.confirmed.length }, 'subscriptions confirmed')
  await sendWelcomeEmails(input.contactId, result.confirmed)
  return { status: 'confirmed', listNames: result.listNames }
}

/** Resends the confirmation of a (valid but expired) link, for the lists of it still PENDING; capped per day. */
export async function resendConfirmation(input: { contactId: number; listIds: number[] }): Promise<void> {
  const contact = await prisma.contact.findUnique({ where: { id: input.contactId }, select: { id: true, email: true, locale: true, status: true } })
  if (!contact?.email || contact.status === 'ERASED') return
  const pending = await prisma.subscription.findMany({ where: { contactId: contact.id, listId: { in: input.listIds }, status: 'PENDING' }, select: { listId: true } })
  await sendConfirmationEmail(contact, pending.map((row) => row.listId))
}

/** `campaign:<id>` as the source of an unsubscribe: the campaign whose link was used. */
function campaignOfSourceRef(sourceRef: string | undefined): number | null {
  const match = sourceRef ? /^campaign:(\d{1,10})$/.exec(sourceRef) : null
  return match ? Number(match[1]) : null
}

/**
 * Unsubscribes from some lists or from all (then the contact is UNSUBSCRIBED); idempotent. Through a campaign's
 * link (`sourceRef: 'campaign:<id>'`), when something changed, the delivery of that campaign to the contact is
 * marked as the one they left from (once), for the campaign's "unsubscribed" count.
 */
export async function unsubscribe(input: {
  contactId: number
  listIds: number[] | 'all'
  source: ConsentSource
  channel: string
  sourceRef?: string
}): Promise<{ changed: number }> {
  const now = new Date()
  return prisma.$transaction(async (tx) => {
    const where = {
      contactId: input.contactId,
      status: { not: 'UNSUBSCRIBED' as const },
      ...(input.listIds === 'all' ? {} : { listId: { in: input.listIds } }),
    }
    const affected = (await tx.subscription.findMany({ where, select: { listId: true } })).map((row) => row.listId)
    if (affected.length > 0) await tx.subscription.updateMany({ where: { ...where, listId: { in: affected } }, data: { status: 'UNSUBSCRIBED', unsubscribedAt: now } })
    const globalChange =
      input.listIds === 'all' ? (await tx.contact.updateMany({ where: { id: input.contactId, status: 'ACTIVE' }, data: { status: 'UNSUBSCRIBED' } })).count : 0
    if (affected.length > 0 || globalChange > 0) {
      await recordConsent(tx, { contactId: input.contactId, action: 'UNSUBSCRIBE', listIds: affected, source: input.source, channel: input.channel, sourceRef: input.sourceRef })
      // Counted on the campaign only when this link actually unsubscribed someone: a click on the link of another
      // campaign by a contact already gone adds nothing to that campaign's figure.
      const campaignId = campaignOfSourceRef(input.sourceRef)
      if (campaignId !== null) {
        await tx.delivery.updateMany({ where: { campaignId, contactId: input.contactId, unsubscribedAt: null }, data: { unsubscribedAt: now } })
      }
    }
    return { changed: affected.length }
  })
}

/**
 * The preference centre's choice among public lists: joins the ticked ones (CONFIRMED at once, since the signed
 * link proves the address, with a welcome) and leaves the others. Private lists are never touched here.
 */
export async function setSubscriptions(input: {
  contactId: number
  listIds: number[]
  source: ConsentSource
  channel: string
  consentTextHash?: string
}): Promise<void> {
  const now = new Date()
  const offered = await prisma.mailingList.findMany({ where: { isPublic: true, archivedAt: null }, select: { id: true } })
  const wanted = new Set(input.listIds.filter((id) => offered.some((list) => list.id === id)))
  const joined = await prisma.$transaction(async (tx) => {
    const current = await tx.subscription.findMany({ where: { contactId: input.contactId, listId: { in: offered.map((list) => list.id) } } })
    const statusOf = new Map(current.map((row) => [row.listId, row.status]))
    const join = [...wanted].filter((id) => statusOf.get(id) !== 'CONFIRMED')
    const leave = offered.map((list) => list.id).filter((id) => !wanted.has(id) && (statusOf.get(id) === 'CONFIRMED' || statusOf.get(id) === 'PENDING'))
    await confirmNow(tx, input.contactId, join, now)
    if (leave.length > 0) {
      await tx.subscription.updateMany({ where: { contactId: input.contactId, listId: { in: leave } }, data: { status: 'UNSUBSCRIBED', unsubscribedAt: now } })
    }
    const base = { contactId: input.contactId, source: input.source, channel: input.channel }
    if (join.length > 0) {
      await recordConsent(tx, { ...base, action: 'PREFERENCES', listIds: join, consentTextHash: input.consentTextHash })
      await tx.contact.updateMany({ where: { id: input.contactId, status: 'UNSUBSCRIBED' }, data: { status: 'ACTIVE' } })
    }
    if (leave.length > 0) await recordConsent(tx, { ...base, action: 'UNSUBSCRIBE', listIds: leave })
    return join
  })
  await sendWelcomeEmails(input.contactId, joined)
}
