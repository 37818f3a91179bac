// Owns how a delay in minutes reads for staff ("1 semaine", "1 jour 6 heures", "15 minutes"): the reminder boxes of
// the event form and the messages section of the event page say it the same way.
import type { TFunction } from 'i18next'

const units = [
  ['week', 7 * 24 * 60],
  ['day', 24 * 60],
  ['hour', 60],
  ['minute', 1],
] as const

/** A delay in whole weeks when it is one, otherwise in days, hours and minutes ("0 minute" for none). */
export function durationText(t: TFunction, minutes: number): string {
  if (minutes > 0 && minutes % units[0][1] === 0) return t('adminEvents.duration.week', { count: minutes / units[0][1] })
  const parts: string[] = []
  let rest = minutes
  for (const [unit, size] of units.slice(1)) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0) parts.push(t(`adminEvents.duration.${unit}`, { count }))
  }
  return parts.length ? parts.join(' ') : t('adminEvents.duration.minute', { count: 0 })
}
