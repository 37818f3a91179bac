// Owns what a newsletter's reader leaves behind when they click or open: the per-link click count (aggregate, no
// identity, for everyone) and, only for contacts who consented to measurement, the first open and click of their
// delivery. The per-person part rests on the measurement token (links.server.ts), which the message factory puts
// in a message only when the contact consented; consent is checked again here, since a person may withdraw it
// after the message left.
import { prisma } from '~/utils/db.server.ts'
import { readMeasurementToken } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'

/** Only these may be followed: a link stored with another scheme (javascript:, data:) is never redirected to. */
const followableProtocols = new Set(['http:', 'https:', 'mailto:'])

function isFollowable(url: string): boolean {
  try {
    return followableProtocols.has(new URL(url).protocol)
  } catch {
    return false
  }
}

/**
 * A click on `/l/<reference>`, its signature already checked by the route (links.server.ts readTrackedLinkRef):
 * counts one more click on the link (mail scanners and prefetchers that follow links are counted too: the figure
 * is an aggregate that names nobody, and telling them from people would need the fingerprinting we refuse to do)
 * and, with a valid measurement token of a delivery of the same campaign, sets
 * that delivery's first click. Returns the link's address, or null for an unknown link. A forged, expired or
 * foreign token changes nothing more than the aggregate.
 */
export async function recordClick(linkId: number, token: string | null, now = new Date()): Promise<string | null> {
  const [link] = await prisma.campaignLink.updateManyAndReturn({
    where: { id: linkId },
    data: { clicks: { increment: 1 } },
    select: { url: true, campaignId: true },
  })
  if (!link || !isFollowable(link.url)) return null
  const deliveryId = token ? readMeasurementToken(token, now) : null
  if (deliveryId !== null) {
    const changed = await prisma.delivery.updateMany({
      where: { id: deliveryId, campaignId: link.campaignId, clickedAt: null, contact: { measurementConsent: true } },
      data: { clickedAt: now },
    })
    if (changed.count > 0) logger.info({ campaignId: link.campaignId, linkId }, 'first click of a consenting recipient recorded')
  }
  return link.url
}

/** An open, from the 1×1 image of `/o/<token>` (only in consenting contacts' messages): the first one is kept. */
export async function recordOpen(token: string, now = new Date()): Promise<boolean> {
  const deliveryId = readMeasurementToken(token, now)
  if (deliveryId === null) return false
  const changed = await prisma.delivery.updateMany({
    where: { id: deliveryId, openedAt: null, contact: { measurementConsent: true } },
    data: { openedAt: now },
  })
  return changed.count > 0
}
