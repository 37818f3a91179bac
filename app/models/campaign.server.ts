// Owns campaigns as staff compose them: creation, settings, content (validated and sanitised on every save),
// duplication, templates, deletion of drafts and the audience estimate. The readiness check lives in
// campaign-readiness.server.ts, sending in campaign-send.server.ts, rendering in campaign-render.server.ts.
import type { Prisma } from '~/generated/prisma/client.ts'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { contentIssueMessage, readEditorBlocks, type CampaignSettings } from '~/models/campaign-schema.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { manuallySuppressedEmails, reachableWhere, segmentWhere } from '~/models/segment.server.ts'
import { segmentFilterSchema } from '~/models/segment-filter.ts'
import { prisma } from '~/utils/db.server.ts'
import { campaignContent, readCampaignContent, type CampaignBlock } from '#emails/campaign/blocks.ts'
import { sanitizeRichText } from '#emails/campaign/sanitize.ts'

// Kept for campaign-send.server.ts, which imports it from here.
export { campaignReadiness } from './campaign-readiness.server.ts'

type Staff = { id: number; email: string }

/** A refusal staff can act on: an i18n key (campaigns.errors.*), `field` names the settings field it concerns. */
export class CampaignError extends Error {
  constructor(
    readonly messageKey: string,
    readonly field?: keyof CampaignSettings,
  ) {
    super(messageKey)
    this.name = 'CampaignError'
  }
}

/** Content and settings may change while nothing has been sent: a draft, a scheduled campaign, a template. */
const editableStatuses = new Set(['DRAFT', 'SCHEDULED'])

export function isEditable(campaign: { status: string; isTemplate: boolean }): boolean {
  return campaign.isTemplate || editableStatuses.has(campaign.status)
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export async function listCampaigns({ templates = false }: { templates?: boolean } = {}) {
  return prisma.campaign.findMany({
    where: { isTemplate: templates },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    select: {
      id: true,
      name: true,
      subject: true,
      status: true,
      scheduledAt: true,
      startedAt: true,
      finishedAt: true,
      updatedAt: true,
      lists: { select: { list: { select: { id: true, name: true } } } },
    },
    take: 500,
  })
}

export async function getCampaignForStaff(id: number) {
  const campaign = await prisma.campaign.findUnique({
    where: { id },
    include: {
      lists: { select: { listId: true, list: { select: { name: true } } } },
      senderIdentity: { select: { id: true, name: true, email: true } },
      segment: { select: { id: true, name: true } },
    },
  })
  if (!campaign) return null
  const { snapshot: _snapshot, content, ...rest } = campaign
  // `content` drops the blocks that no longer parse; `editorBlocks` keeps them, for the editor to show (never lose).
  return { ...rest, content: readCampaignContent(content), editorBlocks: readEditorBlocks(content), listIds: campaign.lists.map((entry) => entry.listId) }
}

/** What the settings form offers: sender identities, lists (not archived), segments, upcoming published events. */
export async function campaignFormChoices(now = new Date()) {
  const [senders, lists, segments, events] = await Promise.all([
    prisma.senderIdentity.findMany({ orderBy: [{ isDefault: 'desc' }, { name: 'asc' }], select: { id: true, name: true, email: true, isDefault: true } }),
    prisma.mailingList.findMany({ where: { archivedAt: null }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { id: true, name: true } }),
    prisma.segment.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    prisma.event.findMany({
      where: { status: 'PUBLISHED', startsAt: { gt: now } },
      orderBy: { startsAt: 'asc' },
      take: 100,
      select: { id: true, title: true, startsAt: true, timeZone: true, kind: true, venueName: true },
    }),
  ])
  return { senders, lists, segments, events }
}

/**
 * How many contacts a send would reach today: reachable contacts with a confirmed subscription to one of the lists
 * (each counted once), narrowed by the segment when there is one, manual suppressions taken out.
 */
export async function estimateRecipients(listIds: number[], segmentId: number | null): Promise<number> {
  if (listIds.length === 0) return 0
  const conditions: Prisma.ContactWhereInput[] = [reachableWhere, { subscriptions: { some: { listId: { in: listIds }, status: 'CONFIRMED' } } }]
  if (segmentId) {
    const segment = await prisma.segment.findUnique({ where: { id: segmentId }, select: { filter: true } })
    const filter = segment ? segmentFilterSchema.safeParse(segment.filter) : null
    if (filter?.success) conditions.push(segmentWhere(filter.data))
  }
  const suppressed = await manuallySuppressedEmails()
  if (suppressed.length > 0) conditions.push({ email: { notIn: suppressed } })
  return prisma.contact.count({ where: { AND: conditions } })
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

async function requireEditable(id: number) {
  const campaign = await prisma.campaign.findUnique({ where: { id }, select: { id: true, status: true, isTemplate: true, name: true } })
  if (!campaign) throw new CampaignError('campaigns.errors.notFound')
  if (!isEditable(campaign)) throw new CampaignError('campaigns.errors.notEditable')
  return campaign
}

/**
 * The write's own guard: a launch may move the campaign to SENDING between requireEditable and the write, so every
 * write matches only an editable row (PostgreSQL re-checks the condition on the row it waited for) and a write
 * that matched nothing is refused.
 */
function editableWhere(id: number): Prisma.CampaignWhereInput {
  return { id, OR: [{ isTemplate: true }, { status: { in: ['DRAFT', 'SCHEDULED'] } }] }
}

export async function createCampaign(input: { name: string; isTemplate?: boolean }, staff: Staff): Promise<number> {
  const [organization, sender] = await Promise.all([
    getOrganization(),
    prisma.senderIdentity.findFirst({ orderBy: [{ isDefault: 'desc' }, { id: 'asc' }], select: { id: true } }),
  ])
  return prisma.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: {
        name: input.name,
        isTemplate: input.isTemplate ?? false,
        locale: organization.defaultLocale === 'en' ? 'en' : 'fr',
        senderIdentityId: sender?.id ?? null,
        createdById: staff.id,
      },
    })
    await recordAudit({ ...staffActor(staff), action: 'campaign.create', entityType: 'Campaign', entityId: campaign.id, data: { name: input.name } }, tx)
    return campaign.id
  })
}

export async function updateCampaignSettings(id: number, settings: CampaignSettings, staff: Staff): Promise<void> {
  await requireEditable(id)
  const [sender, lists, segment] = await Promise.all([
    settings.senderIdentityId ? prisma.senderIdentity.findUnique({ where: { id: settings.senderIdentityId }, select: { id: true } }) : null,
    prisma.mailingList.findMany({ where: { id: { in: settings.listIds } }, select: { id: true } }),
    settings.segmentId ? prisma.segment.findUnique({ where: { id: settings.segmentId }, select: { id: true } }) : null,
  ])
  if (settings.senderIdentityId && !sender) throw new CampaignError('campaigns.errors.senderUnknown', 'senderIdentityId')
  if (lists.length !== new Set(settings.listIds).size) throw new CampaignError('campaigns.errors.listUnknown', 'listIds')
  if (settings.segmentId && !segment) throw new CampaignError('campaigns.errors.segmentUnknown', 'segmentId')
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: editableWhere(id),
      data: {
        name: settings.name,
        subject: settings.subject,
        preheader: settings.preheader,
        senderIdentityId: settings.senderIdentityId,
        segmentId: settings.segmentId,
        locale: settings.locale,
      },
    })
    if (count === 0) throw new CampaignError('campaigns.errors.notEditable')
    await tx.campaignList.deleteMany({ where: { campaignId: id, listId: { notIn: settings.listIds } } })
    if (settings.listIds.length) {
      await tx.campaignList.createMany({ data: settings.listIds.map((listId) => ({ campaignId: id, listId })), skipDuplicates: true })
    }
    await recordAudit({ ...staffActor(staff), action: 'campaign.update', entityType: 'Campaign', entityId: id, data: { ...settings } }, tx)
  })
}

export type ContentSaveResult = { ok: true; savedAt: Date; content: CampaignBlock[] } | { ok: false; errors: string[] }

function contentErrors(error: { issues: Array<{ code: string; path: Array<string | number>; message: string }> }): string[] {
  return [...new Set(error.issues.map(contentIssueMessage))]
}

/**
 * Saves the blocks as the editor sends them (autosave): checked with the block rules (unknown merge fields are
 * refused, with the French message), rich text sanitised, then checked again: sanitising may join characters into
 * something the rules refuse (`{<b></b>{` becomes `{{`), and what is stored must always pass them. A refused save
 * leaves the stored content unchanged. Not audited one by one (the editor saves every second while typing);
 * settings changes and sends are.
 */
export async function updateCampaignContent(id: number, content: unknown): Promise<ContentSaveResult> {
  await requireEditable(id)
  const parsed = campaignContent.safeParse(content)
  if (!parsed.success) return { ok: false, errors: contentErrors(parsed.error) }
  const sanitized = campaignContent.safeParse(parsed.data.map((block) => (block.type === 'text' ? { ...block, html: sanitizeRichText(block.html) } : block)))
  if (!sanitized.success) return { ok: false, errors: contentErrors(sanitized.error) }
  const blocks = sanitized.data
  const [saved] = await prisma.campaign.updateManyAndReturn({ where: editableWhere(id), data: { content: blocks as Prisma.InputJsonValue }, select: { updatedAt: true } })
  if (!saved) throw new CampaignError('campaigns.errors.notEditable')
  return { ok: true, savedAt: saved.updatedAt, content: blocks }
}

async function copyCampaign(sourceId: number, staff: Staff, as: { name: (name: string) => string; isTemplate: boolean; action: string }): Promise<number> {
  const source = await prisma.campaign.findUnique({ where: { id: sourceId }, include: { lists: { select: { listId: true } } } })
  if (!source) throw new CampaignError('campaigns.errors.notFound')
  return prisma.$transaction(async (tx) => {
    const copy = await tx.campaign.create({
      data: {
        name: as.name(source.name).slice(0, 200),
        subject: source.subject,
        preheader: source.preheader,
        locale: source.locale,
        senderIdentityId: source.senderIdentityId,
        segmentId: source.segmentId,
        content: (source.content ?? []) as Prisma.InputJsonValue,
        isTemplate: as.isTemplate,
        createdById: staff.id,
        lists: { create: source.lists.map((entry) => ({ listId: entry.listId })) },
      },
    })
    await recordAudit({ ...staffActor(staff), action: as.action, entityType: 'Campaign', entityId: copy.id, data: { from: sourceId } }, tx)
    return copy.id
  })
}

/** A new draft with the same settings, audience and blocks, named "Copie de …". */
export function duplicateCampaign(id: number, staff: Staff): Promise<number> {
  return copyCampaign(id, staff, { name: (name) => `Copie de ${name}`, isTemplate: false, action: 'campaign.duplicate' })
}

/** A template (a starting point listed apart) made from a campaign. */
export function saveAsTemplate(id: number, staff: Staff): Promise<number> {
  return copyCampaign(id, staff, { name: (name) => name, isTemplate: true, action: 'campaign.template' })
}

/** A new draft from a template. */
export async function createFromTemplate(templateId: number, staff: Staff): Promise<number> {
  const template = await prisma.campaign.findUnique({ where: { id: templateId }, select: { isTemplate: true } })
  if (!template?.isTemplate) throw new CampaignError('campaigns.errors.notFound')
  return copyCampaign(templateId, staff, { name: (name) => name, isTemplate: false, action: 'campaign.fromTemplate' })
}

/** Only a draft or a template may be deleted: anything scheduled or sent stays, for the record. */
export async function deleteDraft(id: number, staff: Staff): Promise<void> {
  const campaign = await prisma.campaign.findUnique({ where: { id }, select: { status: true, isTemplate: true, name: true } })
  if (!campaign) throw new CampaignError('campaigns.errors.notFound')
  if (!campaign.isTemplate && campaign.status !== 'DRAFT') throw new CampaignError('campaigns.errors.notDeletable')
  await prisma.$transaction(async (tx) => {
    // Only what is still a draft (or a template) at the moment of the delete: a launch may have come in between.
    const { count } = await tx.campaign.deleteMany({ where: { id, OR: [{ isTemplate: true }, { status: 'DRAFT' }] } })
    if (count === 0) throw new CampaignError('campaigns.errors.notDeletable')
    await recordAudit({ ...staffActor(staff), action: 'campaign.delete', entityType: 'Campaign', entityId: id, data: { name: campaign.name } }, tx)
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Test sends

/** Who may receive a test: the active staff accounts (a test never goes to a contact or a typed address). */
export function testRecipientChoices() {
  return prisma.staffUser.findMany({ where: { status: 'ACTIVE' }, orderBy: { name: 'asc' }, select: { id: true, name: true, email: true } })
}

/** The addresses kept for a test: each must be an active staff account's; throws when one is not, or none given. */
export async function checkTestRecipients(addresses: string[]): Promise<string[]> {
  const wanted = [...new Set(addresses.map((address) => address.trim().toLowerCase()).filter(Boolean))]
  if (wanted.length === 0) throw new CampaignError('campaigns.errors.testNoRecipient')
  if (wanted.length > 20) throw new CampaignError('campaigns.errors.testTooMany')
  const staff = await prisma.staffUser.findMany({ where: { status: 'ACTIVE', email: { in: wanted } }, select: { email: true } })
  if (staff.length !== wanted.length) throw new CampaignError('campaigns.errors.testNotStaff')
  return wanted
}
