// Owns the demo data's calendar arithmetic: wall-clock dates and times in a named IANA zone turned into instants,
// correct across daylight-saving changes (Europe/Paris is UTC+1 in winter and UTC+2 in summer), with Intl only.

/** A calendar day written yyyy-mm-dd, with no time zone attached. */
export type CalendarDate = string

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    partsFormatters.set(timeZone, formatter)
  }
  return formatter
}

export interface WallClock {
  date: CalendarDate
  /** hh:mm, 24-hour clock. */
  time: string
  /** 0 = Sunday … 4 = Thursday … 6 = Saturday. */
  weekday: number
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** What a clock on the wall in `timeZone` shows at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((part) => [part.type, part.value]))
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: weekdays.indexOf(parts.weekday ?? ''),
  }
}

/** How far ahead of UTC the zone's clocks are at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]))
  const asIfUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return asIfUtc - (instant - (((instant % 1000) + 1000) % 1000))
}

function splitDate(date: CalendarDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new Error(`Date attendue au format AAAA-MM-JJ : ${date}`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

/**
 * The instant at which clocks in `timeZone` show `date` at `time` (hh:mm). The offset is looked up twice because the
 * first guess may fall on the other side of a daylight-saving change. A time the spring change skips moves one
 * hour later (02:30 becomes 03:30); a time the autumn change repeats resolves to its second occurrence.
 */
export function zonedInstant(date: CalendarDate, time: string, timeZone: string): Date {
  const [year, month, day] = splitDate(date)
  const match = /^(\d{2}):(\d{2})$/.exec(time)
  if (!match) throw new Error(`Heure attendue au format HH:MM : ${time}`)
  const asIfUtc = Date.UTC(year, month - 1, day, Number(match[1]), Number(match[2]))
  const firstGuess = asIfUtc - offsetAt(asIfUtc, timeZone)
  return new Date(asIfUtc - offsetAt(firstGuess, timeZone))
}

/** The calendar day `days` after `date` (negative: before). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = splitDate(date)
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CalendarDate): number {
  const [year, month, day] = splitDate(date)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

/** The first day on or after `date` that falls on `weekday`. */
export function nextWeekday(date: CalendarDate, weekday: number): CalendarDate {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7)
}

/** The `nth` (1-based) `weekday` of the month that holds `date`'s month plus `monthsAhead`. */
export function nthWeekdayOfMonth(date: CalendarDate, monthsAhead: number, weekday: number, nth: number): CalendarDate {
  const [year, month] = splitDate(date)
  const first = new Date(Date.UTC(year, month - 1 + monthsAhead, 1)).toISOString().slice(0, 10)
  return addDays(nextWeekday(first, weekday), 7 * (nth - 1))
}
