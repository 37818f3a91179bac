// Owns the attendee-journey part of the staff event form: reminder offsets (preset boxes and one other delay), the
// opening of the personal join link, the follow-up delay and staff's follow-up texts, as posted and as read into
// EventInput's optional fields. A form without these fields (its hidden marker absent) leaves them unchanged.
// Pure: error messages are i18n keys (adminEvents.errors.*).
import { z } from 'zod'
import type { EventInput } from './event.server.ts'

/** The reminder boxes staff tick, in minutes before the start: 1 week, 2 days, 1 day, 3 hours, 1 hour, 15 minutes. */
export const reminderPresets = [10_080, 2880, 1440, 180, 60, 15] as const

export const journeyDefaults = { reminderOffsets: [1440, 60], joinOpensMinutes: 30, followUpDelayMinutes: 120 } as const

export const journeyLimits = {
  reminderMin: 5,
  reminderMax: 60 * 24 * 60,
  reminders: 10,
  joinOpensMax: 240,
  followUpDelayMax: 14 * 24 * 60,
  followUpMessage: 5000,
} as const

export const reminderUnits = ['minutes', 'hours'] as const

const e = (key: string) => `adminEvents.errors.${key}`

/** The journey fields as posted (merged into the event form's fields). */
export const journeyFormShape = {
  /** Hidden marker: the form carried the journey fields (an old or partial form leaves them unchanged). */
  journeyFields: z.string().optional(),
  reminders: z.array(z.string().trim().max(12, e('reminderRange'))).max(40, e('tooManyReminders')).default([]),
  reminderOther: z.string().trim().max(12, e('reminderRange')).optional(),
  /** 'minutes' or 'hours' (anything else is read as hours, the unit shown first). */
  reminderOtherUnit: z.string().optional(),
  joinOpensMinutes: z.string().trim().max(12, e('joinOpensRange')).optional(),
  followUpDelayHours: z.string().trim().max(12, e('followUpDelayRange')).optional(),
  // Long enough for any text within the limit; the exact count is checked (and told) below.
  followUpAttendedMessage: z.string().max(100_000, e('tooLong')).optional(),
  followUpAbsentMessage: z.string().max(100_000, e('tooLong')).optional(),
}

type JourneyForm = z.output<z.ZodObject<typeof journeyFormShape>>
type JourneyInput = Pick<EventInput, 'reminderOffsets' | 'joinOpensMinutes' | 'followUpDelayMinutes' | 'followUpAttendedMessage' | 'followUpAbsentMessage'>
type Issue = (path: (string | number)[], key: string, values?: Record<string, number | string>) => void

const wholeNumber = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : null)
const inReminderRange = (minutes: number) => minutes >= journeyLimits.reminderMin && minutes <= journeyLimits.reminderMax

/** Hours as staff type them ("2", "1,5", "0.25") in whole minutes, or null. */
function hoursToMinutes(value: string): number | null {
  if (!/^\d{1,5}([.,]\d{1,2})?$/.test(value)) return null
  return Math.round(Number(value.replace(',', '.')) * 60)
}

/** Minutes shown as hours in the form: 120 → "2", 90 → "1.5". */
export function minutesToHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100)
}

/** A follow-up text as stored: line ends as the browser counts them, outer blanks trimmed. */
function followUpText(value: string | undefined): string {
  return (value ?? '').replace(/\r\n?/g, '\n').trim()
}

/**
 * Reads the posted journey fields into EventInput's optional fields, reporting each problem on its own field.
 * Offsets are unique, from the earliest reminder to the latest (as the default [1440, 60] is stored).
 */
export function readJourneyFields(form: JourneyForm, issue: Issue): JourneyInput {
  if (form.journeyFields !== 'on') return {}
  const offsets = new Set<number>()
  for (const value of form.reminders) {
    const minutes = wholeNumber(value)
    if (minutes === null || !inReminderRange(minutes)) issue(['reminders'], 'reminderRange')
    else offsets.add(minutes)
  }
  if (form.reminderOther) {
    const amount = wholeNumber(form.reminderOther)
    const minutes = amount === null ? null : form.reminderOtherUnit === 'minutes' ? amount : amount * 60
    if (minutes === null || !inReminderRange(minutes)) issue(['reminderOther'], 'reminderRange')
    else offsets.add(minutes)
  }
  if (offsets.size > journeyLimits.reminders) issue(['reminders'], 'tooManyReminders')

  const joinOpensMinutes = form.joinOpensMinutes === undefined ? null : wholeNumber(form.joinOpensMinutes)
  if (joinOpensMinutes === null || joinOpensMinutes > journeyLimits.joinOpensMax) issue(['joinOpensMinutes'], 'joinOpensRange')
  const followUpDelayMinutes = form.followUpDelayHours === undefined ? null : hoursToMinutes(form.followUpDelayHours)
  if (followUpDelayMinutes === null || followUpDelayMinutes > journeyLimits.followUpDelayMax) issue(['followUpDelayHours'], 'followUpDelayRange')

  const messages = { followUpAttendedMessage: followUpText(form.followUpAttendedMessage), followUpAbsentMessage: followUpText(form.followUpAbsentMessage) }
  for (const [field, text] of Object.entries(messages)) {
    if (text.length > journeyLimits.followUpMessage) issue([field], 'followUpTooLong', { count: text.length })
  }
  return {
    reminderOffsets: [...offsets].sort((a, b) => b - a),
    joinOpensMinutes: joinOpensMinutes ?? journeyDefaults.joinOpensMinutes,
    followUpDelayMinutes: followUpDelayMinutes ?? journeyDefaults.followUpDelayMinutes,
    ...messages,
  }
}

/** The journey fields of the form (conform's `initialValue` shape: one ticked box posts a string, several an array). */
export type JourneyFormValues = {
  reminders?: string | string[]
  reminderOther?: string
  reminderOtherUnit?: string
  joinOpensMinutes?: string
  followUpDelayHours?: string
  followUpAttendedMessage?: string
  followUpAbsentMessage?: string
}

/** The form filled with an event's stored settings (the defaults for what it lacks). */
export function journeyToFormValues(event: { [K in keyof JourneyInput]?: Readonly<JourneyInput[K]> }): JourneyFormValues {
  return {
    reminders: (event.reminderOffsets ?? journeyDefaults.reminderOffsets).map(String),
    reminderOther: '',
    reminderOtherUnit: 'hours',
    joinOpensMinutes: String(event.joinOpensMinutes ?? journeyDefaults.joinOpensMinutes),
    followUpDelayHours: minutesToHours(event.followUpDelayMinutes ?? journeyDefaults.followUpDelayMinutes),
    followUpAttendedMessage: event.followUpAttendedMessage ?? '',
    followUpAbsentMessage: event.followUpAbsentMessage ?? '',
  }
}

/**
 * The boxes the form shows, from the earliest to the latest: the presets and any other offset the event has (or
 * that was ticked), so that a saved "other" delay stays visible and can be unticked.
 */
export function reminderChoices(ticked: string | string[] | undefined): { minutes: number; checked: boolean }[] {
  const values = (Array.isArray(ticked) ? ticked : ticked ? [ticked] : []).map((value) => wholeNumber(value)).filter((minutes): minutes is number => minutes !== null && inReminderRange(minutes))
  const all = [...new Set<number>([...reminderPresets, ...values])].sort((a, b) => b - a)
  return all.map((minutes) => ({ minutes, checked: values.includes(minutes) }))
}
