// The "je reste abonné·e" page of the re-permission email: a GET only shows the button (mail scanners open links by
// themselves); the button's POST records the renewed consent and restarts the 3-year clock.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { checkStayLink, stayFromLink } from '~/models/retention.server.ts'

// The token is in the address: never let it leak to another site through the Referer header. Not "no-referrer",
// which would make the browser send `Origin: null` with the page's own forms, refused as cross-site.
export const meta: MetaFunction = () => [
  { title: 'Rester abonné·e' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

/** An expired link is a normal end (410); a forged or unknown one is not found (404). */
const statusFor = (reason: 'invalid' | 'expired') => (reason === 'expired' ? 410 : 404)

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await checkStayLink(params.token ?? '')
  return data({ ok: link.ok }, { status: link.ok ? 200 : statusFor(link.reason) })
}

export async function action({ params }: ActionFunctionArgs) {
  const link = await stayFromLink(params.token ?? '')
  return data({ done: link.ok }, { status: link.ok ? 200 : statusFor(link.reason) })
}

export default function StayPage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  const valid = result ? result.done : page.ok
  return (
    <main id="contenu" className="page">
      <section className="hero">
        {!valid ? (
          <>
            <h1>{t('stay.invalidTitle')}</h1>
            <p>{t('stay.invalid')}</p>
            <p>
              <a href="/newsletters">{t('stay.toNewsletters')}</a>
            </p>
          </>
        ) : result?.done ? (
          <>
            <h1>{t('stay.title')}</h1>
            <p role="status">{t('stay.done')}</p>
          </>
        ) : (
          <>
            <h1>{t('stay.title')}</h1>
            <p>{t('stay.intro')}</p>
            <Form method="post">
              <button type="submit">{t('stay.button')}</button>
            </Form>
          </>
        )}
      </section>
    </main>
  )
}
