// /events: upcoming published events with their availability, filtered by format, theme and series (a plain GET
// form, so it works without JavaScript), then past events with their replays.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { EventCard } from '~/components/event-public-card.tsx'
import { eventKinds } from '~/models/event-public.ts'
import { eventCardView, listPublicEvents, publicEventFilterChoices, readEventFilters } from '~/models/event-page.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Relais' },
  { tagName: 'link', rel: 'alternate', type: 'text/calendar', href: '/calendar.ics', title: data?.title ?? 'Relais' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = readEventFilters(new URL(request.url).searchParams)
  const [locale, t, organization, choices, events] = await Promise.all([
    getLocale(request),
    i18next.getFixedT(request),
    getOrganization(),
    publicEventFilterChoices(),
    listPublicEvents(filters),
  ])
  return {
    title: `${t('events.list.title')} · ${organization.name}`,
    filters: { kind: filters.kind ?? '', theme: filters.theme ?? '', series: filters.series ?? '' },
    choices,
    upcoming: events.upcoming.map(({ event, availability }) => eventCardView(event, availability, locale)),
    past: events.past.map((event) => eventCardView(event, null, locale)),
  }
}

export default function EventsIndex() {
  const { filters, choices, upcoming, past } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const filtered = Boolean(filters.kind || filters.theme || filters.series)
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('events.list.title')}</h1>
        <p>{t('events.list.intro')}</p>
        <p>
          <a href="/calendar.ics" type="text/calendar">
            {t('calendarLinks.feed')}
          </a>{' '}
          {t('calendarLinks.feedHint')}
        </p>
        <form method="get" action="/events" role="search" aria-labelledby="filtres-titre" className="event-filters">
          <h2 id="filtres-titre">{t('events.list.filtersTitle')}</h2>
          <div className="row-actions">
            <div>
              <label htmlFor="filtre-format">{t('events.list.kind')}</label>
              <select id="filtre-format" name="kind" defaultValue={filters.kind}>
                <option value="">{t('events.list.kindAll')}</option>
                {eventKinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`events.kinds.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            {choices.themes.length > 0 ? (
              <div>
                <label htmlFor="filtre-theme">{t('events.list.theme')}</label>
                <select id="filtre-theme" name="theme" defaultValue={filters.theme}>
                  <option value="">{t('events.list.themeAll')}</option>
                  {choices.themes.map((theme) => (
                    <option key={theme} value={theme}>
                      {theme}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {choices.series.length > 0 ? (
              <div>
                <label htmlFor="filtre-cycle">{t('events.list.series')}</label>
                <select id="filtre-cycle" name="series" defaultValue={filters.series}>
                  <option value="">{t('events.list.seriesAll')}</option>
                  {choices.series.map((series) => (
                    <option key={series.slug} value={series.slug}>
                      {series.title}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
          <p className="row-actions">
            <button type="submit">{t('events.list.submit')}</button>
            {filtered ? <a href="/events">{t('events.list.reset')}</a> : null}
          </p>
        </form>
      </section>
      <section aria-labelledby="a-venir">
        <h2 id="a-venir">{t('events.list.upcoming')}</h2>
        {upcoming.length === 0 ? (
          <p>{t('events.list.noUpcoming')}</p>
        ) : (
          <ul className="cards">
            {upcoming.map((event) => (
              <EventCard key={event.slug} event={event} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="passes">
        <h2 id="passes">{t('events.list.past')}</h2>
        {past.length === 0 ? (
          <p>{t('events.list.noPast')}</p>
        ) : (
          <ul className="cards">
            {past.map((event) => (
              <EventCard key={event.slug} event={event} />
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
