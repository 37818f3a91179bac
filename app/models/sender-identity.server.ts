// Owns the organisation's sender identities (From name and address, reply-to) and their sending rates per second
// and per hour, which the campaign pipeline reads. Admins change them; every change is audited.
import { Prisma } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import type { SenderIdentityInput } from '~/models/campaign-schema.ts'
import { prisma } from '~/utils/db.server.ts'

type Staff = { id: number; email: string }

export type { SenderIdentityInput }

export class SenderIdentityError extends Error {
  constructor(
    readonly messageKey: string,
    readonly field?: keyof SenderIdentityInput,
  ) {
    super(messageKey)
    this.name = 'SenderIdentityError'
  }
}

export function listSenderIdentities() {
  return prisma.senderIdentity.findMany({
    orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
    include: { _count: { select: { campaigns: true } } },
  })
}

/** Creates (id null) or updates an identity; one default at most (setting one clears the others). */
export async function saveSenderIdentity(id: number | null, input: SenderIdentityInput, staff: Staff): Promise<number> {
  try {
    return await prisma.$transaction(async (tx) => {
      if (input.isDefault) await tx.senderIdentity.updateMany({ where: { isDefault: true, ...(id ? { id: { not: id } } : {}) }, data: { isDefault: false } })
      const saved = id ? await tx.senderIdentity.update({ where: { id }, data: input }) : await tx.senderIdentity.create({ data: input })
      await recordAudit({ ...staffActor(staff), action: id ? 'sender.update' : 'sender.create', entityType: 'SenderIdentity', entityId: saved.id, data: { ...input } }, tx)
      return saved.id
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new SenderIdentityError('campaigns.senders.errors.emailTaken', 'email')
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw new SenderIdentityError('campaigns.senders.errors.notFound')
    throw error
  }
}
