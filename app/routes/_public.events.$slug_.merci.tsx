// /events/:slug/merci: where every accepted registration lands (303 after the post). The same page whatever
// happened — confirmed, waitlisted, awaiting approval or already registered: the email says which.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RegistrationThanks } from '~/components/event-public-thanks.tsx'
import { getPublicEvent } from '~/models/event-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Relais` : 'Relais' }, { name: 'robots', content: 'noindex' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const event = params.slug ? await getPublicEvent(params.slug) : null
  if (!event) throw new Response('Not Found', { status: 404 })
  return { title: event.title, slug: event.slug }
}

export default function RegistrationThanksPage() {
  const { title, slug } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return <RegistrationThanks title={title} bodyKey="events.thanks.body" back={<Link to={`/events/${slug}`}>{t('events.thanks.back')}</Link>} />
}
