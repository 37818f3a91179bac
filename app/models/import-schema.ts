// Owns the shape of a CSV import that both the mapping page and the worker share: the fields a column can map to,
// the guess made from header names (French and English), how one row becomes a contact profile, and the outcomes a
// row can have in the report. Pure code: no database, usable in the browser.
import { z } from 'zod'
import type { ActorType } from '~/generated/prisma/enums.ts'

export const importFields = ['email', 'firstName', 'lastName', 'organization', 'actorType', 'territory', 'locale'] as const
export type ImportField = (typeof importFields)[number]
export const columnTargets = [...importFields, 'ignore'] as const
export type ColumnTarget = (typeof columnTargets)[number]

/** Outcomes of a row; the last four are skips, reported line by line. */
export const rowOutcomes = ['imported', 'alreadySubscribed', 'invalidEmail', 'duplicate', 'suppressed', 'unsubscribed'] as const
export type RowOutcome = (typeof rowOutcomes)[number]
export type SkipReason = Exclude<RowOutcome, 'imported' | 'alreadySubscribed'>
export type OutcomeCounts = Record<RowOutcome, number>

export const emptyCounts = (): OutcomeCounts => ({ imported: 0, alreadySubscribed: 0, invalidEmail: 0, duplicate: 0, suppressed: 0, unsubscribed: 0 })

/** ImportBatch.report once the worker has started: exact counts, and skipped lines (the first `reportedRowsCap`). */
export const importReportSchema = z.object({
  counts: z.object(Object.fromEntries(rowOutcomes.map((outcome) => [outcome, z.number().int()])) as Record<RowOutcome, z.ZodNumber>),
  rows: z.array(z.object({ line: z.number().int(), reason: z.enum(['invalidEmail', 'duplicate', 'suppressed', 'unsubscribed']) })),
  /** Why a FAILED batch stopped: an i18n key and the line where the file could no longer be read. */
  error: z.object({ key: z.string(), line: z.number().int().nullable() }).optional(),
})
export type ImportReport = z.infer<typeof importReportSchema>
export const reportedRowsCap = 10_000

/** Lower case, accents and punctuation removed: "Prénom" → "prenom", "E-mail" → "email". */
function simplify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
}

// Tried in this order, so that "prenom" is taken for the first name before "nom" could match it.
const headerGuesses: [ImportField, RegExp][] = [
  ['email', /mail|courriel/],
  ['firstName', /^(prenom|firstname|givenname|first)$/],
  ['lastName', /^(nom|nomdefamille|nomfamille|lastname|surname|familyname|name|last)$/],
  ['organization', /^(organisation|organization|organisme|structure|entreprise|company|collectivite|employeur|societe)/],
  ['actorType', /^(typedacteur|typeacteur|actortype|typologie|profil|categorie|type)/],
  ['territory', /^(territoire|departement|dept|dep|territory|codedepartement)/],
  ['locale', /^(langue|language|locale|lang)/],
]

/** A first mapping from the header names; staff correct it before starting. Each field is given at most once. */
export function guessMapping(headers: string[]): ColumnTarget[] {
  const taken = new Set<ImportField>()
  return headers.map((header) => {
    const name = simplify(header)
    const match = headerGuesses.find(([field, pattern]) => !taken.has(field) && pattern.test(name))
    if (!match) return 'ignore'
    taken.add(match[0])
    return match[0]
  })
}

export const mappingSchema = z
  .array(z.enum(columnTargets))
  .refine((columns) => columns.filter((column) => column === 'email').length === 1, 'imports.errors.oneEmailColumn')
  .refine((columns) => importFields.every((field) => field === 'email' || columns.filter((column) => column === field).length <= 1), 'imports.errors.fieldTwice')

const actorTypeWords: [ActorType, RegExp][] = [
  ['ELECTED_OFFICIAL', /^(elu|elected)/],
  ['PUBLIC_AGENT', /agent|techni|fonctionnaire|publicagent/],
  ['ASSOCIATION', /^assoc/],
  ['COMPANY', /entreprise|company|societe|business/],
  ['CITIZEN', /citoyen|citizen|habitant/],
  ['RESEARCHER', /cherch|etudiant|research|student|universit/],
  ['OTHER', /^(autre|other)/],
]

/** "Élue", "élu·e", "ELECTED_OFFICIAL", "Technicienne" → the actor type; anything unrecognised stays unset. */
export function parseActorType(value: string): ActorType | null {
  const name = simplify(value)
  if (!name) return null
  return actorTypeWords.find(([, pattern]) => pattern.test(name))?.[0] ?? null
}

/** "fr", "Français", "en", "English", "anglais" → a locale Relais speaks; anything else stays unset. */
export function parseLocale(value: string): 'fr' | 'en' | null {
  const name = simplify(value)
  if (/^(fr|francais|french)/.test(name)) return 'fr'
  if (/^(en|anglais|english)/.test(name)) return 'en'
  return null
}

const emailFormat = z.string().max(254).email()
const fieldMaxLength = 200

export interface ImportProfile {
  email: string
  firstName: string | null
  lastName: string | null
  organization: string | null
  actorType: ActorType | null
  territory: string | null
  locale: 'fr' | 'en' | null
}

/** One CSV record read through the mapping: the profile, or null when the email column holds no valid address. */
export function profileFromRecord(record: string[], mapping: ColumnTarget[]): ImportProfile | null {
  const value = (field: ImportField): string => {
    const index = mapping.indexOf(field)
    return index < 0 ? '' : (record[index] ?? '').trim()
  }
  const text = (field: ImportField) => value(field).slice(0, fieldMaxLength) || null
  const email = value('email').toLowerCase()
  if (!emailFormat.safeParse(email).success) return null
  return {
    email,
    firstName: text('firstName'),
    lastName: text('lastName'),
    organization: text('organization'),
    actorType: parseActorType(value('actorType')),
    territory: text('territory'),
    locale: parseLocale(value('locale')),
  }
}
