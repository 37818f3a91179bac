// The unsubscribe page the List-Unsubscribe link (/u/:token) leads a person to: a GET only asks for confirmation
// (mail scanners open links by themselves); the button's POST unsubscribes and says it is done.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { linkErrorStatus, PreferencesLinkError } from '~/components/preferences-link-error.tsx'
import { resolveUnsubscribeToken } from '~/models/self-service.server.ts'
import { unsubscribe } from '~/models/subscription.server.ts'
import { preferencesUrl } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'

// The token is in the address: never let it leak to another site through the Referer header. Not "no-referrer",
// which would make the browser send `Origin: null` with the page's own forms, refused as cross-site.
export const meta: MetaFunction = () => [
  { title: 'Désabonnement' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

type PageData = { ok: false; reason: 'invalid' | 'expired' } | { ok: true; lists: string[]; preferencesPath: string }

async function pageData(token: string): Promise<PageData> {
  const link = await resolveUnsubscribeToken(token)
  if (!link.ok) return { ok: false, reason: link.reason }
  return { ok: true, lists: link.listNames, preferencesPath: new URL(preferencesUrl(link.contact.id)).pathname }
}

export async function loader({ params }: LoaderFunctionArgs) {
  const page = await pageData(params.token ?? '')
  return data(page, { status: page.ok ? 200 : linkErrorStatus(page.reason) })
}

export async function action({ params }: ActionFunctionArgs) {
  const link = await resolveUnsubscribeToken(params.token ?? '')
  if (!link.ok) return data({ done: false }, { status: linkErrorStatus(link.reason) })
  await unsubscribe({
    contactId: link.contact.id,
    listIds: link.listIds,
    source: 'EMAIL_LINK',
    channel: 'web',
    sourceRef: link.campaignId === null ? undefined : `campaign:${link.campaignId}`,
  })
  logger.info({ contactId: link.contact.id, campaignId: link.campaignId }, 'unsubscribed from the unsubscribe page')
  return data({ done: true })
}

export default function UnsubscribePage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  if (!page.ok) return <PreferencesLinkError reason={page.reason} />
  const what = page.lists.length > 0 ? t('unsubscribe.theseLists', { lists: page.lists.join(', ') }) : t('unsubscribe.allLists')
  return (
    <main id="contenu" className="page">
      <section className="hero">
        {result?.done ? (
          <>
            <h1>{t('unsubscribe.doneTitle')}</h1>
            <p role="status">{t('unsubscribe.doneBody', { what })}</p>
          </>
        ) : (
          <>
            <h1>{t('unsubscribe.title')}</h1>
            <p>{t('unsubscribe.question', { what })}</p>
            <Form method="post">
              <input type="hidden" name="List-Unsubscribe" value="One-Click" />
              <button type="submit">{t('unsubscribe.confirm')}</button>
            </Form>
          </>
        )}
        <p>
          <a href={page.preferencesPath}>{t('unsubscribe.toPreferences')}</a>
        </p>
      </section>
    </main>
  )
}
