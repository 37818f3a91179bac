// Owns loading a campaign for rendering (its blocks, organisation, lists, events, images, archive address) and the
// three uses of the renderer: the staff preview, the snapshot compiled once at launch (with its tracked links) and
// the test send to staff addresses.
import { readCampaignContent, type MergeField } from '#emails/campaign/blocks.ts'
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import { createMessageFactory } from '#emails/campaign/message.ts'
import { compileCampaign, contentLinks, renderPreview, type CampaignRenderInput, type EventCardData } from '#emails/campaign/render.ts'
import { enqueueEmail } from '#jobs/queues.ts'
import { assetUrl } from '~/models/asset.server.ts'
import { recordAudit } from '~/models/audit.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { trackedLinkRef } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'

/** What staff see in the preview and in test sends in place of a contact's values. */
const sampleValues: Partial<Record<MergeField, string>> = { firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@example.org' }

async function loadCampaign(campaignId: number) {
  const campaign = await prisma.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      subject: true,
      preheader: true,
      locale: true,
      content: true,
      senderIdentity: { select: { name: true, email: true, replyTo: true } },
      lists: { select: { list: { select: { id: true, name: true, slug: true, inArchive: true, sortOrder: true } } } },
    },
  })
  if (!campaign) throw new Error(`campaign ${campaignId} not found`)
  const lists = campaign.lists.map((entry) => entry.list).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
  return { ...campaign, lists, inArchive: lists.length > 0 && lists.every((list) => list.inArchive) }
}

function venueOf(event: { venueName: string | null; venueAddress: string | null }): string | null {
  return [event.venueName, event.venueAddress].filter((part) => part && part.trim()).join(', ') || null
}

async function renderInputOf(campaign: Awaited<ReturnType<typeof loadCampaign>>): Promise<CampaignRenderInput> {
  const { APP_URL } = getEnv()
  const blocks = readCampaignContent(campaign.content)
  const eventIds = blocks.flatMap((block) => (block.type === 'event' && block.eventId !== null ? [block.eventId] : []))
  const assetIds = blocks.flatMap((block) => ((block.type === 'image' || block.type === 'article') && block.assetId !== null ? [block.assetId] : []))
  const [organization, events, assets] = await Promise.all([
    getOrganization(),
    eventIds.length > 0 ? prisma.event.findMany({ where: { id: { in: eventIds } } }) : [],
    assetIds.length > 0 ? prisma.asset.findMany({ where: { id: { in: assetIds } }, select: { id: true } }) : [],
  ])
  const eventCards: Record<number, EventCardData> = {}
  for (const event of events) {
    eventCards[event.id] = {
      id: event.id,
      title: event.title,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      timeZone: event.timeZone,
      kind: event.kind,
      venue: venueOf(event),
      // Each recipient's button is their own one-click link (filled per recipient, see jobs/campaign-context.ts).
      pageUrl: `${APP_URL}/events/${event.slug}`,
    }
  }
  return {
    campaignId: campaign.id,
    subject: campaign.subject,
    preheader: campaign.preheader,
    locale: campaign.locale === 'en' ? 'en' : 'fr',
    blocks,
    organization: {
      name: organization.name,
      postalAddress: organization.postalAddress,
      website: organization.website,
      brandColor: organization.brandColor,
      logoUrl: organization.logoUrl,
    },
    listNames: campaign.lists.map((list) => list.name),
    events: eventCards,
    assetUrls: Object.fromEntries(assets.map((asset) => [asset.id, assetUrl(asset.id, APP_URL)])),
    webVersionUrl: campaign.inArchive && campaign.slug ? `${APP_URL}/archive/${campaign.slug}` : null,
  }
}

/** The render input of a campaign as saved now. */
export async function campaignRenderInput(campaignId: number): Promise<CampaignRenderInput> {
  return renderInputOf(await loadCampaign(campaignId))
}

/** The staff preview: sample values ("Camille Martin"), fallbacks elsewhere, links not rewritten. */
export async function previewCampaign(campaignId: number): Promise<{ subject: string; html: string; text: string }> {
  return renderPreview(await campaignRenderInput(campaignId), sampleValues)
}

/**
 * Compiles what every recipient gets (the caller stores it in Campaign.snapshot): one CampaignLink row per content
 * link (created once, kept on a later compile so click counts survive), each put in the message as `/l/<signed
 * reference>` (a bare row id would let anyone walk every campaign's links), then MJML once. The "view online" link needs
 * Campaign.slug: pass `slug` when it is chosen in the same step and not yet saved.
 */
export async function compileCampaignSnapshot(campaignId: number, options: { slug?: string } = {}): Promise<CompiledCampaign> {
  const { APP_URL } = getEnv()
  const campaign = await loadCampaign(campaignId)
  const input = await renderInputOf({ ...campaign, slug: options.slug ?? campaign.slug })
  const urls = contentLinks(input)
  if (urls.length > 0) await prisma.campaignLink.createMany({ data: urls.map((url) => ({ campaignId, url })), skipDuplicates: true })
  const rows = urls.length > 0 ? await prisma.campaignLink.findMany({ where: { campaignId, url: { in: urls } }, select: { id: true, url: true } }) : []
  const links = Object.fromEntries(rows.map((row) => [row.url, { id: row.id, ref: trackedLinkRef(row.id) }]))
  const compiled = await compileCampaign(input, links, APP_URL)
  // Whether the lists allow the archive does not depend on the slug being known yet.
  return { ...compiled, inArchive: campaign.inArchive }
}

function withoutUnsubscribeHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^list-unsubscribe(-post)?$/i.test(name)))
}

/**
 * Queues the campaign to staff addresses as a recipient sees it, with sample values, "[Test] " before the subject,
 * original links (a test click is not counted) and the footer links pointing at the public newsletters page. No
 * List-Unsubscribe headers: a mail client's one-click unsubscribe would POST to that public sign-up page.
 */
export async function sendCampaignTest(campaignId: number, to: string[], staffId: number): Promise<{ queued: number }> {
  const { APP_URL } = getEnv()
  const campaign = await loadCampaign(campaignId)
  const compiled = await compileCampaign(await renderInputOf(campaign), {}, APP_URL)
  // Only fill() is used here: sendEmail composes the message.
  const factory = createMessageFactory(compiled, {
    from: { name: campaign.senderIdentity?.name ?? '', address: campaign.senderIdentity?.email ?? '' },
    replyTo: campaign.senderIdentity?.replyTo ?? null,
    lists: Object.fromEntries(campaign.lists.map((list) => [list.id, { name: list.name, slug: list.slug }])),
    hostname: new URL(APP_URL).hostname,
  })
  const addresses = [...new Set(to.map((address) => address.trim().toLowerCase()).filter(Boolean))]
  const clickedAt = Date.now()
  for (const address of addresses) {
    const filled = factory.fill({
      email: address,
      firstName: sampleValues.firstName ?? null,
      lastName: sampleValues.lastName ?? null,
      company: null,
      territory: null,
      listId: null,
      unsubscribeUrl: `${APP_URL}/newsletters`,
      preferencesUrl: `${APP_URL}/newsletters`,
      clickQuery: '',
      openPixel: '',
    })
    await enqueueEmail({
      idempotencyKey: `campaign-test:${campaignId}:${address}:${clickedAt}`,
      template: 'campaign-test',
      to: address,
      subject: `[Test] ${filled.subject}`.slice(0, 400),
      html: filled.html,
      text: filled.text,
      kind: 'marketing',
      headers: withoutUnsubscribeHeaders(filled.headers),
      replyTo: campaign.senderIdentity?.replyTo ?? undefined,
      // The test shows the sender identity the recipients will see.
      from: campaign.senderIdentity ? { name: campaign.senderIdentity.name, address: campaign.senderIdentity.email } : undefined,
    })
  }
  const staff = await prisma.staffUser.findUnique({ where: { id: staffId }, select: { email: true } })
  await recordAudit({ actorId: staffId, actorLabel: staff?.email ?? `staff:${staffId}`, action: 'campaign.test', entityType: 'Campaign', entityId: campaignId, data: { recipients: addresses.length } })
  logger.info({ campaignId, recipients: addresses.length }, 'campaign test queued')
  return { queued: addresses.length }
}
