// "Effacer mes données": the confirmation step of a self-service erasure. A GET only explains what will go; the
// button's POST erases (the same erasure staff use) and leads to a page that confirms it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { linkErrorStatus, PreferencesLinkError } from '~/components/preferences-link-error.tsx'
import { eraseContact, PrivacyError } from '~/models/privacy.server.ts'
import { contactForPreferencesToken } from '~/models/self-service.server.ts'

// The token is in the address: same-origin keeps it from other sites (see the preference centre).
export const meta: MetaFunction = () => [
  { title: 'Effacer mes données' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await contactForPreferencesToken(params.token ?? '')
  if (!link.ok) return data({ ok: false as const, reason: link.reason }, { status: linkErrorStatus(link.reason) })
  return data({ ok: true as const, email: link.contact.email })
}

export async function action({ params }: ActionFunctionArgs) {
  const link = await contactForPreferencesToken(params.token ?? '')
  if (!link.ok) return data({ ok: false as const, reason: link.reason }, { status: linkErrorStatus(link.reason) })
  try {
    await eraseContact(link.contact.id, { kind: 'self' })
  } catch (error) {
    if (error instanceof PrivacyError && error.reason === 'queue-unavailable') return data({ ok: true as const, retryLater: true }, { status: 503 })
    throw error
  }
  return redirect('/preferences/erased')
}

export default function ErasePage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  const token = useParams().token ?? ''
  if (!page.ok) return <PreferencesLinkError reason={page.reason} />
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('preferences.erase.title')}</h1>
        {result && 'retryLater' in result ? (
          <p className="error-summary" role="alert">
            {t('preferences.erase.retryLater')}
          </p>
        ) : null}
        <p>{t('preferences.erase.intro', { email: page.email })}</p>
        <ul>
          <li>{t('preferences.erase.goesProfile')}</li>
          <li>{t('preferences.erase.goesLists')}</li>
          <li>{t('preferences.erase.goesRegistrations')}</li>
          <li>{t('preferences.erase.keeps')}</li>
        </ul>
        <p>{t('preferences.erase.final')}</p>
        <Form method="post" className="row-actions">
          <button type="submit" className="danger">
            {t('preferences.erase.confirm')}
          </button>
          <Link to={`/preferences/${encodeURIComponent(token)}`}>{t('preferences.erase.cancel')}</Link>
        </Form>
      </section>
    </main>
  )
}
