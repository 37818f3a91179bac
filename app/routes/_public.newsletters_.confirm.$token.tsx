// The link of the confirmation email. GET only shows what is about to be confirmed (mail scanners open links:
// a GET never subscribes anyone); the button POSTs the confirmation. An expired link (410) offers a new one.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { confirmSubscriptions } from '~/models/subscription.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { readConfirmLink as readLink } from '~/utils/links.server.ts'

export const meta: MetaFunction = () => [{ name: 'robots', content: 'noindex' }]

const statusOf = { invalid: 400, expired: 410, ready: 200 } as const

export async function loader({ params }: LoaderFunctionArgs) {
  const link = readLink(params.token)
  if (link.state !== 'ready') return data({ state: link.state, listNames: [] as string[] }, { status: statusOf[link.state] })
  const lists = await prisma.mailingList.findMany({ where: { id: { in: link.listIds } }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { name: true } })
  return data({ state: link.state, listNames: lists.map((list) => list.name) })
}

export async function action({ params }: ActionFunctionArgs) {
  const link = readLink(params.token)
  if (link.state === 'invalid') return data({ state: 'invalid' as const, listNames: [] as string[] }, { status: 400 })
  if (link.state === 'expired') return data({ state: 'expired' as const, listNames: [] as string[] }, { status: 410 })
  const result = await confirmSubscriptions(link)
  if (result.status === 'gone') return data({ state: 'gone' as const, listNames: [] as string[] }, { status: 404 })
  return data({ state: 'confirmed' as const, listNames: result.listNames })
}

export default function ConfirmSubscription() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const { t } = useTranslation()
  const view = acted ?? loaded
  const token = useParams().token ?? ''
  const signupAgain = (
    <p>
      <Link to="/newsletters">{t('signup.confirm.signupAgain')}</Link>
    </p>
  )
  const names = (
    <ul>
      {view.listNames.map((name) => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  )
  return (
    <main id="contenu" className="page">
      <section className="hero">
        {view.state === 'ready' ? (
          <>
            <h1>{t('signup.confirm.title')}</h1>
            <p>{t('signup.confirm.intro')}</p>
            {names}
            <Form method="post">
              <button type="submit" name="intent" value="confirm">
                {t('signup.confirm.submit')}
              </button>
            </Form>
          </>
        ) : view.state === 'confirmed' ? (
          <>
            <h1>{t('signup.confirm.doneTitle')}</h1>
            <p>{t('signup.confirm.doneBody')}</p>
            {names}
            <p>{t('signup.confirm.doneHint')}</p>
          </>
        ) : view.state === 'expired' ? (
          <>
            <h1>{t('signup.confirm.expiredTitle')}</h1>
            <p>{t('signup.confirm.expiredBody')}</p>
            {/* Posted to a route of its own: this page's loader keeps answering 410 for the expired link. */}
            <Form method="post" action="/newsletters/resend">
              <input type="hidden" name="token" value={token} />
              <button type="submit">{t('signup.confirm.resend')}</button>
            </Form>
          </>
        ) : (
          <>
            <h1>{t('signup.confirm.invalidTitle')}</h1>
            <p>{view.state === 'gone' ? t('signup.confirm.goneBody') : t('signup.confirm.invalidBody')}</p>
            {signupAgain}
          </>
        )}
      </section>
    </main>
  )
}
