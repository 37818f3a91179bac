// Owns the server side of the public registration forms (an event's, a whole series'): what the form needs (newsletter
// choices, the consent text shown with them) and the handling of a post — honeypot, proof-of-work, rate limits, the
// check of the fields and answers, then the hand-off to registration.server.ts. A valid post that Relais accepts is
// answered by the same 303 to the same thank-you page whatever happened (confirmed, waitlisted, pending, already
// registered): the person learns which by email. Only refusals that do not depend on who asks are said on the page.
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect } from '@remix-run/node'
import type { AttendeeInput } from '~/models/event-schema.ts'
import { parseAnswers } from '~/models/event-schema.ts'
import { isNewsletterChoice, newsletterChoices, type PublicEvent } from '~/models/event-page.server.ts'
import { registerForEvent, registerForSeries } from '~/models/registration.server.ts'
import { HONEYPOT_FIELD } from '~/models/signup-schema.ts'
import { currentConsentText } from '~/models/signup.server.ts'
import { checkPow, POW_FIELD } from './altcha.server.ts'
import { clientIp } from './auth.server.ts'
import { normalizeEmail } from './email-address.ts'
import { chosenNewsletterListId, eventRegistrationSchema, NEWSLETTER_LIST_FIELD } from './event-registration-form.ts'
import { getLocale } from './i18n.server.ts'
import { logger } from './logger.server.ts'
import { clientAddressKey, consumeRateLimit, type RateLimitRule, type RateLimitState } from './rate-limit.server.ts'

/**
 * Budgets of the registration forms. The load generator of bench/registrations.ts stays within them by posting
 * from distinct client addresses (X-Forwarded-For, believed from a loopback proxy), as real visitors would.
 */
export const registrationLimits = {
  /** With a solved proof-of-work, per client address (a venue's shared connection registers a whole team). */
  ip: { name: 'event-registration-ip', limit: 30, windowSeconds: 10 * 60 },
  /** Without proof-of-work (no JavaScript), per client address and for everyone together. */
  ipWithoutPow: { name: 'event-registration-ip-nopow', limit: 10, windowSeconds: 60 * 60 },
  allWithoutPow: { name: 'event-registration-all-nopow', limit: 300, windowSeconds: 60 * 60 },
  /** Per address registered, whatever asks: the same whether the address is known or not. */
  email: { name: 'event-registration-email', limit: 10, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>

/** What the registration form needs besides the event: the newsletters one may also ask for and the text shown. */
export async function registrationFormData(request: Request) {
  const locale = await getLocale(request)
  const [lists, consent] = await Promise.all([newsletterChoices(), currentConsentText(locale)])
  return { locale, newsletterLists: lists, consentText: consent.body }
}

function stringField(formData: FormData, name: string): string | null {
  const value = formData.get(name)
  return typeof value === 'string' && value.length > 0 ? value : null
}

function refusedByLimits(states: (RateLimitState | null)[]): number | null {
  const refused = states.filter((state): state is RateLimitState => state !== null && !state.allowed)
  return refused.length > 0 ? Math.max(...refused.map((state) => state.retryAfterSeconds)) : null
}

type Guard = { ok: true } | { ok: false; formError: 'events.errors.pow' } | { ok: false; formError: 'events.errors.rateLimited'; retryAfterSeconds: number }

/** Proof-of-work (spent at once), then the rate limits; without a proof the stricter budgets apply. */
async function guard(formData: FormData, request: Request, context: unknown, email: string): Promise<Guard> {
  const pow = await checkPow(stringField(formData, POW_FIELD))
  if (pow === 'invalid' || pow === 'replayed') {
    logger.info({ pow }, 'event registration refused: proof-of-work')
    return { ok: false, formError: 'events.errors.pow' }
  }
  // IPv6 by its /64, so that rotating through one's own block does not buy fresh budgets.
  const ip = clientIp(request, context)
  const address = ip === null ? '' : clientAddressKey(ip)
  // One round trip each, all at once: a registration waits for the slowest, not for their sum.
  const rules: [RateLimitRule, string][] =
    pow === 'ok'
      ? [[registrationLimits.ip, address]]
      : [
          [registrationLimits.ipWithoutPow, address],
          [registrationLimits.allWithoutPow, 'all'],
        ]
  const states = await Promise.all([
    ...rules.filter(([, subject]) => subject !== '').map(([rule, subject]) => consumeRateLimit(rule, subject)),
    consumeRateLimit(registrationLimits.email, normalizeEmail(email)),
  ])
  const retryAfterSeconds = refusedByLimits(states)
  if (retryAfterSeconds !== null) {
    logger.info({ withPow: pow === 'ok' }, 'event registration refused: rate limit')
    return { ok: false, formError: 'events.errors.rateLimited', retryAfterSeconds }
  }
  return { ok: true }
}

function attendeeOf(value: AttendeeInput): AttendeeInput {
  const { email, firstName, lastName, organization, actorType, territory, locale } = value
  return { email, firstName, lastName, organization, actorType, territory, locale }
}

/** Reads and checks a posted registration form; `null` result means the post is answered like a success. */
async function readPost(request: Request, schema: ReturnType<typeof eventRegistrationSchema>) {
  const formData = await request.formData()
  // The person's language is the page's when the form does not say.
  if (!formData.has('locale')) formData.set('locale', await getLocale(request))
  if (stringField(formData, HONEYPOT_FIELD)) {
    // Answered like a success, so that a bot learns nothing; nothing is stored or sent.
    logger.info('event registration dropped: honeypot filled')
    return { formData, submission: null }
  }
  return { formData, submission: parseWithZod(formData, { schema }) }
}

const formFailure = (result: SubmissionResult<string[]>, status: number, retryMinutes = 0) => data({ result, retryMinutes }, { status })

/** POST /events/:slug. */
export async function handleEventRegistrationPost(request: Request, context: unknown, event: Pick<PublicEvent, 'id' | 'slug' | 'questions'>) {
  const thanks = `/events/${event.slug}/merci`
  const { formData, submission } = await readPost(request, eventRegistrationSchema(event.questions))
  if (!submission) return redirect(thanks, 303)
  if (submission.status !== 'success') return formFailure(submission.reply(), 400)
  const newsletterListId = chosenNewsletterListId(submission.value)
  if (newsletterListId !== undefined && !(await isNewsletterChoice(newsletterListId))) {
    return formFailure(submission.reply({ fieldErrors: { [NEWSLETTER_LIST_FIELD]: ['events.errors.newsletterList'] } }), 400)
  }
  const guarded = await guard(formData, request, context, submission.value.email)
  if (!guarded.ok) return guardFailure(submission.reply({ formErrors: [guarded.formError] }), guarded)
  const answers = parseAnswers(formData, event.questions).answers
  const outcome = await registerForEvent({ eventId: event.id, attendee: attendeeOf(submission.value), answers, source: 'PUBLIC', newsletterListId })
  if (outcome.status === 'refused') {
    logger.info({ eventId: event.id, reason: outcome.reason }, 'event registration refused')
    return formFailure(submission.reply({ formErrors: [`events.errors.refused.${outcome.reason}`] }), 409)
  }
  return redirect(thanks, 303)
}

/** POST /series/:slug: registration to every future session of the series. */
export async function handleSeriesRegistrationPost(request: Request, context: unknown, series: { id: number; slug: string }) {
  const thanks = `/series/${series.slug}/merci`
  const { formData, submission } = await readPost(request, eventRegistrationSchema([]))
  if (!submission) return redirect(thanks, 303)
  if (submission.status !== 'success') return formFailure(submission.reply(), 400)
  const newsletterListId = chosenNewsletterListId(submission.value)
  if (newsletterListId !== undefined && !(await isNewsletterChoice(newsletterListId))) {
    return formFailure(submission.reply({ fieldErrors: { [NEWSLETTER_LIST_FIELD]: ['events.errors.newsletterList'] } }), 400)
  }
  const guarded = await guard(formData, request, context, submission.value.email)
  if (!guarded.ok) return guardFailure(submission.reply({ formErrors: [guarded.formError] }), guarded)
  const outcome = await registerForSeries({ seriesId: series.id, attendee: attendeeOf(submission.value), newsletterListId, source: 'PUBLIC' })
  if (outcome.status === 'refused') {
    logger.info({ seriesId: series.id, reason: outcome.reason }, 'series registration refused')
    return formFailure(submission.reply({ formErrors: [`events.errors.refused.${outcome.reason}`] }), 409)
  }
  return redirect(thanks, 303)
}

function guardFailure(result: SubmissionResult<string[]>, guarded: Exclude<Guard, { ok: true }>) {
  if (guarded.formError === 'events.errors.pow') return formFailure(result, 400)
  const retryMinutes = Math.max(1, Math.ceil(guarded.retryAfterSeconds / 60))
  return data({ result, retryMinutes }, { status: 429, headers: { 'Retry-After': String(guarded.retryAfterSeconds) } })
}
