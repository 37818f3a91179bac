// /series/:slug/merci: where an accepted whole-series registration lands; the same page whatever happened.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RegistrationThanks } from '~/components/event-public-thanks.tsx'
import { getPublicSeries } from '~/models/event-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Relais` : 'Relais' }, { name: 'robots', content: 'noindex' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const series = params.slug ? await getPublicSeries(params.slug) : null
  if (!series) throw new Response('Not Found', { status: 404 })
  return { title: series.title, slug: series.slug }
}

export default function SeriesThanksPage() {
  const { title, slug } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return <RegistrationThanks title={title} bodyKey="events.thanks.seriesBody" back={<Link to={`/series/${slug}`}>{t('events.thanks.backSeries')}</Link>} />
}
