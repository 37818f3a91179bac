// Owns locale negotiation: ?lang=, then the `lang` cookie, then Accept-Language; French by default.
import { createCookie } from '@remix-run/node'
import { RemixI18Next } from 'remix-i18next/server'
import { defaultLocale, i18nConfig, isLocale, supportedLocales, type Locale } from '~/i18n.ts'

export const localeCookie = createCookie('lang', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
})

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLocales],
    fallbackLanguage: defaultLocale,
    cookie: localeCookie,
    order: ['searchParams', 'cookie', 'header'],
    searchParamKey: 'lang',
  },
  i18next: i18nConfig,
})

export async function getLocale(request: Request): Promise<Locale> {
  const locale = await i18next.getLocale(request)
  return isLocale(locale) ? locale : defaultLocale
}
