// Owns the conversion between instants and the date and time shown on a given zone's clocks (DST-correct), for
// campaign schedules and event times.
import { TZDate } from '@date-fns/tz'

export type WallClock = { date: string; time: string }

/**
 * The instant of a date and time as read on the organisation's clocks (DST-correct). Null when the input is not a
 * date and time, or names a time that does not exist that day (the hour skipped when clocks go forward).
 */
export function wallClockToInstant({ date, time }: WallClock, timeZone: string): Date | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const clock = /^(\d{2}):(\d{2})$/.exec(time)
  if (!day || !clock) return null
  const [year, month, dayOfMonth, hours, minutes] = [day[1], day[2], day[3], clock[1], clock[2]].map(Number) as [number, number, number, number, number]
  const local = new TZDate(year, month - 1, dayOfMonth, hours, minutes, timeZone)
  if (Number.isNaN(local.getTime())) return null
  const back = instantToWallClock(new Date(local.getTime()), timeZone)
  if (back.date !== date || back.time !== time) return null
  return new Date(local.getTime())
}

/** A date and time as the organisation's clocks show them ("2026-11-22", "10:42"). */
export function instantToWallClock(instant: Date, timeZone: string): WallClock {
  const local = new TZDate(instant.getTime(), timeZone)
  const pad = (value: number) => String(value).padStart(2, '0')
  return { date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`, time: `${pad(local.getHours())}:${pad(local.getMinutes())}` }
}
