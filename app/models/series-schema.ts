// Owns the shape of a series as staff edit it (details form, conform + zod) and of the session generation form (a
// weekly/monthly rule, exceptions, and the template each session takes). Error messages are i18n keys
// (adminSeries.errors.*); the generation form's errors may carry values (the line of an unreadable exception).
import { z } from 'zod'
import { isoWeekdays, MAX_GENERATED_SESSIONS, monthOrdinals, parseExceptionLines, readLocalDate, type IsoWeekday, type MonthOrdinal, type SessionRule } from './series-rule.ts'

/** Zones offered in the forms: metropolitan France, the overseas territories, neighbours, UTC. */
export const seriesTimeZones = [
  'Europe/Paris',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'Indian/Reunion',
  'Indian/Mayotte',
  'America/Miquelon',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Wallis',
  'Europe/Brussels',
  'Europe/Luxembourg',
  'Europe/Zurich',
  'UTC',
] as const

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const e = (key: string) => `adminSeries.errors.${key}`

export const seriesStatuses = ['DRAFT', 'PUBLISHED', 'CANCELLED'] as const

export const seriesSchema = z.object({
  title: z.string({ required_error: e('titleRequired') }).trim().min(1, e('titleRequired')).max(200, e('tooLong')),
  slug: z
    .string({ required_error: e('slugRequired') })
    .trim()
    .toLowerCase()
    .min(1, e('slugRequired'))
    .max(80, e('tooLong'))
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, e('slugInvalid')),
  /** Simple HTML or plain text (blank lines separate paragraphs); sanitised on save. */
  description: z
    .string()
    .trim()
    .max(20_000, e('tooLong'))
    .optional()
    .transform((value) => value ?? ''),
  timeZone: z.string({ required_error: e('timeZoneInvalid') }).trim().refine(isTimeZone, e('timeZoneInvalid')),
  status: z.enum(seriesStatuses, { errorMap: () => ({ message: e('statusInvalid') }) }),
})

export type SeriesInput = z.output<typeof seriesSchema>

// --- Session generation -------------------------------------------------------------------------------------

export const sessionKinds = ['ONLINE', 'IN_PERSON', 'HYBRID'] as const
export const frequencies = ['weekly', 'monthly-weekday', 'monthly-day'] as const

const time = z
  .string({ required_error: e('timeInvalid') })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, e('timeInvalid'))

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, e('tooLong'))
    .optional()
    .transform((value) => value || null)

const localDate = (required: string) =>
  z
    .string({ required_error: e(required) })
    .trim()
    .min(1, e(required))
    .transform((value, ctx) => {
      const date = readLocalDate(value)
      if (!date) {
        ctx.addIssue({ code: 'custom', message: e('dateInvalid') })
        return z.NEVER
      }
      return date
    })

const intIn = (min: number, max: number, key: string) =>
  z.coerce.number({ invalid_type_error: e(key) }).int(e(key)).min(min, e(key)).max(max, e(key))

const generationFields = z.object({
  frequency: z.enum(frequencies, { errorMap: () => ({ message: e('frequencyInvalid') }) }),
  weekdays: z.array(z.coerce.number().int().min(1).max(7)).default([]),
  interval: intIn(1, 52, 'intervalInvalid').default(1),
  ordinal: z.enum(['1', '2', '3', '4', '5', 'last'], { errorMap: () => ({ message: e('ordinalInvalid') }) }).default('1'),
  monthWeekday: intIn(1, 7, 'weekdayInvalid').default(4),
  monthDay: intIn(1, 31, 'monthDayInvalid').default(1),
  firstDate: localDate('firstDateRequired'),
  endMode: z.enum(['date', 'count'], { errorMap: () => ({ message: e('endModeInvalid') }) }),
  lastDate: z.string().trim().optional(),
  count: z.string().trim().optional(),
  startTime: time,
  endTime: time,
  exceptions: z.string().max(10_000, e('tooLong')).optional().default(''),
  kind: z.enum(sessionKinds, { errorMap: () => ({ message: e('kindInvalid') }) }),
  titlePattern: z.string({ required_error: e('titlePatternRequired') }).trim().min(1, e('titlePatternRequired')).max(200, e('tooLong')),
  summary: optionalText(500),
  capacity: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null
      const number = Number(value)
      if (!Number.isInteger(number) || number < 1 || number > 100_000) {
        ctx.addIssue({ code: 'custom', message: e('capacityInvalid') })
        return z.NEVER
      }
      return number
    }),
  waitlistEnabled: z
    .string()
    .optional()
    .transform((value) => value === 'on' || value === 'true'),
  joinUrl: optionalText(2000).refine((value) => value === null || /^https?:\/\/[^\s]+$/i.test(value), e('joinUrlInvalid')),
  venueName: optionalText(200),
  venueAddress: optionalText(500),
  accessNotes: optionalText(1000),
  status: z.enum(['DRAFT', 'PUBLISHED'], { errorMap: () => ({ message: e('sessionStatusInvalid') }) }),
})

export type SessionTemplate = {
  kind: (typeof sessionKinds)[number]
  /** "{{n}}" = the session's number in the series, "{{date}}" = its local date, "{{cycle}}" = the series title. */
  titlePattern: string
  summary: string | null
  capacity: number | null
  waitlistEnabled: boolean
  joinUrl: string | null
  venueName: string | null
  venueAddress: string | null
  accessNotes: string | null
  status: 'DRAFT' | 'PUBLISHED'
}

export type GenerationInput = { rule: SessionRule; template: SessionTemplate }

/** A form error: an i18n key and the values it names (the line of an exception). */
export type FormIssue = { key: string; values?: Record<string, string | number> }
export type GenerationErrors = Partial<Record<keyof z.input<typeof generationFields> | 'form', FormIssue[]>>

export type GenerationParse = { ok: true; value: GenerationInput } | { ok: false; errors: GenerationErrors }

/** The generation form's submitted values, as the form shows them again (nothing typed is lost). */
export type GenerationValues = { fields: Record<string, string>; weekdays: string[] }

export function generationValues(form: FormData | URLSearchParams): GenerationValues {
  const fields: Record<string, string> = {}
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || key === 'csrf' || key === 'weekdays' || key === 'intent' || key === 'previewDigest') continue
    fields[key] = value
  }
  return { fields, weekdays: form.getAll('weekdays').filter((value): value is string => typeof value === 'string') }
}

/** Fields of another frequency (or end) than the chosen one are not checked: they keep their defaults. */
function relevantFields({ fields, weekdays }: GenerationValues): Record<string, unknown> {
  const relevant: Record<string, unknown> = { ...fields, weekdays }
  const unused = (...names: string[]) => names.forEach((name) => delete relevant[name])
  if (fields.frequency !== 'weekly') unused('weekdays', 'interval')
  if (fields.frequency !== 'monthly-weekday') unused('ordinal', 'monthWeekday')
  if (fields.frequency !== 'monthly-day') unused('monthDay')
  for (const [name, value] of Object.entries(relevant)) if (value === '' && ['interval', 'ordinal', 'monthWeekday', 'monthDay'].includes(name)) delete relevant[name]
  return relevant
}

/** Reads and checks the generation form: the rule, its exceptions (every unreadable line named) and the template. */
export function parseGenerationForm(form: FormData | URLSearchParams): GenerationParse {
  const values = generationValues(form)
  const parsed = generationFields.safeParse(relevantFields(values))
  const errors: GenerationErrors = {}
  const add = (field: keyof GenerationErrors, issue: FormIssue) => {
    ;(errors[field] ??= []).push(issue)
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = (typeof issue.path[0] === 'string' ? issue.path[0] : 'form') as keyof GenerationErrors
      if (!errors[field]?.length) add(field, { key: issue.message.startsWith('adminSeries.') ? issue.message : e('invalid') })
    }
  }
  const exceptions = parseExceptionLines(values.fields.exceptions ?? '')
  if (!exceptions.ok) {
    for (const error of exceptions.errors) add('exceptions', { key: e(error.reason === 'reversed' ? 'exceptionReversed' : 'exceptionUnreadable'), values: { line: error.line, text: error.text } })
  }
  if (!parsed.success || !exceptions.ok) return { ok: false, errors }
  const fields = parsed.data

  const weekdays = [...new Set(fields.weekdays)].sort() as IsoWeekday[]
  if (fields.frequency === 'weekly' && weekdays.length === 0) add('weekdays', { key: e('weekdaysRequired') })
  let end: SessionRule['end'] = { count: 0 }
  if (fields.endMode === 'date') {
    const lastDate = readLocalDate(fields.lastDate ?? '')
    if (!fields.lastDate) add('lastDate', { key: e('lastDateRequired') })
    else if (!lastDate) add('lastDate', { key: e('dateInvalid') })
    else if (lastDate < fields.firstDate) add('lastDate', { key: e('lastDateBeforeFirst') })
    else end = { lastDate }
  } else {
    const count = Number(fields.count)
    if (!fields.count || !Number.isInteger(count) || count < 1 || count > MAX_GENERATED_SESSIONS) add('count', { key: e('countInvalid'), values: { max: MAX_GENERATED_SESSIONS } })
    else end = { count }
  }
  if (fields.endTime <= fields.startTime) add('endTime', { key: e('endBeforeStart') })
  if (fields.kind !== 'ONLINE' && !fields.venueName) add('venueName', { key: e('venueRequired') })
  if (Object.keys(errors).length) return { ok: false, errors }

  const ordinal: MonthOrdinal = fields.ordinal === 'last' ? 'last' : (Number(fields.ordinal) as MonthOrdinal)
  const recurrence: SessionRule['recurrence'] =
    fields.frequency === 'weekly'
      ? { frequency: 'weekly', weekdays, interval: fields.interval }
      : fields.frequency === 'monthly-weekday'
        ? { frequency: 'monthly-weekday', ordinal, weekday: fields.monthWeekday as IsoWeekday }
        : { frequency: 'monthly-day', day: fields.monthDay }
  return {
    ok: true,
    value: {
      rule: { recurrence, firstDate: fields.firstDate, end, startTime: fields.startTime, endTime: fields.endTime, exceptions: exceptions.ok ? exceptions.ranges : [] },
      template: {
        kind: fields.kind,
        titlePattern: fields.titlePattern,
        summary: fields.summary,
        capacity: fields.capacity,
        waitlistEnabled: fields.waitlistEnabled,
        joinUrl: fields.kind === 'IN_PERSON' ? null : fields.joinUrl,
        venueName: fields.kind === 'ONLINE' ? null : fields.venueName,
        venueAddress: fields.kind === 'ONLINE' ? null : fields.venueAddress,
        accessNotes: fields.kind === 'ONLINE' ? null : fields.accessNotes,
        status: fields.status,
      },
    },
  }
}

export { isoWeekdays, monthOrdinals }
