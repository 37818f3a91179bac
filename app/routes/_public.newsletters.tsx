// The public sign-up page: one form for one or several public lists, double opt-in by email.
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SignupForm, SignupReceived } from '~/components/signup-form.tsx'
import { handleSignupPost, signupPageData } from '~/utils/signup-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Relais' }]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function loader({ request }: LoaderFunctionArgs) {
  return signupPageData(request)
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleSignupPost(request, context, 'web')
}

export default function Newsletters() {
  const { lists, consent, locale } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('signup.title')}</h1>
        {actionData?.received ? (
          <SignupReceived againHref="/newsletters" />
        ) : (
          <>
            <p>{t('signup.intro')}</p>
            <SignupForm action="/newsletters" lists={lists} consent={consent} locale={locale} lastResult={actionData?.result} retryMinutes={actionData?.retryMinutes} />
          </>
        )}
      </section>
    </main>
  )
}
