// Owns what a worker process keeps per campaign while sending it: the message factory built once from the stored
// snapshot (Campaign.snapshot, compiled at launch), the sender's shared rate gate, and the per-recipient values
// (signed links — the event cards' one-click registration links among them —, measurement parts only for
// consenting contacts).
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import { createMessageFactory, type BuiltMessage, type MessageFactory, type RecipientValues } from '#emails/campaign/message.ts'
import { getOrganization } from '~/models/organization.server.ts'
import type { ClaimedDelivery } from '~/utils/campaign-ledger.server.ts'
import { SenderRateGate } from '~/utils/campaign-rate.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { eventInviteUrl, measurementToken, preferencesUrl, unsubscribeUrl } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'

export interface CampaignContext {
  campaignId: number
  factory: MessageFactory
  /** Right-hand side of the Message-IDs. */
  hostname: string
  gate: SenderRateGate
  /** When the cached context was built from the snapshot of this launch. */
  startedAt: number
}

const contexts = new Map<number, CampaignContext>()
const gates = new Map<string, SenderRateGate>()

/** `Name <address>` or a bare address, as MAIL_FROM is written. */
function parseMailFrom(value: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  return match ? { name: match[1]!.replace(/^"|"$/g, ''), address: match[2]!.trim() } : { name: '', address: value.trim() }
}

function gateFor(senderKey: string, perSecond: number, perHour: number): SenderRateGate {
  const key = `${senderKey}:${perSecond}:${perHour}`
  let gate = gates.get(key)
  if (!gate) {
    gate = new SenderRateGate(redis, senderKey, { perSecond, perHour })
    gates.set(key, gate)
  }
  return gate
}

/** The campaign's sending context, built once per launch and process; null when it has no snapshot. */
export async function campaignContext(campaignId: number): Promise<CampaignContext | null> {
  const campaign = await prisma.campaign.findUnique({
    where: { id: campaignId },
    select: {
      startedAt: true,
      senderIdentity: { select: { id: true, name: true, email: true, replyTo: true, ratePerSecond: true, ratePerHour: true } },
    },
  })
  if (!campaign?.startedAt) return null
  const sender = campaign.senderIdentity
  // Read at every batch: staff may change the identity's rate while a campaign is sending.
  const gate = sender ? gateFor(`sender-${sender.id}`, sender.ratePerSecond, sender.ratePerHour) : gateFor('default', 1_000_000, 1_000_000_000)
  const cached = contexts.get(campaignId)
  if (cached && cached.startedAt === campaign.startedAt.getTime()) {
    cached.gate = gate
    return cached
  }
  // The snapshot (the whole compiled HTML) is read once per launch and process.
  const stored = await prisma.campaign.findUnique({
    where: { id: campaignId },
    select: { snapshot: true, lists: { select: { list: { select: { id: true, name: true, slug: true } } } } },
  })
  if (!stored?.snapshot) return null
  const env = getEnv()
  const organization = await getOrganization()
  const from = sender ? { name: sender.name, address: sender.email } : parseMailFrom(env.MAIL_FROM)
  const factory = createMessageFactory(stored.snapshot as unknown as CompiledCampaign, {
    from,
    replyTo: sender?.replyTo || organization.replyTo || null,
    lists: Object.fromEntries(stored.lists.map(({ list }) => [list.id, { name: list.name, slug: list.slug }])),
    hostname: new URL(env.APP_URL).hostname,
  })
  const context: CampaignContext = { campaignId, factory, hostname: new URL(env.APP_URL).hostname, gate, startedAt: campaign.startedAt.getTime() }
  contexts.set(campaignId, context)
  return context
}

/** The values filled into one recipient's message. */
export function recipientValues(campaignId: number, row: Sendable): RecipientValues {
  let clickQuery = ''
  let openPixel = ''
  if (row.measurementConsent) {
    const token = measurementToken(row.id)
    clickQuery = `?r=${token}`
    openPixel = `<img src="${getEnv().APP_URL}/o/${token}" width="1" height="1" alt="" style="display:block;border:0">`
  }
  return {
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    company: row.organization,
    territory: row.territory,
    listId: row.listId,
    unsubscribeUrl: unsubscribeUrl({ contactId: row.contactId, campaignId, listIds: row.listId === null ? undefined : [row.listId] }),
    preferencesUrl: preferencesUrl(row.contactId),
    clickQuery,
    openPixel,
    // Each event card's "Je m'inscris" registers this contact in one click (after a confirmation button).
    eventInviteUrl: (eventId) => eventInviteUrl(row.contactId, eventId),
  }
}

type Sendable = ClaimedDelivery & { email: string; contactId: number }

/**
 * One recipient's message, its Message-ID derived from the delivery (`<d<delivery>.c<campaign>.<launch>@host>`): every
 * copy of one delivery (a retry after a 4xx, a resend after a crash) carries the same id, so a receiving client folds
 * a duplicate; the factory also writes it as X-MJ-CustomID, by which a relay's bounce finds the delivery.
 */
export function buildMessage(context: CampaignContext, row: Sendable): BuiltMessage {
  const messageId = `<d${row.id}.c${context.campaignId}.${context.startedAt.toString(36)}@${context.hostname}>`
  return context.factory.build({ ...recipientValues(context.campaignId, row), messageId })
}
