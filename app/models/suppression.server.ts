// Owns the suppression list: addresses never to be mailed again (hard bounce, complaint, erasure, by hand). The
// row is keyed by the address's hash so that it outlives an erasure; the contact's global status follows it.
import type { SuppressionReason } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash, normalizeEmail } from '~/utils/email-address.ts'

const contactStatusFor = { HARD_BOUNCE: 'BOUNCED', COMPLAINT: 'COMPLAINED', ERASURE: 'ERASED', MANUAL: null } as const

/** Adds the address to the suppression list (once; the first reason stays) and marks its contact accordingly. */
export async function suppressAddress(input: { email: string; reason: SuppressionReason; detail?: string; createdById?: number }): Promise<void> {
  const email = normalizeEmail(input.email)
  await prisma.$transaction(async (tx) => {
    await tx.suppression.createMany({
      data: [{ emailHash: emailHash(email), email, reason: input.reason, detail: input.detail, createdById: input.createdById }],
      skipDuplicates: true,
    })
    const status = contactStatusFor[input.reason]
    if (status) await tx.contact.updateMany({ where: { email, status: { not: 'ERASED' } }, data: { status } })
  })
}

export async function isSuppressed(email: string): Promise<boolean> {
  return (await prisma.suppression.count({ where: { emailHash: emailHash(email) } })) > 0
}
