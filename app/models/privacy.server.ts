// Owns a person's rights over their data (RGPD): the export behind "Télécharger mes données" and the erasure that
// the person (preference centre) and staff (contact page, retention) both use. Erasure empties the contact, unlinks
// proofs and ledgers, removes queued mail to the address, and keeps only the address's hash in the suppressions.
import { randomBytes } from 'node:crypto'
import { removeEventMessageJobs } from '#jobs/event-dispatch.ts'
import { getQueue, queueNames } from '#jobs/queues.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { logger } from '~/utils/logger.server.ts'
import { redis, whenRedisReady } from '~/utils/redis.server.ts'
import { recordAudit } from './audit.server.ts'
import { recordConsent } from './consent.server.ts'
import { erasedAddressDomain } from './event-follow-up-rules.server.ts'
import { messageOutcomeDetail } from './event-message-detail.ts'

export type ErasureActor = { kind: 'self' } | { kind: 'staff'; staffId: number }

export class PrivacyError extends Error {
  /** not-found: no such contact; queue-unavailable: Redis did not answer, nothing was erased (try again later). */
  constructor(readonly reason: 'not-found' | 'queue-unavailable') {
    super(`privacy: ${reason}`)
    this.name = 'PrivacyError'
  }
}

// ─── Export ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Everything Relais holds about one contact, as the JSON the person downloads. Throws PrivacyError when unknown. */
export async function exportContactData(contactId: number) {
  const contact = await prisma.contact.findUnique({ where: { id: contactId } })
  if (!contact || contact.status === 'ERASED') throw new PrivacyError('not-found')
  // Registrations made before the contact existed (or with another form) are tied by address only.
  const byPerson = { OR: [{ contactId }, ...(contact.email ? [{ email: contact.email }] : [])] }
  const [subscriptions, consents, emails, registrations, seriesRegistrations] = await Promise.all([
    prisma.subscription.findMany({ where: { contactId }, include: { list: { select: { name: true, slug: true } } }, orderBy: { id: 'asc' } }),
    prisma.consentRecord.findMany({ where: { contactId }, orderBy: { id: 'asc' } }),
    prisma.outboundEmail.findMany({ where: { contactId }, orderBy: { id: 'asc' }, select: { createdAt: true, sentAt: true, template: true, subject: true, status: true } }),
    prisma.registration.findMany({ where: byPerson, include: { event: { select: { title: true, startsAt: true } } }, orderBy: { id: 'asc' } }),
    prisma.seriesRegistration.findMany({ where: byPerson, include: { series: { select: { title: true } } }, orderBy: { id: 'asc' } }),
  ])
  const listIds = [...new Set(consents.flatMap((record) => record.listIds))]
  const lists = new Map((await prisma.mailingList.findMany({ where: { id: { in: listIds } }, select: { id: true, name: true } })).map((l) => [l.id, l.name]))
  return {
    exportedAt: new Date().toISOString(),
    profile: {
      email: contact.email,
      firstName: contact.firstName,
      lastName: contact.lastName,
      organization: contact.organization,
      actorType: contact.actorType,
      territory: contact.territory,
      locale: contact.locale,
      status: contact.status,
      measurementConsent: contact.measurementConsent,
      createdAt: contact.createdAt.toISOString(),
      updatedAt: contact.updatedAt.toISOString(),
    },
    subscriptions: subscriptions.map((s) => ({
      list: s.list.name,
      listSlug: s.list.slug,
      status: s.status,
      createdAt: s.createdAt.toISOString(),
      confirmedAt: s.confirmedAt?.toISOString() ?? null,
      unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
    })),
    consentHistory: consents.map((record) => ({
      at: record.createdAt.toISOString(),
      action: record.action,
      lists: record.listIds.map((id) => lists.get(id) ?? `#${id}`),
      source: record.source,
      channel: record.channel,
      consentTextHash: record.consentTextHash,
    })),
    emailsReceived: emails.map((email) => ({
      at: (email.sentAt ?? email.createdAt).toISOString(),
      template: email.template,
      subject: email.subject,
      status: email.status,
    })),
    registrations: registrations.map((r) => ({
      event: r.event.title,
      startsAt: r.event.startsAt.toISOString(),
      status: r.status,
      attendance: r.attendance,
      firstName: r.firstName,
      lastName: r.lastName,
      organization: r.organization,
      answers: r.answers,
      createdAt: r.createdAt.toISOString(),
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
    })),
    seriesRegistrations: seriesRegistrations.map((r) => ({
      series: r.series.title,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
    })),
  }
}

export type ContactDataExport = Awaited<ReturnType<typeof exportContactData>>

// ─── Erasure ────────────────────────────────────────────────────────────────────────────────────────────────

const jobStates = ['waiting', 'delayed', 'prioritized', 'paused', 'completed', 'failed'] as const
const jobPage = 500

/**
 * Removes every job whose data is addressed `to` this address, in every queue and state but `active` (a running job
 * is locked; its message is then stopped by the suppression). Returns how many were removed.
 */
export async function removeJobsTo(address: string): Promise<number> {
  let removed = 0
  for (const name of queueNames) {
    const queue = getQueue(name)
    for (let start = 0; ; start += jobPage) {
      const jobs = await queue.getJobs([...jobStates], start, start + jobPage - 1, true)
      let removedHere = 0
      for (const job of jobs) {
        const to: unknown = (job.data as { to?: unknown } | undefined)?.to
        if (typeof to !== 'string' || to.trim().toLowerCase() !== address) continue
        try {
          await job.remove()
          removedHere += 1
        } catch (error) {
          logger.warn({ queue: name, jobId: job.id, err: error instanceof Error ? error.message : String(error) }, 'erasure: job not removed')
        }
      }
      removed += removedHere
      if (jobs.length < jobPage) break
      // Removed jobs shift the later ones down by as many places.
      start -= removedHere
    }
  }
  return removed
}

/** SQL that replaces the address (any case, pattern in $1) inside a text column that may quote it. */
function scrubbed(column: string): string {
  return `regexp_replace(${column}, $1, '[adresse effacée]', 'gi')`
}

function addressPattern(address: string): string {
  return address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A placeholder address for an anonymised registration: unique per row, so the (event, email) key still holds. */
function placeholder(kind: 'r' | 's', id: number): string {
  return `erased-${kind}${id}@${erasedAddressDomain}`
}

/**
 * Erases a contact's personal data everywhere (see the module comment). Idempotent: erasing an erased contact does
 * nothing. Throws PrivacyError('not-found') for an unknown id, and PrivacyError('queue-unavailable') before anything
 * is changed when Redis does not answer (the queued mail must go with the data, and afterwards the address would no
 * longer be known).
 */
export async function eraseContact(contactId: number, actor: ErasureActor): Promise<void> {
  const contact = await prisma.contact.findUnique({ where: { id: contactId } })
  if (!contact) throw new PrivacyError('not-found')
  if (contact.status === 'ERASED') return
  const address = contact.email
  if (address) {
    try {
      await whenRedisReady(redis, 2000)
      await removeJobsTo(address)
    } catch (error) {
      logger.error({ contactId, err: error instanceof Error ? error.message : String(error) }, 'erasure refused: queued mail could not be removed')
      throw new PrivacyError('queue-unavailable')
    }
  }
  const staff = actor.kind === 'staff' ? await prisma.staffUser.findUniqueOrThrow({ where: { id: actor.staffId }, select: { id: true, email: true } }) : null

  const cancelledMessages = await prisma.$transaction(async (tx) => {
    // The proof that the erasure was asked for; then every record, this one included, is tied to nobody.
    await recordConsent(tx, {
      contactId,
      action: 'ERASURE',
      listIds: [],
      source: staff ? 'STAFF' : 'EMAIL_LINK',
      sourceRef: staff ? `staff:${staff.id}` : undefined,
      channel: 'web',
    })
    await tx.consentRecord.updateMany({ where: { contactId }, data: { contactId: null } })
    await tx.subscription.deleteMany({ where: { contactId } })
    if (address) {
      // SMTP answers and errors may quote the recipient.
      await tx.$executeRawUnsafe(
        `UPDATE "Delivery" SET "smtpResponse" = ${scrubbed('"smtpResponse"')}, "error" = ${scrubbed('"error"')} WHERE "contactId" = $2 AND ("smtpResponse" ~* $1 OR "error" ~* $1)`,
        addressPattern(address),
        contactId,
      )
    }
    await tx.delivery.updateMany({ where: { contactId }, data: { contactId: null } })
    const erasedRegistrations = await tx.registration.findMany({
      where: { OR: [{ contactId }, ...(address ? [{ email: address }] : [])] },
      select: { id: true },
    })
    // Kept, emptied of the person: seat counts, waitlists and attendance figures of past events stay true.
    for (const { id } of erasedRegistrations) {
      await tx.registration.update({
        where: { id },
        data: {
          contactId: null,
          email: placeholder('r', id),
          firstName: '',
          lastName: '',
          organization: null,
          actorType: null,
          territory: null,
          answers: {},
          token: randomBytes(24).toString('base64url'),
        },
      })
      await tx.feedback.updateMany({ where: { registrationId: id }, data: { comment: null } })
    }
    const erasedSeries = await tx.seriesRegistration.findMany({ where: { OR: [{ contactId }, ...(address ? [{ email: address }] : [])] }, select: { id: true } })
    for (const { id } of erasedSeries) {
      await tx.seriesRegistration.update({ where: { id }, data: { contactId: null, email: placeholder('s', id), token: randomBytes(24).toString('base64url') } })
    }
    // Reminders, updates and follow-ups still to go would reach the placeholder address: they are cancelled.
    const cancelled = await tx.eventMessage.updateManyAndReturn({
      where: {
        status: 'SCHEDULED',
        OR: [{ registrationId: { in: erasedRegistrations.map((row) => row.id) } }, { seriesRegistrationId: { in: erasedSeries.map((row) => row.id) } }],
      },
      data: { status: 'CANCELLED', detail: messageOutcomeDetail.registrationErased },
      select: { id: true },
    })
    await tx.contact.update({
      where: { id: contactId },
      data: {
        email: null,
        firstName: null,
        lastName: null,
        organization: null,
        actorType: null,
        territory: null,
        measurementConsent: false,
        lastActivityAt: null,
        repermissionSentAt: null,
        status: 'ERASED',
        erasedAt: new Date(),
      },
    })
    if (address) await eraseAddressTraces(tx, contactId, address)
    if (staff) {
      await recordAudit(
        { actorId: staff.id, actorLabel: staff.email, action: 'contact.erase', entityType: 'Contact', entityId: contactId, data: { registrations: erasedRegistrations.length } },
        tx,
      )
    }
    return cancelled.map((row) => row.id)
  })
  logger.info({ contactId, actor: actor.kind }, 'contact erased')
  await removeEventMessageJobs(cancelledMessages)
  // A job enqueued while the transaction ran would otherwise keep the address in Redis.
  if (address) await removeJobsTo(address).catch((error: unknown) => logger.warn({ contactId, err: String(error) }, 'erasure: second job sweep failed'))
}

/** The address itself, wherever a copy of it sits outside the contact row. */
async function eraseAddressTraces(tx: Prisma.TransactionClient, contactId: number, address: string): Promise<void> {
  const pattern = addressPattern(address)
  await tx.outboundEmail.updateMany({ where: { OR: [{ contactId }, { toAddress: address }] }, data: { toAddress: null } })
  await tx.$executeRawUnsafe(
    `UPDATE "OutboundEmail" SET "smtpResponse" = ${scrubbed('"smtpResponse"')}, "error" = ${scrubbed('"error"')} WHERE "contactId" = $2 AND ("smtpResponse" ~* $1 OR "error" ~* $1)`,
    pattern,
    contactId,
  )
  await tx.caughtEmail.deleteMany({ where: { envelopeTo: { has: address } } })
  // Staff actions on this contact and import reports may name the address; the rest of those rows stays.
  await tx.$executeRawUnsafe(
    `UPDATE "AuditLog" SET "data" = ${scrubbed('"data"::text')}::jsonb WHERE "entityType" = 'Contact' AND "entityId" = $2 AND "data"::text ~* $1`,
    pattern,
    String(contactId),
  )
  await tx.$executeRawUnsafe(`UPDATE "ImportBatch" SET "report" = ${scrubbed('"report"::text')}::jsonb WHERE "report"::text ~* $1`, pattern)
  const hash = emailHash(address)
  const existing = await tx.suppression.findUnique({ where: { emailHash: hash } })
  if (!existing) {
    await tx.suppression.create({ data: { emailHash: hash, email: null, reason: 'ERASURE' } })
  } else {
    // A bounce or complaint stays what it was (a sign-up must not lift it); only the clear address goes.
    await tx.suppression.update({ where: { emailHash: hash }, data: { email: null, ...(existing.reason === 'MANUAL' ? { reason: 'ERASURE' } : {}) } })
  }
}
