// Owns the messages of the sign-up journey: the double opt-in confirmation (one for every list asked at once), the
// "already subscribed" notice and the welcome message of each confirmed list. All go through the email queue, and
// the first two are capped per address per day so that nobody can flood someone's inbox through the public form.
import { randomUUID } from 'node:crypto'
import { renderEmail, type EmailLocale } from '#emails/render.ts'
import { welcomeText } from '#emails/subscription-welcome.ts'
import { enqueueEmail } from '#jobs/queues.ts'
import { formatDateTime } from '~/i18n.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { confirmLinkSeconds, confirmUrl, preferencesUrl, unsubscribeUrl } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { consumeRateLimit, type RateLimitRule } from '~/utils/rate-limit.server.ts'
import { getOrganization } from './organization.server.ts'

/** Confirmation and "already subscribed" messages one address may receive per day, whatever asks for them. */
export const signupMailLimit: RateLimitRule = { name: 'signup-mail', limit: 3, windowSeconds: 24 * 60 * 60 }

type Recipient = { id: number; email: string | null; locale: string }

function emailLocale(locale: string): EmailLocale {
  return locale === 'en' ? 'en' : 'fr'
}

async function layoutValues() {
  const organization = await getOrganization()
  return { organization, values: { organizationName: organization.name, postalAddress: organization.postalAddress } }
}

async function listNames(listIds: number[]): Promise<string> {
  const lists = await prisma.mailingList.findMany({ where: { id: { in: listIds } }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { name: true } })
  return lists.map((list) => `• ${list.name}`).join('\n')
}

/** Counts one message against the address's daily cap; false (and nothing sent) once the cap is reached. */
async function withinDailyCap(contact: Recipient & { email: string }): Promise<boolean> {
  const state = await consumeRateLimit(signupMailLimit, contact.email)
  if (!state.allowed) logger.info({ contactId: contact.id }, 'sign-up message not sent: daily cap reached for this address')
  return state.allowed
}

export async function sendConfirmationEmail(contact: Recipient, listIds: number[], now = new Date()): Promise<void> {
  if (!contact.email || listIds.length === 0 || !(await withinDailyCap({ ...contact, email: contact.email }))) return
  const locale = emailLocale(contact.locale)
  const { organization, values } = await layoutValues()
  const expiresAt = new Date(now.getTime() + confirmLinkSeconds * 1000)
  const rendered = await renderEmail(
    'subscription-confirm',
    { ...values, listNames: await listNames(listIds), confirmUrl: confirmUrl(contact.id, listIds, now), expiresAt: formatDateTime(expiresAt, locale, organization.timeZone) },
    locale,
  )
  // Each request deserves its own message (the daily cap bounds them), hence a random part in the key.
  await enqueueEmail({ idempotencyKey: `signup-confirm-${contact.id}-${randomUUID()}`, template: 'subscription-confirm', to: contact.email, contactId: contact.id, kind: 'transactional', ...rendered })
}

export async function sendAlreadySubscribedEmail(contact: Recipient, listIds: number[]): Promise<void> {
  if (!contact.email || listIds.length === 0 || !(await withinDailyCap({ ...contact, email: contact.email }))) return
  const locale = emailLocale(contact.locale)
  const { values } = await layoutValues()
  const rendered = await renderEmail('subscription-already', { ...values, listNames: await listNames(listIds), preferencesUrl: preferencesUrl(contact.id) }, locale)
  await enqueueEmail({ idempotencyKey: `signup-already-${contact.id}-${randomUUID()}`, template: 'subscription-already', to: contact.email, contactId: contact.id, kind: 'transactional', ...rendered })
}

/** One welcome message per list whose subscription just became CONFIRMED (keyed by that confirmation). */
export async function sendWelcomeEmails(contactId: number, listIds: number[]): Promise<void> {
  if (listIds.length === 0) return
  const contact = await prisma.contact.findUnique({ where: { id: contactId }, select: { id: true, email: true, locale: true } })
  if (!contact?.email) return
  const subscriptions = await prisma.subscription.findMany({
    where: { contactId, listId: { in: listIds }, status: 'CONFIRMED' },
    include: { list: true },
  })
  const locale = emailLocale(contact.locale)
  const { values } = await layoutValues()
  const host = new URL(getEnv().APP_URL).hostname
  for (const subscription of subscriptions) {
    const { list } = subscription
    const oneClick = unsubscribeUrl({ contactId, listIds: [list.id] })
    const rendered = await renderEmail(
      'subscription-welcome',
      { ...values, ...welcomeText(locale, list), listName: list.name, preferencesUrl: preferencesUrl(contactId), unsubscribeUrl: oneClick },
      locale,
    )
    await enqueueEmail({
      idempotencyKey: `signup-welcome-${contactId}-${list.id}-${subscription.confirmedAt?.getTime() ?? 0}`,
      template: 'subscription-welcome',
      to: contact.email,
      contactId,
      kind: 'marketing',
      headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Id': `<${list.slug}.${host}>` },
      ...rendered,
    })
  }
}
