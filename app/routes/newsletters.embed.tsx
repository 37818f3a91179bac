// GET/POST /newsletters/embed?lists=slug1,slug2: the sign-up form without the site's chrome, for an iframe on a
// partner's site. Same form, same rules as /newsletters; the consent records say "embed".
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SignupForm, SignupReceived } from '~/components/signup-form.tsx'
import { handleSignupPost, signupPageData } from '~/utils/signup-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Relais' }, { name: 'robots', content: 'noindex' }]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

function requestedSlugs(request: Request): string[] {
  const value = new URL(request.url).searchParams.get('lists') ?? ''
  return value.split(',').map((slug) => slug.trim().toLowerCase()).filter(Boolean)
}

export async function loader({ request }: LoaderFunctionArgs) {
  const slugs = requestedSlugs(request)
  const page = await signupPageData(request, slugs)
  return { ...page, query: slugs.length ? `?lists=${encodeURIComponent(slugs.join(','))}` : '' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleSignupPost(request, context, 'embed')
}

export default function NewslettersEmbed() {
  const { lists, consent, locale, query, title } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const here = `/newsletters/embed${query}`
  return (
    <main id="contenu" className="page signup-embed">
      <h1>{title}</h1>
      {actionData?.received ? (
        <SignupReceived againHref={here} />
      ) : (
        <>
          <p>{t('signup.intro')}</p>
          <SignupForm action={here} lists={lists} consent={consent} locale={locale} lastResult={actionData?.result} retryMinutes={actionData?.retryMinutes} />
        </>
      )}
    </main>
  )
}
