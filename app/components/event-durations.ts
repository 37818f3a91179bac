// Owns how a delay in minutes breaks down into weeks, days, hours and minutes, and how it reads for staff ("1
// semaine", "1 jour 6 heures", "15 minutes"): the reminder boxes of the event form and the messages section of the
// event page say it the same way, and the event emails (emails/event-parts.ts) word the same breakdown.
import type { TFunction } from 'i18next'

export type DurationUnit = 'week' | 'day' | 'hour' | 'minute'

const units = [
  ['week', 7 * 24 * 60],
  ['day', 24 * 60],
  ['hour', 60],
  ['minute', 1],
] as const

/**
 * A delay as amounts of units, largest first, none zero: whole weeks when it is a number of weeks, otherwise days,
 * hours and minutes. Rounded to the minute; empty for none (or a negative delay).
 */
export function durationParts(minutes: number): { unit: DurationUnit; count: number }[] {
  const whole = Math.max(0, Math.round(minutes))
  if (whole > 0 && whole % units[0][1] === 0) return [{ unit: 'week', count: whole / units[0][1] }]
  const parts: { unit: DurationUnit; count: number }[] = []
  let rest = whole
  for (const [unit, size] of units.slice(1)) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0) parts.push({ unit, count })
  }
  return parts
}

/** A delay in whole weeks when it is one, otherwise in days, hours and minutes ("0 minute" for none). */
export function durationText(t: TFunction, minutes: number): string {
  const parts = durationParts(minutes).map(({ unit, count }) => t(`adminEvents.duration.${unit}`, { count }))
  return parts.length ? parts.join(' ') : t('adminEvents.duration.minute', { count: 0 })
}
