// Home page: the organisation's upcoming events and the newsletters on offer.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '~/i18n.ts'
import { listUpcomingPublicEvents } from '~/models/event.server.ts'
import { listPublicLists } from '~/models/list.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction = () => [{ name: 'description', content: 'Lettres d’information et événements du réseau' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, events, lists] = await Promise.all([getLocale(request), listUpcomingPublicEvents(new Date(), 6), listPublicLists()])
  return {
    events: events.map((event) => ({
      slug: event.slug,
      title: event.title,
      summary: event.summary,
      kind: event.kind,
      when: formatDateTime(event.startsAt, locale, event.timeZone),
      seriesTitle: event.series?.title ?? null,
    })),
    lists: lists.map((list) => ({ slug: list.slug, name: list.name, description: list.description, cadence: list.cadence })),
  }
}

const kindKey = { ONLINE: 'home.online', IN_PERSON: 'home.inPerson', HYBRID: 'home.hybrid' } as const

export default function Home() {
  const { events, lists } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('home.heading')}</h1>
        <p>{t('home.intro')}</p>
      </section>
      <section aria-labelledby="prochains">
        <h2 id="prochains">{t('home.upcoming')}</h2>
        {events.length === 0 ? (
          <p>{t('home.noUpcoming')}</p>
        ) : (
          <ul className="cards">
            {events.map((event) => (
              <li key={event.slug} className="card">
                <p className="card-kicker">
                  {t(kindKey[event.kind])}
                  {event.seriesTitle ? ` · ${event.seriesTitle}` : null}
                </p>
                <h3>
                  <Link to={`/events/${event.slug}`}>{event.title}</Link>
                </h3>
                <p className="card-when">{event.when}</p>
                {event.summary ? <p>{event.summary}</p> : null}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/events">{t('home.allEvents')}</Link>
        </p>
      </section>
      <section aria-labelledby="lettres">
        <h2 id="lettres">{t('home.lists')}</h2>
        {lists.length === 0 ? (
          <p>{t('home.noLists')}</p>
        ) : (
          <ul className="cards">
            {lists.map((list) => (
              <li key={list.slug} className="card">
                <h3>{list.name}</h3>
                {list.cadence ? <p className="card-kicker">{list.cadence}</p> : null}
                <p>{list.description}</p>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link className="button" to="/newsletters">
            {t('home.subscribe')}
          </Link>
        </p>
      </section>
    </main>
  )
}
