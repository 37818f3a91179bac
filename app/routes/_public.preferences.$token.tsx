// The preference centre, reached from the signed link in every email: lists (join, leave, leave all), profile and
// language, download of one's data, and the way to erasure. Every change is recorded as consent (EMAIL_LINK, web).
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { linkErrorStatus, PreferencesLinkError } from '~/components/preferences-link-error.tsx'
import { PreferencesListsForm } from '~/components/preferences-lists-form.tsx'
import { PreferencesProfileForm } from '~/components/preferences-profile-form.tsx'
import { contactProfileSchema } from '~/models/contact-schema.ts'
import { ensureConsentText } from '~/models/consent.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { contactForPreferencesToken, preferenceLists, saveListChoices, saveProfileFromLink } from '~/models/self-service.server.ts'
import { unsubscribe } from '~/models/subscription.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

// The token is in the address: never let it leak to another site through the Referer header. Not "no-referrer",
// which would make the browser send `Origin: null` with the page's own forms, refused as cross-site.
export const meta: MetaFunction = () => [
  { title: 'Vos préférences' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

/** The exact sentence shown above the lists' submit button, recorded (by hash) with every change of lists. */
async function listsConsentText(request: Request): Promise<{ locale: string; text: string }> {
  const [locale, organization] = await Promise.all([getLocale(request), getOrganization()])
  const t = await i18next.getFixedT(locale)
  return { locale, text: t('preferences.lists.consent', { organization: organization.name }) }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await contactForPreferencesToken(params.token ?? '')
  if (!link.ok) return data({ ok: false as const, reason: link.reason }, { status: linkErrorStatus(link.reason) })
  const { contact } = link
  const [lists, consent] = await Promise.all([preferenceLists(contact.id), listsConsentText(request)])
  return data({
    ok: true as const,
    email: contact.email,
    lists,
    consentText: consent.text,
    profile: {
      firstName: contact.firstName ?? '',
      lastName: contact.lastName ?? '',
      organization: contact.organization ?? '',
      actorType: contact.actorType ?? '',
      territory: contact.territory ?? '',
      locale: contact.locale,
    },
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const link = await contactForPreferencesToken(params.token ?? '')
  if (!link.ok) return data({ intent: 'refused' as const }, { status: linkErrorStatus(link.reason) })
  const contactId = link.contact.id
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'lists') {
    const chosen = formData.getAll('listId').map((value) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN))
    const consent = await listsConsentText(request)
    const consentTextHash = await ensureConsentText(consent.locale, consent.text)
    await saveListChoices({ contactId, chosenListIds: chosen.filter(Number.isInteger), consentTextHash })
    logger.info({ contactId }, 'preference centre: lists saved')
    return data({ intent: 'lists' as const, notice: 'preferences.notices.lists' })
  }
  if (intent === 'unsubscribe-all') {
    await unsubscribe({ contactId, listIds: 'all', source: 'EMAIL_LINK', channel: 'web' })
    logger.info({ contactId }, 'preference centre: unsubscribed from all')
    return data({ intent: 'unsubscribe-all' as const, notice: 'preferences.notices.unsubscribedAll' })
  }
  if (intent === 'profile') {
    const submission = parseWithZod(formData, { schema: contactProfileSchema })
    if (submission.status !== 'success') return data({ intent: 'profile' as const, result: submission.reply() }, { status: 400 })
    await saveProfileFromLink(contactId, submission.value)
    logger.info({ contactId }, 'preference centre: profile saved')
    return data({ intent: 'profile' as const, result: submission.reply(), notice: 'preferences.notices.profile' })
  }
  return data({ intent: 'refused' as const }, { status: 400 })
}

export default function PreferencesPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const base = `/preferences/${encodeURIComponent(useParams().token ?? '')}`
  if (!page.ok) return <PreferencesLinkError reason={page.reason} />
  const notice = actionData && 'notice' in actionData ? actionData.notice : null
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('preferences.title')}</h1>
        <p>{t('preferences.intro', { email: page.email })}</p>
        {notice ? (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="abonnements">
        <h2 id="abonnements">{t('preferences.lists.title')}</h2>
        <PreferencesListsForm lists={page.lists} consentText={page.consentText} />
      </section>
      <section aria-labelledby="profil">
        <h2 id="profil">{t('preferences.profile.title')}</h2>
        <PreferencesProfileForm defaults={page.profile} lastResult={actionData?.intent === 'profile' ? actionData.result : undefined} />
      </section>
      <section aria-labelledby="donnees">
        <h2 id="donnees">{t('preferences.data.title')}</h2>
        <p>{t('preferences.data.intro')}</p>
        <p>
          <a href={`${base}/data`} download>
            {t('preferences.data.download')}
          </a>
        </p>
        <p>
          <Link to={`${base}/erase`}>{t('preferences.data.erase')}</Link>
        </p>
      </section>
    </main>
  )
}
