// Owns the pure side of session generation for a series: reading the exception lines staff type (single dates and
// periods, ISO or French), and turning a weekly/monthly rule into dated sessions at a local wall-clock time in the
// series' zone (each date converted on its own, so 12:15 stays 12:15 across daylight-saving changes). No database.
import { wallClockToInstant } from '~/utils/wall-clock.ts'

/** Most sessions one rule may create (a two-semester weekly cycle is ~40). */
export const MAX_GENERATED_SESSIONS = 60

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7
export const isoWeekdays = [1, 2, 3, 4, 5, 6, 7] as const satisfies readonly IsoWeekday[]

/** Which weekday of the month: the 1st … 5th, or the last one. */
export type MonthOrdinal = 1 | 2 | 3 | 4 | 5 | 'last'
export const monthOrdinals = [1, 2, 3, 4, 5, 'last'] as const satisfies readonly MonthOrdinal[]

export type Recurrence =
  | { frequency: 'weekly'; weekdays: IsoWeekday[]; interval: number }
  | { frequency: 'monthly-weekday'; ordinal: MonthOrdinal; weekday: IsoWeekday }
  | { frequency: 'monthly-day'; day: number }

/** Inclusive period of local dates ("YYYY-MM-DD"); a single date has from === to. */
export type DateRange = { from: string; to: string }

export interface SessionRule {
  recurrence: Recurrence
  /** First local date considered ("YYYY-MM-DD"). */
  firstDate: string
  /** Stop after this local date, or once this many sessions are planned. */
  end: { lastDate: string } | { count: number }
  /** Local start and end ("HH:MM") on the series' clocks. */
  startTime: string
  endTime: string
  exceptions: DateRange[]
}

export interface PlannedSession {
  date: string
  startsAt: Date
  endsAt: Date
}

export interface SessionPlan {
  sessions: PlannedSession[]
  /** Dates of the rule left out because an exception covers them. */
  excluded: string[]
  /** Dates of the rule where the start or end time does not exist on local clocks (clocks going forward). */
  nonexistent: { date: string; time: string }[]
  /** The rule yields more than MAX_GENERATED_SESSIONS sessions (the plan stops there). */
  tooMany: boolean
}

// Local dates are handled as UTC midnights: plain calendar arithmetic, no zone involved until the very end.
function parseIsoDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return date
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000)
}

function isoWeekday(date: Date): IsoWeekday {
  return (((date.getUTCDay() + 6) % 7) + 1) as IsoWeekday
}

/** A date typed as "2027-10-21" or "21/10/2027" (also 21-10-2027, 21.10.2027), as "YYYY-MM-DD"; null otherwise. */
export function readLocalDate(text: string): string | null {
  const value = text.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseIsoDate(value) ? value : null
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value)
  if (!french) return null
  const candidate = `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}`
  return parseIsoDate(candidate) ? candidate : null
}

export type ExceptionLineError = { line: number; text: string; reason: 'unreadable' | 'reversed' }
export type ExceptionParse = { ok: true; ranges: DateRange[] } | { ok: false; errors: ExceptionLineError[] }

// "2027-10-16..2027-11-01", "16/10/2027 au 01/11/2027", "du 16/10/2027 au 01/11/2027", "16/10/2027 - 01/11/2027".
const periodSeparator = /\s*(?:\.\.|…|\s(?:au|à|a|jusqu'au|jusqu’au|to|-|–|—)\s)\s*/i

/**
 * The exceptions typed in the generation form, one per line: a date or a period, optionally after a label ending
 * with a colon ("Toussaint : 16/10/2027 au 01/11/2027"). Blank lines are ignored; every unreadable line is named.
 */
export function parseExceptionLines(text: string): ExceptionParse {
  const ranges: DateRange[] = []
  const errors: ExceptionLineError[] = []
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (!line) return
    const labelled = /^[^:]*\D:\s*(.+)$/.exec(line)
    const body = (labelled ? labelled[1]! : line).replace(/^(?:du|from)\s+/i, '').trim()
    const parts = body.split(periodSeparator)
    const dates = parts.map(readLocalDate)
    if ((parts.length !== 1 && parts.length !== 2) || dates.some((date) => date === null)) {
      errors.push({ line: index + 1, text: line, reason: 'unreadable' })
      return
    }
    const [from, to = from] = dates as [string, string?]
    if (to < from) {
      errors.push({ line: index + 1, text: line, reason: 'reversed' })
      return
    }
    ranges.push({ from, to: to ?? from })
  })
  return errors.length ? { ok: false, errors } : { ok: true, ranges }
}

/** The dates of month `monthStart` (a first of month) that match a monthly recurrence, at most one. */
function monthlyDate(monthStart: Date, recurrence: Exclude<Recurrence, { frequency: 'weekly' }>): Date | null {
  const year = monthStart.getUTCFullYear()
  const month = monthStart.getUTCMonth()
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  if (recurrence.frequency === 'monthly-day') {
    // A month without that day (31 in April) has no session, as in iCalendar's BYMONTHDAY.
    return recurrence.day <= daysInMonth ? new Date(Date.UTC(year, month, recurrence.day)) : null
  }
  const firstMatch = 1 + ((recurrence.weekday - isoWeekday(monthStart) + 7) % 7)
  const matches: number[] = []
  for (let day = firstMatch; day <= daysInMonth; day += 7) matches.push(day)
  const day = recurrence.ordinal === 'last' ? matches[matches.length - 1] : matches[recurrence.ordinal - 1]
  return day === undefined ? null : new Date(Date.UTC(year, month, day))
}

/** Candidate dates of the rule from firstDate on, in order (unbounded: the caller stops). */
function* candidateDates(recurrence: Recurrence, first: Date): Generator<Date> {
  if (recurrence.frequency === 'weekly') {
    const weekdays = new Set(recurrence.weekdays)
    const weekStart = addDays(first, 1 - isoWeekday(first))
    for (let week = 0; ; week += Math.max(1, recurrence.interval)) {
      for (let offset = 0; offset < 7; offset++) {
        const date = addDays(weekStart, week * 7 + offset)
        if (date >= first && weekdays.has(isoWeekday(date))) yield date
      }
    }
  }
  for (let month = 0; ; month++) {
    const date = monthlyDate(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + month, 1)), recurrence)
    if (date && date >= first) yield date
  }
}

// A rule that matches nothing (a weekly rule without weekdays) must still end.
const SEARCH_LIMIT_DAYS = 366 * 10

/**
 * The sessions a rule yields in a time zone, in date order: exceptions left out (and listed), dates whose local
 * start or end time does not exist that day listed rather than shifted, at most MAX_GENERATED_SESSIONS sessions.
 * With a session count, excluded and nonexistent dates do not count.
 */
export function generateSessionDates(rule: SessionRule, timeZone: string): SessionPlan {
  const plan: SessionPlan = { sessions: [], excluded: [], nonexistent: [], tooMany: false }
  const first = parseIsoDate(rule.firstDate)
  if (!first) return plan
  const last = 'lastDate' in rule.end ? parseIsoDate(rule.end.lastDate) : null
  const wanted = 'count' in rule.end ? Math.min(rule.end.count, MAX_GENERATED_SESSIONS) : MAX_GENERATED_SESSIONS
  const horizon = addDays(first, SEARCH_LIMIT_DAYS)
  for (const date of candidateDates(rule.recurrence, first)) {
    if (date > horizon || (last && date > last)) break
    const day = isoDate(date)
    if (rule.exceptions.some((range) => range.from <= day && day <= range.to)) {
      plan.excluded.push(day)
      continue
    }
    const startsAt = wallClockToInstant({ date: day, time: rule.startTime }, timeZone)
    const endsAt = wallClockToInstant({ date: day, time: rule.endTime }, timeZone)
    if (!startsAt || !endsAt) {
      plan.nonexistent.push({ date: day, time: startsAt ? rule.endTime : rule.startTime })
      continue
    }
    if (plan.sessions.length === wanted) {
      plan.tooMany = !('count' in rule.end) || rule.end.count > MAX_GENERATED_SESSIONS
      break
    }
    plan.sessions.push({ date: day, startsAt, endsAt })
  }
  return plan
}
