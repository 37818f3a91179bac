// Owns the staff event form (create, edit): its fields as posted (works without JavaScript) and their reading into
// an EventInput — wall-clock times in the event's zone turned into instants, custom questions with stable ids,
// speakers, tags, and the attendee-journey settings (event-journey-form.ts). Error messages are i18n keys
// (adminEvents.errors.*). Pure: the server passes the sanitiser.
import { z } from 'zod'
import { journeyDefaults, journeyFormShape, journeyToFormValues, readJourneyFields, type JourneyFormValues } from './event-journey-form.ts'
import { eventQuestionsSchema, questionTypes, type EventQuestion } from './event-schema.ts'
import type { EventResource } from './event-resources.ts'
import type { EventInput, Speaker } from './event.server.ts'
import { instantToWallClock, wallClockToInstant } from '~/utils/wall-clock.ts'

export const eventKinds = ['ONLINE', 'IN_PERSON', 'HYBRID'] as const
export const eventStatuses = ['DRAFT', 'PUBLISHED', 'CANCELLED'] as const
export const defaultTimeZone = 'Europe/Paris'

export const eventLimits = {
  title: 200,
  summary: 500,
  description: 50_000,
  venueName: 200,
  venueAddress: 500,
  accessNotes: 2000,
  joinUrl: 2000,
  replayUrl: 2000,
  resources: 10,
  resourceLabel: 200,
  resourceUrl: 2000,
  tags: 20,
  tag: 50,
  speakers: 20,
  speakerName: 120,
  speakerRole: 200,
  questions: 20,
  questionLabel: 300,
  option: 200,
  options: 30,
  capacity: 100_000,
} as const

const e = (key: string) => `adminEvents.errors.${key}`

const text = (max: number) => z.string().trim().max(max, e('tooLong')).optional()
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === 'on' || value === 'true')

const questionRow = z.object({
  id: z.string().trim().max(40).optional(),
  label: z.string().trim().max(eventLimits.questionLabel, e('tooLong')).optional(),
  type: z.enum(questionTypes).default('short_text'),
  required: checkbox,
  options: z.string().max(eventLimits.options * (eventLimits.option + 2), e('tooLong')).optional(),
  remove: checkbox,
})

const speakerRow = z.object({
  name: z.string().trim().max(eventLimits.speakerName, e('tooLong')).optional(),
  role: z.string().trim().max(eventLimits.speakerRole, e('tooLong')).optional(),
})

const resourceRow = z.object({
  label: z.string().trim().max(eventLimits.resourceLabel, e('tooLong')).optional(),
  url: z.string().trim().max(eventLimits.resourceUrl, e('tooLong')).optional(),
})

/** A complete https address (what a public page may link to), or null. */
function httpsUrl(value: string): string | null {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' && url.hostname ? value : null
  } catch {
    return null
  }
}

/** The fields as posted (conform names: `questions[0].label`, `speakers[1].name`). */
export const eventFormFields = z.object({
  kind: z.enum(eventKinds, { required_error: e('kindRequired'), invalid_type_error: e('kindRequired') }),
  title: z.string({ required_error: e('titleRequired') }).trim().min(1, e('titleRequired')).max(eventLimits.title, e('tooLong')),
  summary: text(eventLimits.summary),
  description: z.string().max(eventLimits.description, e('tooLong')).optional(),
  startDate: z.string({ required_error: e('startDateRequired') }).trim(),
  startTime: z.string({ required_error: e('startTimeRequired') }).trim(),
  endDate: z.string().trim().optional(),
  endTime: z.string({ required_error: e('endTimeRequired') }).trim(),
  timeZone: z.string().trim().default(defaultTimeZone),
  venueName: text(eventLimits.venueName),
  venueAddress: text(eventLimits.venueAddress),
  accessNotes: text(eventLimits.accessNotes),
  joinUrl: text(eventLimits.joinUrl),
  replayUrl: text(eventLimits.replayUrl),
  resources: z.array(resourceRow.optional()).max(eventLimits.resources + 2, e('tooManyResources')).default([]),
  capacity: z.string().trim().optional(),
  waitlistEnabled: checkbox,
  approvalRequired: checkbox,
  opensDate: z.string().trim().optional(),
  opensTime: z.string().trim().optional(),
  closesDate: z.string().trim().optional(),
  closesTime: z.string().trim().optional(),
  questions: z.array(questionRow.optional()).max(eventLimits.questions + 2, e('tooManyQuestions')).default([]),
  speakers: z.array(speakerRow.optional()).max(eventLimits.speakers + 2, e('tooManySpeakers')).default([]),
  tags: z.string().max(eventLimits.tags * (eventLimits.tag + 2), e('tooLong')).optional(),
  coverImageUrl: z.string().trim().max(500).optional(),
  seriesId: z.string().trim().optional(),
  status: z.enum(eventStatuses).default('DRAFT'),
  ...journeyFormShape,
})

export type EventFormFields = z.input<typeof eventFormFields>

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone.length > 0 && zone.length <= 64
  } catch {
    return false
  }
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/
const timePattern = /^\d{2}:\d{2}$/

/** A question id from its label: ascii words, dashes; made unique among `taken`. */
function questionId(label: string, taken: Set<string>): string {
  const words = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  // At most 32 characters, cut between words when the label is longer.
  const base = (words.length <= 32 ? words : words.slice(0, 33).replace(/-[^-]*$/, '') || words.slice(0, 32)) || 'question'
  let id = base
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`
  taken.add(id)
  return id
}

const listOf = (value: string | undefined, separator: RegExp) =>
  (value ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean)

/**
 * The schema that reads the posted form into an EventInput. `sanitize` turns the description into the allowed
 * HTML (the server passes the rich-text allow-list). Every problem is reported on its own field.
 */
export function eventFormSchema({ sanitize }: { sanitize: (html: string) => string }) {
  return eventFormFields.transform((form, ctx): EventInput => {
    const issue = (path: (string | number)[], key: string, values: Record<string, number | string> = {}) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: fieldError(e(key), values) })
    const timeZone = form.timeZone || defaultTimeZone
    if (!isTimeZone(timeZone)) issue(['timeZone'], 'timeZone')

    // A date and time read in the event's zone: a missing part, a malformed one, or an hour the clocks skip.
    const instant = (dateField: string, timeField: string, date: string | undefined, time: string | undefined, required: boolean): Date | null | undefined => {
      if (!date && !time) {
        if (required) issue([dateField], 'dateRequired')
        return required ? undefined : null
      }
      if (!date || !datePattern.test(date)) return issue([dateField], 'dateInvalid'), undefined
      if (!time || !timePattern.test(time)) return issue([timeField], 'timeInvalid'), undefined
      if (!isTimeZone(timeZone)) return undefined
      const at = wallClockToInstant({ date, time }, timeZone)
      if (at) return at
      // The syntax is right, so the date is impossible (31 February) or the hour is skipped by the clocks.
      const [hours, minutes] = time.split(':').map(Number) as [number, number]
      const calendar = new Date(`${date}T00:00:00Z`)
      const realDay = !Number.isNaN(calendar.getTime()) && calendar.toISOString().slice(0, 10) === date
      issue(realDay && hours < 24 && minutes < 60 ? [timeField] : [dateField], realDay && hours < 24 && minutes < 60 ? 'timeSkipped' : 'dateInvalid')
      return undefined
    }

    const startsAt = instant('startDate', 'startTime', form.startDate, form.startTime, true)
    const endsAt = instant(form.endDate ? 'endDate' : 'endTime', 'endTime', form.endDate || form.startDate, form.endTime, true)
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) issue(['endTime'], 'endBeforeStart')
    const opensAt = instant('opensDate', 'opensTime', form.opensDate, form.opensTime, false)
    const closesAt = instant('closesDate', 'closesTime', form.closesDate, form.closesTime, false)
    if (startsAt && closesAt && closesAt.getTime() > startsAt.getTime()) issue(['closesDate'], 'closesAfterStart')
    if (opensAt && closesAt && opensAt.getTime() >= closesAt.getTime()) issue(['opensDate'], 'opensAfterCloses')
    else if (opensAt && startsAt && opensAt.getTime() >= startsAt.getTime()) issue(['opensDate'], 'opensAfterStart')

    const inPerson = form.kind !== 'ONLINE'
    const online = form.kind !== 'IN_PERSON'
    if (inPerson && !form.venueAddress) issue(['venueAddress'], 'addressRequired')
    let joinUrl: string | null = null
    if (online && form.joinUrl) {
      joinUrl = httpsUrl(form.joinUrl)
      if (!joinUrl) issue(['joinUrl'], 'joinUrlHttps')
    }
    // Shown as a link on public pages: https only, like the join link.
    const replayUrl = form.replayUrl ? httpsUrl(form.replayUrl) : null
    if (form.replayUrl && !replayUrl) issue(['replayUrl'], 'replayUrlHttps')
    const resources: EventResource[] = []
    form.resources.forEach((row, index) => {
      if (!row || (!row.label && !row.url)) return
      const url = row.url ? httpsUrl(row.url) : null
      if (!row.label) issue(['resources', index, 'label'], 'resourceLabel')
      if (!url) issue(['resources', index, 'url'], 'resourceUrlHttps')
      if (row.label && url) resources.push({ label: row.label, url })
    })
    if (resources.length > eventLimits.resources) issue(['resources'], 'tooManyResources')

    let capacity: number | null = null
    if (form.capacity) {
      const value = Number(form.capacity)
      if (!/^\d+$/.test(form.capacity) || !Number.isSafeInteger(value) || value < 1 || value > eventLimits.capacity) issue(['capacity'], 'capacity')
      else capacity = value
    }

    // Questions: a row without a label, or ticked for removal, is left out; a kept row keeps its id.
    const rows = form.questions.flatMap((row, index) => (row && !row.remove && row.label ? [{ row, index }] : []))
    const taken = new Set(rows.flatMap(({ row }) => (row.id && /^[a-z0-9][a-z0-9-]{0,39}$/.test(row.id) ? [row.id] : [])))
    const seen = new Set<string>()
    const questions: EventQuestion[] = []
    let rowProblem = false
    for (const { row, index } of rows) {
      const choice = row.type === 'single_choice' || row.type === 'multiple_choice'
      const options = choice ? [...new Set(listOf(row.options, /\r?\n/))] : []
      const problem = options.some((option) => option.length > eventLimits.option) ? 'optionTooLong' : options.length > eventLimits.options ? 'tooManyOptions' : choice && options.length < 2 ? 'optionsNeeded' : null
      if (problem) {
        issue(['questions', index, 'options'], problem)
        rowProblem = true
      }
      const keep = row.id && taken.has(row.id) && !seen.has(row.id) ? row.id : undefined
      const id = keep ?? questionId(row.label ?? '', taken)
      seen.add(id)
      questions.push({ id, label: row.label ?? '', type: row.type, required: row.required, options })
    }
    if (questions.length > eventLimits.questions) issue(['questions'], 'tooManyQuestions')
    // The stored shape's own check, as a safety net behind the row checks above.
    else if (!rowProblem && !eventQuestionsSchema.safeParse(questions).success) issue(['questions'], 'questionsInvalid')

    const speakers: Speaker[] = form.speakers.flatMap((row) => (row?.name ? [row.role ? { name: row.name, role: row.role } : { name: row.name }] : []))
    if (speakers.length > eventLimits.speakers) issue(['speakers'], 'tooManySpeakers')
    form.speakers.forEach((row, index) => {
      if (row && !row.name && row.role) issue(['speakers', index, 'name'], 'speakerName')
    })

    const tags = [...new Set(listOf(form.tags, /,/))]
    if (tags.length > eventLimits.tags) issue(['tags'], 'tooManyTags')
    else if (tags.some((tag) => tag.length > eventLimits.tag)) issue(['tags'], 'tagTooLong')

    const cover = form.coverImageUrl || null
    if (cover && !/^(https?:\/\/[^/\s]+)?\/assets\/\d+$/.test(cover)) issue(['coverImageUrl'], 'coverInvalid')

    let seriesId: number | null = null
    if (form.seriesId) {
      if (!/^\d+$/.test(form.seriesId)) issue(['seriesId'], 'seriesMissing')
      else seriesId = Number(form.seriesId)
    }

    const description = sanitize(form.description ?? '')
    if (description.length > eventLimits.description) issue(['description'], 'tooLong')
    const journey = readJourneyFields(form, issue)

    if (!startsAt || !endsAt || opensAt === undefined || closesAt === undefined) return z.NEVER
    return {
      kind: form.kind,
      title: form.title,
      summary: form.summary ?? '',
      description,
      startsAt,
      endsAt,
      timeZone,
      venueName: inPerson ? (form.venueName ?? null) : null,
      venueAddress: inPerson ? (form.venueAddress ?? null) : null,
      accessNotes: inPerson ? (form.accessNotes ?? null) : null,
      joinUrl,
      capacity,
      waitlistEnabled: form.waitlistEnabled,
      approvalRequired: form.approvalRequired,
      registrationOpensAt: opensAt,
      registrationClosesAt: closesAt,
      questions,
      speakers,
      tags,
      coverImageUrl: cover,
      status: form.status,
      seriesId,
      replayUrl,
      resources,
      ...journey,
    }
  })
}

/**
 * A field error whose sentence takes values (a count): conform carries errors as strings, so the values travel
 * with the i18n key as `key|{"count":23}`; readFieldError splits them again for t().
 */
export function fieldError(key: string, values: Record<string, number | string> = {}): string {
  return Object.keys(values).length === 0 ? key : `${key}|${JSON.stringify(values)}`
}

export function readFieldError(message: string): { key: string; values: Record<string, number | string> } {
  const at = message.indexOf('|')
  if (at < 0) return { key: message, values: {} }
  try {
    const values: unknown = JSON.parse(message.slice(at + 1))
    if (values && typeof values === 'object' && !Array.isArray(values)) {
      const kept = Object.entries(values).filter((entry): entry is [string, number | string] => typeof entry[1] === 'number' || typeof entry[1] === 'string')
      return { key: message.slice(0, at), values: Object.fromEntries(kept) }
    }
  } catch {
    // Not values after all: the whole message is the key.
  }
  return { key: message, values: {} }
}

/** The form's values as conform posts them back (its `initialValue`), also built from a stored event to edit it. */
export type EventFormValues = JourneyFormValues & {
  kind?: string
  title?: string
  summary?: string
  description?: string
  startDate?: string
  startTime?: string
  endDate?: string
  endTime?: string
  timeZone?: string
  venueName?: string
  venueAddress?: string
  accessNotes?: string
  joinUrl?: string
  replayUrl?: string
  resources?: ({ label?: string; url?: string } | undefined)[]
  capacity?: string
  waitlistEnabled?: string
  approvalRequired?: string
  opensDate?: string
  opensTime?: string
  closesDate?: string
  closesTime?: string
  questions?: ({ id?: string; label?: string; type?: string; required?: string; options?: string } | undefined)[]
  speakers?: ({ name?: string; role?: string } | undefined)[]
  tags?: string
  coverImageUrl?: string
  seriesId?: string
  status?: string
  /** On edit: staff ticked "Prévenir les inscrit·es" (read by the route, not part of EventInput). */
  notify?: string
}

/** The form filled with a stored event, times read on the event's clocks. */
export function eventToFormValues(event: Omit<EventInput, 'status'> & { status: string }): EventFormValues {
  const start = instantToWallClock(event.startsAt, event.timeZone)
  const end = instantToWallClock(event.endsAt, event.timeZone)
  const opens = event.registrationOpensAt ? instantToWallClock(event.registrationOpensAt, event.timeZone) : null
  const closes = event.registrationClosesAt ? instantToWallClock(event.registrationClosesAt, event.timeZone) : null
  const on = (value: boolean) => (value ? 'on' : undefined)
  return {
    kind: event.kind,
    title: event.title,
    summary: event.summary,
    description: event.description,
    startDate: start.date,
    startTime: start.time,
    endDate: end.date === start.date ? '' : end.date,
    endTime: end.time,
    timeZone: event.timeZone,
    venueName: event.venueName ?? '',
    venueAddress: event.venueAddress ?? '',
    accessNotes: event.accessNotes ?? '',
    joinUrl: event.joinUrl ?? '',
    replayUrl: event.replayUrl ?? '',
    resources: (event.resources ?? []).map((resource) => ({ label: resource.label, url: resource.url })),
    capacity: event.capacity === null ? '' : String(event.capacity),
    waitlistEnabled: on(event.waitlistEnabled),
    approvalRequired: on(event.approvalRequired),
    opensDate: opens?.date ?? '',
    opensTime: opens?.time ?? '',
    closesDate: closes?.date ?? '',
    closesTime: closes?.time ?? '',
    questions: event.questions.map((question) => ({ id: question.id, label: question.label, type: question.type, required: on(question.required), options: question.options.join('\n') })),
    speakers: event.speakers.map((speaker) => ({ name: speaker.name, role: speaker.role ?? '' })),
    tags: event.tags.join(', '),
    coverImageUrl: event.coverImageUrl ?? '',
    seriesId: event.seriesId === null ? '' : String(event.seriesId),
    status: event.status,
    ...journeyToFormValues(event),
  }
}

/** A new event: Europe/Paris, waitlist on, draft, reminders one day and one hour before, the journey defaults. */
export const newEventFormValues: EventFormValues = { kind: 'ONLINE', timeZone: defaultTimeZone, waitlistEnabled: 'on', status: 'DRAFT', ...journeyToFormValues(journeyDefaults) }

/**
 * A new session of a series: the series chosen, its zone, a title for staff to complete, and the kind and place of
 * its latest session when it has one (otherwise the defaults of a new event).
 */
export function newSessionFormValues(
  defaults: { seriesId: number; timeZone: string; latest: { kind: string; venueName: string | null; venueAddress: string | null; accessNotes: string | null } | null },
  title: string,
): EventFormValues {
  const { latest } = defaults
  return {
    ...newEventFormValues,
    title,
    timeZone: defaults.timeZone,
    seriesId: String(defaults.seriesId),
    ...(latest ? { kind: latest.kind, venueName: latest.venueName ?? '', venueAddress: latest.venueAddress ?? '', accessNotes: latest.accessNotes ?? '' } : {}),
  }
}
