// Owns events and series: what is published, when, and the rules on registration windows.
import { prisma } from '~/utils/db.server.ts'

export function listUpcomingPublicEvents(now: Date, take: number) {
  return prisma.event.findMany({
    where: { status: 'PUBLISHED', endsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
    take,
    include: { series: { select: { title: true, slug: true } } },
  })
}
