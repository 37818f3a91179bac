// Owns the shape of a newsletter's content: the blocks of the editor (checked with zod when saved, in the browser
// and on the server) and the merge fields a text may use. Isomorphic: no server import, the editor uses it too.
import { z } from 'zod'

/**
 * Merge fields, each with its French and English names. `{{prenom}}` and `{{first_name}}` are the same field;
 * `{{prenom|chère lectrice, cher lecteur}}` gives a fallback for contacts without a value. `organisation` is the
 * sending organisation (the same for everyone); the others come from the recipient's contact record.
 */
export const mergeFields = {
  firstName: ['prenom', 'first_name'],
  lastName: ['nom', 'last_name'],
  email: ['email'],
  company: ['structure', 'company'],
  territory: ['territoire', 'territory'],
  organization: ['organisation', 'organization'],
} as const

export type MergeField = keyof typeof mergeFields

const fieldByName = new Map<string, MergeField>(
  Object.entries(mergeFields).flatMap(([field, names]) => names.map((name) => [name, field as MergeField] as const)),
)

/** `{{ name }}` or `{{ name | fallback }}`; the fallback is plain text without braces or line breaks. */
export const mergeTagPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}\r\n]*))?\}\}/g

export interface MergeTag {
  /** The whole tag as written. */
  tag: string
  field: MergeField
  fallback: string
}

/** Every merge tag of a text; unknown names are returned separately so the caller can refuse them. */
export function readMergeTags(text: string): { tags: MergeTag[]; unknown: string[] } {
  const tags: MergeTag[] = []
  const unknown: string[] = []
  for (const match of text.matchAll(mergeTagPattern)) {
    const field = fieldByName.get(match[1]!.toLowerCase())
    if (field) tags.push({ tag: match[0], field, fallback: (match[2] ?? '').trim() })
    else unknown.push(match[1]!)
  }
  // A lone "{{" or "}}" is almost always a typo in a merge tag: refuse it rather than mail it as is.
  const stray = text.replace(mergeTagPattern, '')
  if (/\{\{|\}\}/.test(stray)) unknown.push(stray.includes('{{') ? '{{' : '}}')
  return { tags, unknown }
}

/** The names staff may type, for help texts and error messages ("prenom, first_name, nom, …"). */
export const mergeFieldNames: string[] = Object.values(mergeFields).flat()

const knownFieldsOnly = (text: string, ctx: z.RefinementCtx) => {
  const { unknown } = readMergeTags(text)
  for (const name of new Set(unknown)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        name === '{{' || name === '}}'
          ? `Accolades orphelines « ${name} » : un champ de fusion s’écrit {{prenom}} ou {{prenom|valeur par défaut}}.`
          : `Champ de fusion inconnu : {{${name}}}. Champs possibles : ${mergeFieldNames.join(', ')}.`,
    })
  }
}

/** Text that may carry merge fields (subject, heading, button label…): one line or more, known fields only. */
export const mergeText = (max: number) => z.string().max(max, `${max} caractères au plus.`).superRefine(knownFieldsOnly)

const lineBreak = /[\r\n]/
/** A subject or preheader: one line (a line break in a header would let a value add headers of its own). */
export const singleLineMergeText = (max: number) =>
  mergeText(max).refine((value) => !lineBreak.test(value), 'Ne doit pas contenir de retour à la ligne.')

/** A link target: empty while drafting, else http(s) or mailto only (never `javascript:`). */
export const linkUrl = z
  .string()
  .trim()
  .max(2000, '2000 caractères au plus.')
  .refine((value) => value === '' || /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(value), 'Adresse web invalide : elle doit commencer par https:// (ou mailto:).')

const blockId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Identifiant de bloc invalide.')
const assetId = z.number().int().positive().nullable()

export const headingBlock = z.object({
  id: blockId,
  type: z.literal('heading'),
  text: mergeText(300),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
})

/** Rich text is stored as HTML and sanitised on save and again on render (emails/campaign/sanitize.ts). */
export const textBlock = z.object({ id: blockId, type: z.literal('text'), html: mergeText(50_000) })

export const imageBlock = z
  .object({
    id: blockId,
    type: z.literal('image'),
    assetId,
    alt: z.string().trim().max(300, '300 caractères au plus.'),
    /** Optional link when the image is clicked. */
    url: linkUrl.default(''),
  })
  .refine((block) => block.assetId === null || block.alt.length > 0, {
    message: 'Texte alternatif obligatoire : décrivez l’image pour les personnes qui ne la voient pas.',
    path: ['alt'],
  })

export const articleBlock = z
  .object({
    id: blockId,
    type: z.literal('article'),
    assetId,
    imageAlt: z.string().trim().max(300, '300 caractères au plus.').default(''),
    title: mergeText(300),
    summary: mergeText(2000),
    url: linkUrl,
    linkLabel: mergeText(100).default(''),
  })
  .refine((block) => block.assetId === null || block.imageAlt.length > 0, {
    message: 'Texte alternatif obligatoire : décrivez l’image pour les personnes qui ne la voient pas.',
    path: ['imageAlt'],
  })

export const buttonBlock = z.object({ id: blockId, type: z.literal('button'), label: mergeText(100), url: linkUrl })

export const dividerBlock = z.object({ id: blockId, type: z.literal('divider') })

/** An upcoming event: date, place or "online", and a register button: each recipient's own one-click link (/inscription/:token). */
export const eventBlock = z.object({
  id: blockId,
  type: z.literal('event'),
  eventId: z.number().int().positive().nullable(),
  buttonLabel: mergeText(100).default(''),
})

export const campaignBlock = z.discriminatedUnion('type', [
  headingBlock,
  textBlock,
  // discriminatedUnion needs plain objects: the alt-text rules are checked by campaignContent below.
  imageBlock.innerType(),
  articleBlock.innerType(),
  buttonBlock,
  dividerBlock,
  eventBlock,
])

export const blockTypes = ['heading', 'text', 'image', 'article', 'button', 'divider', 'event'] as const
export type BlockType = (typeof blockTypes)[number]

export type HeadingBlock = z.infer<typeof headingBlock>
export type TextBlock = z.infer<typeof textBlock>
export type ImageBlock = z.infer<typeof imageBlock>
export type ArticleBlock = z.infer<typeof articleBlock>
export type ButtonBlock = z.infer<typeof buttonBlock>
export type DividerBlock = z.infer<typeof dividerBlock>
export type EventBlock = z.infer<typeof eventBlock>
export type CampaignBlock = z.infer<typeof campaignBlock>

const blockRules: Partial<Record<BlockType, z.ZodTypeAny>> = { image: imageBlock, article: articleBlock }

/** The content of a campaign as saved: at most 200 blocks, unique ids, every block's own rules. */
export const campaignContent = z
  .array(campaignBlock)
  .max(200, '200 blocs au plus.')
  .superRefine((blocks, ctx) => {
    const seen = new Set<string>()
    blocks.forEach((block, index) => {
      if (seen.has(block.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Deux blocs portent le même identifiant.', path: [index, 'id'] })
      seen.add(block.id)
      const rule = blockRules[block.type]
      const checked = rule?.safeParse(block)
      if (checked && !checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue, path: [index, ...issue.path] })
    })
  })

/** Content saved before a rule existed is read leniently: blocks that no longer parse are dropped, never thrown. */
export function readCampaignContent(value: unknown): CampaignBlock[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((item) => {
    const parsed = campaignBlock.safeParse(item)
    return parsed.success ? [parsed.data] : []
  })
}
