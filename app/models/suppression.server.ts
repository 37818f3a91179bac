// Owns the suppression list: addresses never to be mailed again (hard bounce, complaint, erasure, by hand). The
// row is keyed by the address's hash so that it outlives an erasure; the contact's global status follows it.
import type { Prisma, SuppressionReason } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash, normalizeEmail } from '~/utils/email-address.ts'

const contactStatusFor = { HARD_BOUNCE: 'BOUNCED', COMPLAINT: 'COMPLAINED', ERASURE: 'ERASED', MANUAL: null } as const

/** Adds the address to the suppression list (once; the first reason stays) and marks its contact accordingly. */
export async function suppressAddress(
  input: { email: string; reason: SuppressionReason; detail?: string; createdById?: number },
  tx?: Prisma.TransactionClient,
): Promise<void> {
  const email = normalizeEmail(input.email)
  const write = async (client: Prisma.TransactionClient) => {
    await client.suppression.createMany({
      data: [{ emailHash: emailHash(email), email, reason: input.reason, detail: input.detail, createdById: input.createdById }],
      skipDuplicates: true,
    })
    const status = contactStatusFor[input.reason]
    // A complaint is the stronger signal: a hard bounce reported after it does not hide it from staff.
    const keep = status === 'BOUNCED' ? (['ERASED', 'COMPLAINED'] as const) : (['ERASED'] as const)
    if (status) await client.contact.updateMany({ where: { email, status: { notIn: [...keep] } }, data: { status } })
  }
  // Inside the caller's transaction when given one (so that its audit entry commits or fails with it).
  await (tx ? write(tx) : prisma.$transaction(write))
}

/** Why the address is suppressed, or null when it is not. */
export async function suppressionReason(email: string): Promise<SuppressionReason | null> {
  const row = await prisma.suppression.findUnique({ where: { emailHash: emailHash(email) }, select: { reason: true } })
  return row?.reason ?? null
}

export async function isSuppressed(email: string): Promise<boolean> {
  return (await prisma.suppression.count({ where: { emailHash: emailHash(email) } })) > 0
}

type StaffActor = { id: number; email: string }

/** One page of the suppression list, newest first, cut by id (never by offset). */
export async function listSuppressions({ before, pageSize = 50 }: { before?: number; pageSize?: number } = {}) {
  const rows = await prisma.suppression.findMany({
    where: before === undefined ? {} : { id: { lt: before } },
    orderBy: { id: 'desc' },
    take: pageSize + 1,
  })
  const items = rows.slice(0, pageSize)
  return { items, nextBefore: rows.length > pageSize ? (items.at(-1)?.id ?? null) : null }
}

/** A staff member suppresses an address by hand (reason MANUAL), audited in the same transaction. */
export async function suppressAddressByStaff(input: { email: string; detail?: string }, staff: StaffActor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await suppressAddress({ email: input.email, reason: 'MANUAL', detail: input.detail || undefined, createdById: staff.id }, tx)
    const row = await tx.suppression.findUniqueOrThrow({ where: { emailHash: emailHash(input.email) }, select: { id: true, reason: true } })
    await recordAudit({ ...staffActor(staff), action: 'suppression.add', entityType: 'Suppression', entityId: row.id, data: { reason: row.reason } }, tx)
  })
}

/**
 * Takes an address off the list (an admin's decision, audited). The contact's BOUNCED or COMPLAINED status is
 * left alone: mailing them again is a separate, deliberate step. Returns false when the row was already gone.
 */
export async function removeSuppression(id: number, staff: StaffActor): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.suppression.findUnique({ where: { id }, select: { id: true, reason: true } })
    if (!row) return false
    await tx.suppression.delete({ where: { id } })
    await recordAudit({ ...staffActor(staff), action: 'suppression.remove', entityType: 'Suppression', entityId: id, data: { reason: row.reason } }, tx)
    return true
  })
}
