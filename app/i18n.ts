// Shared i18n settings (server and browser): French first, English second.
import { en } from './locales/en.ts'
import { fr } from './locales/fr.ts'

export const supportedLocales = ['fr', 'en'] as const
export type Locale = (typeof supportedLocales)[number]
export const defaultLocale: Locale = 'fr'

export const resources = { fr: { translation: fr }, en: { translation: en } }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value)
}

export const i18nConfig = {
  supportedLngs: [...supportedLocales],
  fallbackLng: defaultLocale,
  defaultNS: 'translation',
  interpolation: { escapeValue: false },
  resources,
}

/** Formats an instant in a named IANA time zone, naming the zone ("jeudi 12 mars 2026 à 12:15 (heure de Paris)"). */
export function formatDateTime(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(date) + ` (${zoneLabel(date, locale, timeZone)})`
}

export function zoneLabel(date: Date, locale: Locale, timeZone: string): string {
  const part = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone, timeZoneName: 'long' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')
  return part?.value ?? timeZone
}
