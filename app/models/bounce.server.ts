// Owns asynchronous bounces and complaints reported by a relay's webhook (/api/webhooks/bounces): reading the three
// accepted payloads (our generic JSON, Brevo's and Mailjet's) into one event shape, and their effects. A hard bounce
// suppresses the address (contact BOUNCED); a complaint unsubscribes the contact from every list and suppresses the
// address (contact COMPLAINED); a soft bounce is only logged, since the relay retries it. When the event names the
// Message-ID of one of our deliveries to that address, a hard bounce marks that delivery BOUNCED with the reason.
// Replaying an event changes nothing more: every effect is conditional on the state it changes.
import { z } from 'zod'
import { prisma } from '~/utils/db.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import { logger } from '~/utils/logger.server.ts'
import { unsubscribe } from './subscription.server.ts'
import { suppressAddress } from './suppression.server.ts'

export type BounceKind = 'hard_bounce' | 'soft_bounce' | 'complaint'

export interface BounceEvent {
  kind: BounceKind
  email: string
  reason?: string
  /** Our Message-ID (with or without angle brackets) or another id the relay echoes back. */
  messageIds: string[]
}

export interface ParsedWebhook {
  events: BounceEvent[]
  /**
   * Events of other kinds (delivered, opened…), without a usable address, or malformed within a batch: acknowledged,
   * not acted upon (refusing the whole batch for one bad item would make the relay retry it forever).
   */
  ignored: number
}

const email = z.string().trim().toLowerCase().email().max(320)
const text = z.string().max(10_000)

// (1) Our generic format: { "events": [{ "type", "email", "reason"?, "message_id"? }] }; each event is read on its own.
const genericBody = z.object({ events: z.array(z.unknown()).min(1).max(10_000) })
const genericEvent = z.object({
  type: z.enum(['hard_bounce', 'soft_bounce', 'complaint']),
  email,
  reason: text.optional(),
  message_id: text.optional(),
})

// (2) Brevo's transactional webhook: one event per request, fields `event`, `email`, `reason`, `message-id` (the
// Message-ID header of the sent message), plus `id`, `date`, `ts`, `ts_event`, `ts_epoch`, `subject`, `tag(s)`,
// `X-Mailin-custom`. Event names: hard_bounce, soft_bounce, spam, blocked, invalid_email, and non-bounce ones
// (request, delivered, opened, click, deferred, unsubscribed, error…) which we acknowledge and ignore.
// https://developers.brevo.com/docs/transactional-webhooks (field names as read by django-anymail's Brevo handler)
const brevoEvent = z.object({
  event: z.string().max(64),
  email: z.string().max(320),
  reason: z.string().max(10_000).optional(),
  'message-id': z.string().max(1000).optional(),
})
const brevoKinds: Record<string, BounceKind> = {
  hard_bounce: 'hard_bounce',
  // The address itself is invalid: never worth another try.
  invalid_email: 'hard_bounce',
  soft_bounce: 'soft_bounce',
  // Refused by Brevo's own block list (an earlier unsubscribe or bounce at Brevo), not by the mailbox: recorded only.
  blocked: 'soft_bounce',
  spam: 'complaint',
}

// (3) Mailjet's Event API ("Event tracking" webhook): a single object, or an array when events are grouped
// (Version 2). Every event has `event`, `time`, `email`, `MessageID`, `Message_GUID`, `CustomID` (the X-MJ-CustomID
// header set at send time), `mj_campaign_id`, `mj_contact_id`, `customcampaign`, `Payload`; a `bounce` adds
// `blocked`, `hard_bounce` (true if the error was permanent), `error_related_to` and `error` (e.g. "recipient" /
// "user unknown"); a `blocked` event adds `error_related_to` and `error`; a `spam` event adds `source`.
// https://dev.mailjet.com/email/guides/webhooks/ (github.com/mailjet/api-documentation, guides/_event-api.md)
const mailjetEvent = z.object({
  event: z.string().max(64),
  email: z.string().max(320),
  hard_bounce: z.boolean().optional(),
  error_related_to: z.string().max(200).optional(),
  error: z.string().max(10_000).optional(),
  Message_GUID: z.string().max(1000).optional(),
  CustomID: z.string().max(1000).optional(),
})
const mailjetMarkers = ['MessageID', 'Message_GUID', 'CustomID', 'mj_campaign_id', 'mj_contact_id', 'hard_bounce', 'error_related_to', 'customcampaign']
/** Mailjet `error` values (with error_related_to "recipient") that mean the address does not exist. */
const mailjetDeadAddress = new Set(['user unknown', 'mailbox inactive'])

function mailjetKind(event: z.infer<typeof mailjetEvent>): BounceKind | null {
  if (event.event === 'spam') return 'complaint'
  if (event.event === 'bounce') return event.hard_bounce ? 'hard_bounce' : 'soft_bounce'
  if (event.event === 'blocked') {
    // Mailjet refused to send: a known dead address is a hard bounce; its own filters (spam, policy) are not.
    return event.error_related_to === 'recipient' && mailjetDeadAddress.has(event.error ?? '') ? 'hard_bounce' : 'soft_bounce'
  }
  return null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function looksLikeMailjet(value: Record<string, unknown>): boolean {
  return value.event === 'bounce' || mailjetMarkers.some((key) => key in value)
}

/** Adds one provider event to `into`, or counts it as ignored (another kind of event, or no usable address). */
function collect(into: ParsedWebhook, kind: BounceKind | null, address: string, reason: string | undefined, messageIds: Array<string | undefined>): void {
  const parsedEmail = email.safeParse(address)
  if (!kind || !parsedEmail.success) {
    into.ignored += 1
    return
  }
  into.events.push({ kind, email: parsedEmail.data, reason: reason || undefined, messageIds: messageIds.filter((id): id is string => Boolean(id)) })
}

/**
 * Reads a webhook body (already JSON-parsed) in any of the three formats. In a batch, an item that is not a
 * well-formed event is skipped and counted in `ignored`; null when nothing in the body is a recognisable event
 * (not one of the formats at all, or every item malformed).
 */
export function parseBounceWebhook(body: unknown): ParsedWebhook | null {
  const result: ParsedWebhook = { events: [], ignored: 0 }
  let recognised = 0
  if (isObject(body) && 'events' in body) {
    const generic = genericBody.safeParse(body)
    if (!generic.success) return null
    for (const item of generic.data.events) {
      const event = genericEvent.safeParse(item)
      if (!event.success) {
        result.ignored += 1
        continue
      }
      recognised += 1
      const { type, reason, message_id: messageId } = event.data
      result.events.push({ kind: type, email: event.data.email, reason: reason || undefined, messageIds: messageId ? [messageId] : [] })
    }
    return recognised > 0 ? result : null
  }
  const items = Array.isArray(body) ? body : [body]
  if (items.length === 0 || items.length > 10_000) return null
  for (const item of items) {
    // Mailjet groups its events in an array; Brevo sends one object per request.
    const mailjet = isObject(item) && (Array.isArray(body) || looksLikeMailjet(item)) ? mailjetEvent.safeParse(item) : null
    const brevo = isObject(item) && !mailjet ? brevoEvent.safeParse(item) : null
    if (mailjet?.success) {
      const reason = [mailjet.data.error_related_to, mailjet.data.error].filter(Boolean).join(': ')
      // Mailjet does not echo our Message-ID; CustomID does, since the message factory sets X-MJ-CustomID to it.
      collect(result, mailjetKind(mailjet.data), mailjet.data.email, reason, [mailjet.data.CustomID, mailjet.data.Message_GUID])
    } else if (brevo?.success) {
      collect(result, brevoKinds[brevo.data.event] ?? null, brevo.data.email, brevo.data.reason, [brevo.data['message-id']])
    } else {
      result.ignored += 1
      continue
    }
    recognised += 1
  }
  return recognised > 0 ? result : null
}

/** Both spellings of a Message-ID: `<id@host>` and `id@host`. */
function messageIdForms(ids: string[]): string[] {
  return ids.flatMap((id) => {
    const bare = id.trim().replace(/^<(.*)>$/, '$1')
    return bare ? [bare, `<${bare}>`] : []
  })
}

async function deliveryFor(event: BounceEvent): Promise<{ id: bigint; campaignId: number } | null> {
  const forms = messageIdForms(event.messageIds)
  if (forms.length === 0) return null
  // The address must be the delivery's own: an event never changes another person's delivery.
  return prisma.delivery.findFirst({ where: { messageId: { in: forms }, contact: { email: event.email } }, select: { id: true, campaignId: true } })
}

function shorten(reason: string | undefined): string | undefined {
  return reason ? reason.slice(0, 1000) : undefined
}

async function recordOne(event: BounceEvent): Promise<void> {
  const delivery = await deliveryFor(event)
  const ids = { deliveryId: delivery?.id.toString() ?? null, campaignId: delivery?.campaignId ?? null }
  if (event.kind === 'soft_bounce') {
    logger.info({ ...ids, kind: event.kind }, 'soft bounce reported by the relay (no suppression: the relay retries)')
    return
  }
  const detail = shorten(event.reason)
  if (event.kind === 'complaint') {
    const contact = await prisma.contact.findUnique({ where: { email: event.email }, select: { id: true } })
    if (contact) {
      const sourceRef = delivery ? `campaign:${delivery.campaignId}` : undefined
      await unsubscribe({ contactId: contact.id, listIds: 'all', source: 'SYSTEM', channel: 'complaint', sourceRef })
    }
    // After the unsubscribe, which leaves the contact UNSUBSCRIBED: the suppression then marks it COMPLAINED.
    await suppressAddress({ email: event.email, reason: 'COMPLAINT', detail })
  } else {
    await prisma.$transaction(async (tx) => {
      await suppressAddress({ email: event.email, reason: 'HARD_BOUNCE', detail }, tx)
      if (delivery) {
        await tx.delivery.updateMany({ where: { id: delivery.id, status: { not: 'BOUNCED' } }, data: { status: 'BOUNCED', error: detail ?? 'hard bounce' } })
      }
    })
  }
  logger.info({ ...ids, kind: event.kind }, 'bounce or complaint reported by the relay recorded')
}

/** Applies the events in order; returns how many were acted upon. */
export async function recordBounceEvents(events: BounceEvent[]): Promise<{ accepted: number }> {
  for (const event of events) await recordOne({ ...event, email: normalizeEmail(event.email) })
  return { accepted: events.length }
}
