// Owns mailing lists (the newsletters on offer) and what the public may see of them.
import { prisma } from '~/utils/db.server.ts'

export function listPublicLists() {
  return prisma.mailingList.findMany({
    where: { isPublic: true, archivedAt: null },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
  })
}
