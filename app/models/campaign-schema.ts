// Owns the shapes of what staff type on the campaign pages (conform + zod), shared by forms and models: a campaign's
// settings, a sender identity, a schedule's date and time read on the organisation's clocks (pure, DST-correct), and
// the stored blocks as the editor holds them (unparsable ones kept) with the content rules' complaints in French.
// Messages are i18n keys (campaigns.form.*), except those of the merge-field rules from emails/campaign/blocks.ts,
// which are French sentences naming the faulty field: the form shows a message as is when it is not a key.
import { z } from 'zod'
import { campaignBlock, singleLineMergeText, type CampaignBlock } from '#emails/campaign/blocks.ts'

const id = z.coerce.number().int().positive().max(2_147_483_647)

/** A checkbox group: nothing ticked arrives as undefined, one as a string, several as an array. */
const idList = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .pipe(z.array(id).max(50))

/**
 * A subject or preheader, empty allowed (readiness asks for the subject before a send). The merge-field rules run in
 * a refinement rather than a pipe: conform turns an empty text into `undefined` inside every string schema it finds,
 * a piped one included, which would make an empty preheader "required".
 */
const optionalMergeLine = (max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .superRefine((value, ctx) => {
      const checked = singleLineMergeText(max).safeParse(value)
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message })
    })

export const campaignLocales = ['fr', 'en'] as const

export const campaignSettingsSchema = z.object({
  name: z.string({ required_error: 'campaigns.form.nameRequired' }).trim().min(1, 'campaigns.form.nameRequired').max(200, 'campaigns.form.tooLong'),
  subject: optionalMergeLine(200),
  preheader: optionalMergeLine(250),
  senderIdentityId: z.union([z.literal('').transform(() => null), id]).optional().transform((value) => value ?? null),
  listIds: idList,
  segmentId: z.union([z.literal('').transform(() => null), id]).optional().transform((value) => value ?? null),
  locale: z.enum(campaignLocales, { errorMap: () => ({ message: 'campaigns.form.localeInvalid' }) }).default('fr'),
})

export type CampaignSettings = z.output<typeof campaignSettingsSchema>
export type CampaignSettingsInput = z.input<typeof campaignSettingsSchema>

/** The name of a new campaign (the rest is filled in on its page). */
export const newCampaignSchema = z.object({
  name: z.string({ required_error: 'campaigns.form.nameRequired' }).trim().min(1, 'campaigns.form.nameRequired').max(200, 'campaigns.form.tooLong'),
})

/** A message is an i18n key when it looks like one ("campaigns.form.nameRequired"), else a French sentence. */
export function isMessageKey(message: string): boolean {
  return /^[a-zA-Z]+(\.[a-zA-Z0-9_]+)+$/.test(message)
}

const routeId = z.coerce.number().int().positive().max(2_147_483_647)

/** The campaign id of a route's `:id`, or a 404. */
export function campaignIdParam(value: string | undefined): number {
  const parsed = routeId.safeParse(value)
  if (!parsed.success) throw new Response('Campagne introuvable', { status: 404 })
  return parsed.data
}

const address = z.string().trim().toLowerCase().max(254, 'campaigns.senders.errors.tooLong').email('campaigns.senders.errors.email')

/** The form of one sender identity (admin page /admin/senders); messages are i18n keys (campaigns.senders.errors.*). */
export const senderIdentitySchema = z.object({
  name: z.string({ required_error: 'campaigns.senders.errors.name' }).trim().min(1, 'campaigns.senders.errors.name').max(120, 'campaigns.senders.errors.tooLong').refine((value) => !/[\r\n"<>]/.test(value), 'campaigns.senders.errors.nameChars'),
  email: z.string({ required_error: 'campaigns.senders.errors.email' }).pipe(address),
  replyTo: z
    .string()
    .optional()
    .transform((value) => value?.trim() || null)
    .pipe(address.nullable()),
  ratePerSecond: z.coerce.number({ invalid_type_error: 'campaigns.senders.errors.rate' }).int('campaigns.senders.errors.rate').min(1, 'campaigns.senders.errors.rate').max(10_000, 'campaigns.senders.errors.rate'),
  ratePerHour: z.coerce.number({ invalid_type_error: 'campaigns.senders.errors.rate' }).int('campaigns.senders.errors.rate').min(1, 'campaigns.senders.errors.rate').max(36_000_000, 'campaigns.senders.errors.rate'),
  isDefault: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
})

export type SenderIdentityInput = z.output<typeof senderIdentitySchema>

export { instantToWallClock, wallClockToInstant, type WallClock } from '~/utils/wall-clock.ts'

/**
 * A stored block that no longer parses (saved before a rule existed, or written by hand): the editor shows it as an
 * error block and sends it back untouched, so the server refuses the save until staff fix or delete it. It is never
 * dropped silently. `id` is the editor's own key; `raw` is exactly what was stored.
 */
export type UnreadableBlock = { type: 'unreadable'; id: string; raw: unknown }
export type EditorBlock = CampaignBlock | UnreadableBlock

/** The stored content as the editor shows it: every item kept, in order, the unparsable ones as UnreadableBlock. */
export function readEditorBlocks(value: unknown): EditorBlock[] {
  if (!Array.isArray(value)) return []
  return value.map((item: unknown, index): EditorBlock => {
    const parsed = campaignBlock.safeParse(item)
    return parsed.success ? parsed.data : { type: 'unreadable', id: `unreadable-${index}`, raw: item }
  })
}

/** What the editor posts: its blocks, unreadable ones as they were stored. */
export function editorBlocksToContent(blocks: EditorBlock[]): unknown[] {
  return blocks.map((block) => (block.type === 'unreadable' ? block.raw : block))
}

/** zod's own messages (a wrong type, an unknown block type) are English and name no field staff know. */
const shapeIssues = new Set(['invalid_type', 'invalid_union_discriminator', 'invalid_union', 'invalid_literal', 'invalid_enum_value', 'unrecognized_keys'])

/** A content rule's complaint as staff read it: "Bloc 2 : …", in French whatever zod says about a broken shape. */
export function contentIssueMessage(issue: { code: string; path: Array<string | number>; message: string }): string {
  const index = typeof issue.path[0] === 'number' ? issue.path[0] : null
  if (shapeIssues.has(issue.code)) return index === null ? 'Contenu illisible : rechargez la page.' : `Bloc ${index + 1} : ce bloc est illisible, supprimez-le puis recréez-le.`
  return index === null ? issue.message : `Bloc ${index + 1} : ${issue.message}`
}
