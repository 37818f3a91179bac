// Owns the staff dashboard's figures: a few honest counts read straight from the database.
import { prisma } from '~/utils/db.server.ts'

export async function getDashboardCounts(now: Date) {
  const [contacts, lists, upcomingEvents, campaigns, campaignsInProgress] = await Promise.all([
    prisma.contact.count({ where: { status: 'ACTIVE' } }),
    prisma.mailingList.count({ where: { archivedAt: null } }),
    prisma.event.count({ where: { status: 'PUBLISHED', startsAt: { gte: now } } }),
    prisma.campaign.count({ where: { status: { not: 'CANCELLED' } } }),
    prisma.campaign.count({ where: { status: { in: ['SCHEDULED', 'SENDING', 'PAUSED'] } } }),
  ])
  return { contacts, lists, upcomingEvents, campaigns, campaignsInProgress }
}
