// Owns what the two sign-up pages (/newsletters and /newsletters/embed) share on the server: the data their form
// needs, and the handling of a posted form. The answer after a valid post never depends on the address: the same
// bytes whether it is new, pending, confirmed or unsubscribed (what happened is told by email).
import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'
import { listPublicLists } from '~/models/list.server.ts'
import { HONEYPOT_FIELD, signupSchema } from '~/models/signup-schema.ts'
import { currentConsentText, submitSignup } from '~/models/signup.server.ts'
import { POW_FIELD } from './altcha.server.ts'
import { clientIp } from './auth.server.ts'
import { getLocale, i18next } from './i18n.server.ts'
import { logger } from './logger.server.ts'

export async function signupPageData(request: Request, onlySlugs?: string[]) {
  const locale = await getLocale(request)
  const [lists, consent] = await Promise.all([listPublicLists(), currentConsentText(locale)])
  const t = await i18next.getFixedT(locale)
  const shown = onlySlugs?.length ? lists.filter((list) => onlySlugs.includes(list.slug)) : lists
  return {
    locale,
    title: t('signup.title'),
    consent,
    lists: shown.map((list) => ({ slug: list.slug, name: list.name, description: list.description, cadence: list.cadence })),
  }
}

function stringField(formData: FormData, name: string): string | null {
  const value = formData.get(name)
  return typeof value === 'string' && value.length > 0 ? value : null
}

export async function handleSignupPost(request: Request, context: unknown, channel: 'web' | 'embed') {
  const formData = await request.formData()
  const locale = await getLocale(request)
  // A hand-written snippet may leave the language out: the visitor's is the best guess.
  if (!formData.has('locale')) formData.set('locale', locale)
  const received = { result: null, received: true, retryMinutes: 0 } as const
  if (stringField(formData, HONEYPOT_FIELD)) {
    // Answered like a success, so that a bot learns nothing; nothing is stored or sent.
    logger.info({ channel }, 'sign-up dropped: honeypot filled')
    return data(received)
  }
  const submission = parseWithZod(formData, { schema: signupSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), received: false, retryMinutes: 0 }, { status: 400 })
  const outcome = await submitSignup({ form: submission.value, pow: stringField(formData, POW_FIELD), ip: clientIp(request, context), locale, channel })
  switch (outcome.status) {
    case 'received':
      return data(received)
    case 'pow-failed':
      return data({ result: submission.reply({ formErrors: ['signup.errors.pow'] }), received: false, retryMinutes: 0 }, { status: 400 })
    case 'unknown-lists':
      return data({ result: submission.reply({ fieldErrors: { lists: ['signup.errors.unknownLists'] } }), received: false, retryMinutes: 0 }, { status: 400 })
    case 'rate-limited': {
      const retryMinutes = Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60))
      return data(
        { result: submission.reply({ formErrors: ['signup.errors.rateLimited'] }), received: false, retryMinutes },
        { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } },
      )
    }
  }
}
