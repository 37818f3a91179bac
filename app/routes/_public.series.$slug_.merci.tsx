// /series/:slug/merci: where an accepted whole-series registration lands; the same page whatever happened, with the
// series' calendar file (every session, one event each).
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AddToCalendar } from '~/components/add-to-calendar.tsx'
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
  return (
    <RegistrationThanks
      title={title}
      bodyKey="events.thanks.seriesBody"
      back={<Link to={`/series/${slug}`}>{t('events.thanks.backSeries')}</Link>}
      calendar={<AddToCalendar links={{ google: null, outlook: null, ics: `/series/${encodeURIComponent(slug)}/calendar.ics` }} icsLabel="calendarLinks.seriesIcs" hint="calendarLinks.seriesHint" />}
    />
  )
}
