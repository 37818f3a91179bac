// Owns the one-click registration from a newsletter (/inscription/:token): reading the signed link (a contact and an
// event), what its page may offer (the button, the person's registration, or why registering is not possible), the
// registration itself (source INVITATION, from the contact's own profile), the aggregate click count of the event
// card's link; and the staff "invitation campaign", a draft newsletter made for one event.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { campaignContent, mergeText, singleLineMergeText, type CampaignBlock } from '#emails/campaign/blocks.ts'
import { campaignCopy, type CampaignLocale } from '#emails/campaign/copy.ts'
import { sanitizeRichText } from '#emails/campaign/sanitize.ts'
import { escapeHtml } from '#emails/template.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import type { RegistrationStatus } from '~/generated/prisma/enums.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { readEventInviteToken, readTrackedLinkRef } from '~/utils/links.server.ts'
import { verifyToken } from '~/utils/token.server.ts'
import { eventPageUrl, personLocale } from './event-invite.server.ts'
import { getManagedRegistration, publicEventSelect } from './event-page.server.ts'
import { attendeeFromProfile, readQuestions, type Answers, type AttendeeInput, type EventQuestion } from './event-schema.ts'
import { recordClick } from './measurement.server.ts'
import { registerForEvent, registrationState, seatCounts, type RegistrationClosedReason } from './registration.server.ts'

const contactSelect = { id: true, email: true, firstName: true, lastName: true, organization: true, actorType: true, territory: true, locale: true, status: true, erasedAt: true } as const

async function findInvitedContact(contactId: number) {
  const contact = await prisma.contact.findUnique({ where: { id: contactId }, select: contactSelect })
  // An erased contact keeps its row without an address: its old links name nobody any more.
  if (!contact?.email || contact.erasedAt || contact.status === 'ERASED') return null
  return { ...contact, email: contact.email }
}

async function findInvitedEvent(eventId: number) {
  // Drafts do not exist for the public; a cancelled event gets a page that says so.
  const event = await prisma.event.findFirst({ where: { id: eventId, status: { in: ['PUBLISHED', 'CANCELLED'] } }, select: publicEventSelect })
  return event ? { ...event, questions: readQuestions(event.questions) } : null
}

export type InvitedContact = NonNullable<Awaited<ReturnType<typeof findInvitedContact>>>
export type InvitedEvent = NonNullable<Awaited<ReturnType<typeof findInvitedEvent>>>
export type InvitationLink = { state: 'invalid' | 'expired' } | { state: 'ready'; contact: InvitedContact; event: InvitedEvent }

/** The contact and event of a one-click link; `invalid` when forged, of another purpose, or naming nobody/nothing. */
export async function readInvitation(token: string, now = new Date()): Promise<InvitationLink> {
  const ids = readEventInviteToken(token, now)
  if (!ids) {
    // Authentic but past its date: said apart (410), so the person knows the link was real.
    const check = verifyToken(token, 'event-invite', now)
    return { state: !check.ok && check.reason === 'expired' ? 'expired' : 'invalid' }
  }
  const [contact, event] = await Promise.all([findInvitedContact(ids.contactId), findInvitedEvent(ids.eventId)])
  return contact && event ? { state: 'ready', contact, event } : { state: 'invalid' }
}

const activeStatuses: RegistrationStatus[] = ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL']

async function activeRegistrationId(eventId: number, email: string): Promise<number | null> {
  const row = await prisma.registration.findFirst({ where: { eventId, email, status: { in: activeStatuses } }, select: { id: true } })
  return row?.id ?? null
}

export type InvitationState =
  | { kind: 'registered'; status: RegistrationStatus; waitlistPosition: number | null }
  | { kind: 'open'; waitlist: boolean; approvalRequired: boolean }
  | { kind: 'closed'; reason: RegistrationClosedReason }

/** What the page offers: the person's own registration when they hold one, else the button or why not. */
export async function invitationState(link: Extract<InvitationLink, { state: 'ready' }>, now = new Date()): Promise<InvitationState> {
  const { contact, event } = link
  const existing = await activeRegistrationId(event.id, contact.email)
  if (existing) {
    const registration = await getManagedRegistration(existing)
    if (registration) return { kind: 'registered', status: registration.status, waitlistPosition: registration.waitlistPosition }
  }
  if (event.status === 'CANCELLED') return { kind: 'closed', reason: 'cancelled' }
  const state = registrationState(event, await seatCounts(event.id), now)
  if (!state.open) return { kind: 'closed', reason: state.reason }
  return { kind: 'open', waitlist: state.waitlist, approvalRequired: event.approvalRequired }
}

const nameOk = (value: string | null) => Boolean(value?.trim()) && (value?.trim().length ?? 0) <= 80

/**
 * What the page must ask before the button registers anyone: the names when the contact's profile lacks one (a
 * registration needs both), and the event's questions when one of them is required.
 */
export function invitationQuestions(link: { contact: InvitedContact; event: InvitedEvent }): { askNames: boolean; questions: EventQuestion[] } {
  const { contact, event } = link
  return {
    askNames: !nameOk(contact.firstName) || !nameOk(contact.lastName),
    questions: event.questions.some((question) => question.required) ? event.questions : [],
  }
}

/** The attendee a one-click registration stores: the contact's own profile, with the names typed on the page. */
export function invitedAttendee(contact: InvitedContact, names: { firstName: string; lastName: string }): AttendeeInput {
  return attendeeFromProfile({ ...contact, ...names })
}

export type InvitationOutcome = { kind: 'registered' } | { kind: 'already' } | { kind: 'refused'; reason: RegistrationClosedReason }

/**
 * The button: registers the contact (once, whatever the number of posts: the seat decision runs under the event's
 * lock), source INVITATION. A post from someone already registered changes nothing and sends nothing (the public
 * form's "already registered" email is for a person who cannot be told on the page; here the page says it): the
 * early check answers a later post, quietAlready the post that raced the first one under the lock (and keeps its
 * answer `already`, not `full`, when the first one took the last seat).
 */
export async function registerFromInvitation(
  link: { contact: InvitedContact; event: InvitedEvent },
  input: { firstName: string; lastName: string; answers: Answers },
  now = new Date(),
): Promise<InvitationOutcome> {
  if (await activeRegistrationId(link.event.id, link.contact.email)) return { kind: 'already' }
  const outcome = await registerForEvent(
    { eventId: link.event.id, attendee: invitedAttendee(link.contact, input), answers: input.answers, source: 'INVITATION', quietAlready: true },
    now,
  )
  if (outcome.status === 'refused') return { kind: 'refused', reason: outcome.reason }
  return { kind: outcome.status === 'already' ? 'already' : 'registered' }
}

/**
 * One more click on the event card's button, counted on the card's CampaignLink like a `/l/` click (aggregate, and
 * the first click of a consenting recipient's delivery with `?r=`). Only a signed reference of this event's page
 * link counts: a reference of another link changes nothing.
 */
export async function countInvitationClick(event: { slug: string }, ref: string | null, measurement: string | null): Promise<void> {
  const linkId = ref ? readTrackedLinkRef(ref) : null
  if (linkId === null) return
  const link = await prisma.campaignLink.findUnique({ where: { id: linkId }, select: { url: true } })
  if (link?.url !== eventPageUrl(event.slug)) return
  await recordClick(linkId, measurement)
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: an invitation campaign for one event

/** Why an event cannot be the subject of an invitation campaign (i18n keys under eventInvitation.staff.refused). */
export type InviteRefusal = 'draft' | 'cancelled' | 'past'

/** The event staff invite to, with the reason it cannot be (null when it can). */
export async function eventForInvitationCampaign(eventId: number, now = new Date()) {
  const event = await prisma.event.findUnique({ where: { id: eventId }, select: { id: true, title: true, status: true, startsAt: true, timeZone: true } })
  if (!event) return null
  const refusal: InviteRefusal | null = event.status === 'DRAFT' ? 'draft' : event.status === 'CANCELLED' ? 'cancelled' : event.startsAt <= now ? 'past' : null
  return { ...event, refusal }
}

const id = z.coerce.number().int().positive().max(2_147_483_647)
const requestKeyPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The one-time key the staff form carries: the same form posted twice (a double click, a resent post) makes one draft. */
export function invitationRequestKey(): string {
  return randomUUID()
}

/**
 * The merge-field rules of blocks.ts as a refinement (their messages are French sentences): not a pipe, since
 * conform turns an empty text into `undefined` inside every string schema it finds, which would make it required.
 */
const mergeRules = (rule: z.ZodTypeAny) => (value: string, ctx: z.RefinementCtx) => {
  const checked = rule.safeParse(value)
  if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message })
}

/** The staff form: audience as the campaign settings choose it, the subject and the intro text (merge fields allowed). */
export const invitationCampaignSchema = z.object({
  subject: z
    .string({ required_error: 'eventInvitation.staff.errors.subjectRequired' })
    .trim()
    .min(1, 'eventInvitation.staff.errors.subjectRequired')
    .superRefine(mergeRules(singleLineMergeText(200))),
  intro: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .superRefine(mergeRules(mergeText(5000))),
  listIds: z
    .union([z.array(z.string()), z.string()], { required_error: 'eventInvitation.staff.errors.listRequired' })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(id).min(1, 'eventInvitation.staff.errors.listRequired').max(50)),
  segmentId: z.union([z.literal('').transform(() => null), id]).optional().transform((value) => value ?? null),
  /** The page's one-time key (see invitationRequestKey): anything else counts as none. */
  requestKey: z
    .string()
    .optional()
    .transform((value) => (value && requestKeyPattern.test(value) ? value : null)),
})

export type InvitationCampaignInput = z.output<typeof invitationCampaignSchema>
export type InvitationCampaignFields = z.input<typeof invitationCampaignSchema>

/** Plain text as the rich text of a text block: paragraphs at blank lines, line breaks kept, everything escaped. */
export function introHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, '<br />')}</p>`)
    .join('')
}

/**
 * The blocks of an invitation: the event's title, the intro, the event's card, whose button (each contact's own
 * link) says « Je m’inscris » in the campaign's language.
 */
export function invitationBlocks(event: { id: number; title: string }, intro: string, locale: CampaignLocale = 'fr'): CampaignBlock[] {
  const html = introHtml(intro)
  return [
    // A title is not a merge text: braces in it would read as a broken merge field.
    { id: 'titre', type: 'heading', text: event.title.replace(/[{}]/g, ''), level: 1 },
    ...(html ? [{ id: 'intro', type: 'text' as const, html: sanitizeRichText(html) }] : []),
    { id: 'evenement', type: 'event', eventId: event.id, buttonLabel: campaignCopy[locale].register },
  ]
}

export class InvitationCampaignError extends Error {
  constructor(readonly messageKey: string) {
    super(messageKey)
    this.name = 'InvitationCampaignError'
  }
}

/** The draft an earlier post with the same one-time key made (null when none, or when it was deleted since). */
async function draftOfRequest(tx: Prisma.TransactionClient, requestKey: string, staffId: number, now: Date): Promise<number | null> {
  const made = await tx.auditLog.findFirst({
    where: { action: 'campaign.create', entityType: 'Campaign', actorId: staffId, createdAt: { gt: new Date(now.getTime() - 24 * 60 * 60 * 1000) }, data: { path: ['requestKey'], equals: requestKey } },
    select: { entityId: true },
  })
  if (!made?.entityId) return null
  const campaign = await tx.campaign.findUnique({ where: { id: Number(made.entityId) }, select: { id: true } })
  return campaign?.id ?? null
}

/**
 * Creates the draft: named and titled after the event, its audience and subject as chosen, the blocks above. Staff
 * then preview, test and schedule it on the campaign's own page. One transaction writes the campaign with its
 * settings, lists, content and audit row (a failure leaves nothing behind); under a per-event advisory lock, a post
 * whose one-time key already made a draft answers that draft instead of a second one. Throws
 * InvitationCampaignError (i18n key) when the event cannot be invited to, or a list or segment is unknown.
 */
export async function createInvitationCampaign(eventId: number, input: InvitationCampaignInput, staff: { id: number; email: string }, now = new Date()): Promise<number> {
  const event = await eventForInvitationCampaign(eventId, now)
  if (!event) throw new InvitationCampaignError('eventInvitation.staff.notFound')
  if (event.refusal) throw new InvitationCampaignError(`eventInvitation.staff.refused.${event.refusal}`)
  const [organization, sender] = await Promise.all([
    getOrganization(),
    prisma.senderIdentity.findFirst({ orderBy: [{ isDefault: 'desc' }, { id: 'asc' }], select: { id: true } }),
  ])
  const locale: CampaignLocale = personLocale(organization.defaultLocale)
  const blocks = campaignContent.safeParse(invitationBlocks(event, input.intro, locale))
  if (!blocks.success) throw new InvitationCampaignError('eventInvitation.staff.errors.content')
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('relais.invitation.campaign'), ${event.id}::int)`
    if (input.requestKey) {
      const earlier = await draftOfRequest(tx, input.requestKey, staff.id, now)
      if (earlier !== null) return earlier
    }
    const [lists, segment] = await Promise.all([
      tx.mailingList.count({ where: { id: { in: input.listIds }, archivedAt: null } }),
      input.segmentId === null ? null : tx.segment.findUnique({ where: { id: input.segmentId }, select: { id: true } }),
    ])
    if (lists !== new Set(input.listIds).size) throw new InvitationCampaignError('eventInvitation.staff.errors.listUnknown')
    if (input.segmentId !== null && !segment) throw new InvitationCampaignError('eventInvitation.staff.errors.segmentUnknown')
    const name = `Invitation : ${event.title}`.slice(0, 200)
    const campaign = await tx.campaign.create({
      data: {
        name,
        subject: input.subject,
        locale,
        senderIdentityId: sender?.id ?? null,
        segmentId: input.segmentId,
        eventId: event.id,
        content: blocks.data as Prisma.InputJsonValue,
        createdById: staff.id,
        lists: { create: [...new Set(input.listIds)].map((listId) => ({ listId })) },
      },
      select: { id: true },
    })
    const data = { name, eventId: event.id, subject: input.subject, listIds: input.listIds, segmentId: input.segmentId, requestKey: input.requestKey }
    await recordAudit({ ...staffActor(staff), action: 'campaign.create', entityType: 'Campaign', entityId: campaign.id, data }, tx)
    return campaign.id
  })
}
