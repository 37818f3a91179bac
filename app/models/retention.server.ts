// Owns the retention policy (PRODUCT.md): contacts inactive for 3 years get a re-permission email, and are erased
// if they do not answer within 30 days. Off until an admin enables it (Organization.retentionEnabledAt); the same
// classification serves the admin's dry run and the daily task, and the "je reste abonné·e" link renews consent.
import { renderEmail } from '#emails/render.ts'
import { enqueueEmail } from '#jobs/queues.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { getEnv } from '~/utils/env.server.ts'
import { preferencesUrl } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { signToken, verifyToken } from '~/utils/token.server.ts'
import { programActor, recordAudit, staffActor } from './audit.server.ts'
import { recordConsent } from './consent.server.ts'
import { getOrganization } from './organization.server.ts'
import { eraseContact } from './privacy.server.ts'
import { manuallySuppressedEmails, reachableWhere } from './segment.server.ts'

export const INACTIVITY_YEARS = 3
/** How long a person has to answer the re-permission email; the link in it is valid as long. */
export const ANSWER_DAYS = 30
const dayMs = 24 * 60 * 60 * 1000
const batchSize = 500

/** The instant before which a contact's last activity makes them inactive. */
export function inactivityCutoff(now: Date): Date {
  const cutoff = new Date(now)
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - INACTIVITY_YEARS)
  return cutoff
}

/**
 * Inactive: no activity recorded on the contact (Contact.lastActivityAt: clicks, sign-ups, "je reste"; the creation
 * date when never set) and, as a safety net for journeys that do not touch it, no event registration and no list
 * subscription created or confirmed since the cutoff.
 */
function inactiveWhere(cutoff: Date): Prisma.ContactWhereInput {
  return {
    status: { not: 'ERASED' },
    OR: [{ lastActivityAt: { lt: cutoff } }, { lastActivityAt: null, createdAt: { lt: cutoff } }],
    registrations: { none: { createdAt: { gte: cutoff } } },
    subscriptions: { none: { OR: [{ createdAt: { gte: cutoff } }, { confirmedAt: { gte: cutoff } }] } },
  }
}

type Candidate = { id: number; email: string | null; locale: string; lastActivityAt: Date | null; createdAt: Date }
type Group = 'ask' | 'wait' | 'eraseUnanswered' | 'eraseUnreachable'

/**
 * What the policy does with inactive contacts, as one where per group. Reachable people (see reachableWhere) are
 * asked once per inactivity period (a send older than the cutoff belongs to an earlier period) and erased 30 days
 * after being asked; people who cannot be asked (unsubscribed from everything, bounced, complained) are erased.
 * A reachable address on the suppression list is erased rather than asked (checked by hash, batch by batch).
 */
function groupWheres(now: Date): Record<Group, Prisma.ContactWhereInput> {
  const cutoff = inactivityCutoff(now)
  const answerDeadline = new Date(now.getTime() - ANSWER_DAYS * dayMs)
  const inactive = inactiveWhere(cutoff)
  return {
    ask: { AND: [inactive, reachableWhere, { OR: [{ repermissionSentAt: null }, { repermissionSentAt: { lt: cutoff } }] }] },
    wait: { AND: [inactive, reachableWhere, { repermissionSentAt: { gte: cutoff, gt: answerDeadline } }] },
    eraseUnanswered: { AND: [inactive, reachableWhere, { repermissionSentAt: { gte: cutoff, lte: answerDeadline } }] },
    eraseUnreachable: { AND: [inactive, { NOT: reachableWhere }] },
  }
}

/** Walks the contacts of one group in id order, a batch at a time (ids only grow, so changes never loop). */
async function eachBatch(where: Prisma.ContactWhereInput, visit: (contacts: Candidate[]) => Promise<void>): Promise<void> {
  for (let after = 0; ; ) {
    const contacts = await prisma.contact.findMany({
      where: { AND: [where, { id: { gt: after } }] },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, email: true, locale: true, lastActivityAt: true, createdAt: true },
    })
    if (contacts.length === 0) return
    await visit(contacts)
    after = contacts.at(-1)?.id ?? after
  }
}

/** The ids of these contacts whose address is on the suppression list. */
async function suppressedAmong(contacts: Candidate[]): Promise<Set<number>> {
  const byHash = new Map(contacts.flatMap((contact) => (contact.email ? [[emailHash(contact.email), contact.id] as const] : [])))
  const rows = await prisma.suppression.findMany({ where: { emailHash: { in: [...byHash.keys()] } }, select: { emailHash: true } })
  return new Set(rows.flatMap((row) => byHash.get(row.emailHash) ?? []))
}

export type RetentionCounts = { repermission: number; erase: number; waiting: number }

/**
 * What the task would do now, without doing it: counts on indexed columns, so the page stays quick at a million
 * contacts. Reachable contacts on the suppression list (only MANUAL suppressions keep both the address and the
 * ACTIVE status) are moved from "asked" or "waiting" to "erased", as the task does.
 */
export async function retentionDryRun(now = new Date()): Promise<RetentionCounts> {
  const where = groupWheres(now)
  const manual = await manuallySuppressedEmails()
  const suppressedIn = (group: Prisma.ContactWhereInput) =>
    manual.length === 0 ? Promise.resolve(0) : prisma.contact.count({ where: { AND: [group, { email: { in: manual } }] } })
  const [ask, wait, unanswered, unreachable, askSuppressed, waitSuppressed] = await Promise.all([
    prisma.contact.count({ where: where.ask }),
    prisma.contact.count({ where: where.wait }),
    prisma.contact.count({ where: where.eraseUnanswered }),
    prisma.contact.count({ where: where.eraseUnreachable }),
    suppressedIn(where.ask),
    suppressedIn(where.wait),
  ])
  return { repermission: ask - askSuppressed, waiting: wait - waitSuppressed, erase: unanswered + unreachable + askSuppressed + waitSuppressed }
}

// ─── Setting ────────────────────────────────────────────────────────────────────────────────────────────────

export async function getRetentionSetting() {
  const row = await prisma.organization.findUnique({ where: { id: 1 }, select: { retentionEnabledAt: true, retentionEnabledById: true } })
  const lastRun = await prisma.auditLog.findFirst({
    where: { entityType: 'Organization', entityId: '1', action: 'retention.run' },
    orderBy: { id: 'desc' },
    select: { createdAt: true, data: true },
  })
  const data = (lastRun?.data ?? {}) as { sent?: number; erased?: number }
  return {
    enabledAt: row?.retentionEnabledAt ?? null,
    enabledById: row?.retentionEnabledById ?? null,
    lastRun: lastRun ? { at: lastRun.createdAt, sent: data.sent ?? 0, erased: data.erased ?? 0 } : null,
  }
}

/** Turns the policy on or off (audited). The enabling admin is the one the erasures are recorded for. */
export async function setRetentionEnabled(enabled: boolean, staff: { id: number; email: string }, now = new Date()): Promise<void> {
  // The organisation row may not exist yet on a fresh instance: it is created with the same values shown until then.
  const { id: _id, ...defaults } = await getOrganization()
  const change = enabled ? { retentionEnabledAt: now, retentionEnabledById: staff.id } : { retentionEnabledAt: null, retentionEnabledById: null }
  await prisma.$transaction(async (tx) => {
    await tx.organization.upsert({ where: { id: 1 }, create: { ...defaults, id: 1, ...change }, update: change })
    await recordAudit({ ...staffActor(staff), action: enabled ? 'retention.enable' : 'retention.disable', entityType: 'Organization', entityId: 1 }, tx)
  })
}

// ─── The daily task ─────────────────────────────────────────────────────────────────────────────────────────

function stayUrl(contactId: number, now: Date): string {
  const token = signToken({ purpose: 'repermission', subject: String(contactId), expiresInSeconds: (ANSWER_DAYS * dayMs) / 1000 }, now)
  return `${getEnv().APP_URL}/stay/${token}`
}

/** The day the current inactivity period began: the key of this period's email, the same on every rerun. */
async function lastActiveDays(contacts: Candidate[]): Promise<Map<number, string>> {
  const ids = contacts.map((contact) => contact.id)
  const [registrations, subscriptions] = await Promise.all([
    prisma.registration.groupBy({ by: ['contactId'], where: { contactId: { in: ids } }, _max: { createdAt: true } }),
    prisma.subscription.groupBy({ by: ['contactId'], where: { contactId: { in: ids } }, _max: { createdAt: true, confirmedAt: true } }),
  ])
  const latest = new Map(contacts.map((contact) => [contact.id, (contact.lastActivityAt ?? contact.createdAt).getTime()]))
  const bump = (id: number | null, date: Date | null | undefined) => {
    if (id !== null && date) latest.set(id, Math.max(latest.get(id) ?? 0, date.getTime()))
  }
  for (const row of registrations) bump(row.contactId, row._max.createdAt)
  for (const row of subscriptions) {
    bump(row.contactId, row._max.createdAt)
    bump(row.contactId, row._max.confirmedAt)
  }
  return new Map([...latest].map(([id, time]) => [id, new Date(time).toISOString().slice(0, 10)]))
}

async function sendRepermission(contact: Candidate & { email: string }, cycleDay: string, now: Date): Promise<void> {
  const organization = await getOrganization()
  const locale = contact.locale === 'en' ? 'en' : 'fr'
  const eraseAfter = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: organization.timeZone }).format(
    new Date(now.getTime() + ANSWER_DAYS * dayMs),
  )
  const rendered = await renderEmail(
    'repermission',
    {
      organizationName: organization.name,
      postalAddress: organization.postalAddress,
      stayUrl: stayUrl(contact.id, now),
      preferencesUrl: preferencesUrl(contact.id, now),
      eraseAfter,
    },
    locale,
  )
  await enqueueEmail({ idempotencyKey: `repermission:${contact.id}:${cycleDay}`, template: 'repermission', to: contact.email, contactId: contact.id, kind: 'transactional', ...rendered })
  // Only marked once queued: a failed enqueue is retried by the next run, and the key keeps it to one message.
  await prisma.contact.updateMany({ where: { id: contact.id, status: 'ACTIVE' }, data: { repermissionSentAt: now } })
}

/**
 * One pass of the policy: asks, then erases. Does nothing while the policy is off. Returns what it did, and records
 * it in the audit log (the admin page shows the last run from there).
 */
export async function runRetention(now = new Date()): Promise<{ sent: number; erased: number }> {
  const setting = await getRetentionSetting()
  if (!setting.enabledAt || setting.enabledById === null) return { sent: 0, erased: 0 }
  const staffId = setting.enabledById
  let sent = 0
  let erased = 0
  const erase = async (contacts: Candidate[]) => {
    for (const contact of contacts) {
      try {
        await eraseContact(contact.id, { kind: 'staff', staffId })
        erased += 1
      } catch (error) {
        // One contact that cannot be erased now must not hold up the others; the next run tries again.
        logger.error({ contactId: contact.id, err: error instanceof Error ? error.message : String(error) }, 'retention: erasure failed')
      }
    }
  }
  const where = groupWheres(now)
  await eachBatch(where.eraseUnreachable, erase)
  await eachBatch(where.eraseUnanswered, erase)
  await eachBatch(where.wait, async (contacts) => {
    const suppressed = await suppressedAmong(contacts)
    await erase(contacts.filter((contact) => suppressed.has(contact.id)))
  })
  await eachBatch(where.ask, async (contacts) => {
    const suppressed = await suppressedAmong(contacts)
    await erase(contacts.filter((contact) => suppressed.has(contact.id)))
    const toAsk = contacts.filter((contact) => !suppressed.has(contact.id))
    const cycleDays = toAsk.length > 0 ? await lastActiveDays(toAsk) : new Map<number, string>()
    for (const contact of toAsk) {
      if (!contact.email) continue
      await sendRepermission({ ...contact, email: contact.email }, cycleDays.get(contact.id) ?? 'unknown', now)
      sent += 1
    }
  })
  await recordAudit({ ...programActor('system'), action: 'retention.run', entityType: 'Organization', entityId: 1, data: { sent, erased } })
  logger.info({ sent, erased }, 'retention run done')
  return { sent, erased }
}

// ─── "Je reste abonné·e" ────────────────────────────────────────────────────────────────────────────────────

export type StayLink = { ok: true; contactId: number } | { ok: false; reason: 'invalid' | 'expired' }

/** The live contact behind a re-permission link (an erased contact's link no longer works). */
export async function checkStayLink(token: string, now = new Date()): Promise<StayLink> {
  const check = verifyToken(token, 'repermission', now)
  if (!check.ok) return check
  const contactId = Number(check.subject)
  if (!Number.isSafeInteger(contactId) || contactId <= 0) return { ok: false, reason: 'invalid' }
  const contact = await prisma.contact.findUnique({ where: { id: contactId }, select: { status: true } })
  if (!contact || contact.status === 'ERASED') return { ok: false, reason: 'invalid' }
  return { ok: true, contactId }
}

/** Records the renewed consent (CONFIRM by email link, for the lists the person is subscribed to) and restarts the clock. */
export async function stayFromLink(token: string, now = new Date()): Promise<StayLink> {
  const link = await checkStayLink(token, now)
  if (!link.ok) return link
  await prisma.$transaction(async (tx) => {
    const subscriptions = await tx.subscription.findMany({ where: { contactId: link.contactId, status: 'CONFIRMED' }, select: { listId: true } })
    await recordConsent(tx, {
      contactId: link.contactId,
      action: 'CONFIRM',
      listIds: subscriptions.map((subscription) => subscription.listId),
      source: 'EMAIL_LINK',
      sourceRef: 'repermission',
      channel: 'email',
    })
    await tx.contact.update({ where: { id: link.contactId }, data: { lastActivityAt: now, repermissionSentAt: null } })
  })
  logger.info({ contactId: link.contactId }, 'retention: contact stays subscribed')
  return link
}
