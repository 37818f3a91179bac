// /series/:slug: a cycle of events, its upcoming sessions (each with its own page to register to one), and the form
// to register to the whole series (every future session, including those added later).
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { EventCard } from '~/components/event-public-card.tsx'
import { RegistrationForm } from '~/components/event-registration-form.tsx'
import { eventCardView, getPublicSeries } from '~/models/event-page.server.ts'
import { handleSeriesRegistrationPost, registrationFormData } from '~/utils/event-registration-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.series.title} · Relais` : 'Relais' },
  ...(data ? [{ tagName: 'link', rel: 'alternate', type: 'text/calendar', href: `/series/${data.series.slug}/calendar.ics` }] : []),
]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

async function seriesOr404(slug: string | undefined) {
  const series = slug ? await getPublicSeries(slug) : null
  if (!series) throw new Response('Not Found', { status: 404 })
  return series
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [series, form] = await Promise.all([seriesOr404(params.slug), registrationFormData(request)])
  return {
    ...form,
    series: { slug: series.slug, title: series.title, descriptionHtml: series.description, cancelled: series.status === 'CANCELLED' },
    sessions: series.sessions.map(({ event, availability }) => eventCardView(event, availability, form.locale)),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleSeriesRegistrationPost(request, context, await seriesOr404(params.slug))
}

export default function SeriesPage() {
  const { series, sessions, newsletterLists, consentText, locale } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const open = !series.cancelled && sessions.some((session) => session.availability?.state !== 'cancelled')
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="cycle-titre">
        <p className="card-kicker">{t('events.series.kicker')}</p>
        <h1 id="cycle-titre">{series.title}</h1>
        {series.cancelled ? (
          <p>
            <strong>{t('events.availability.cancelled')}</strong>
          </p>
        ) : null}
        {/* Sanitised by the staff side when saved. */}
        {series.descriptionHtml ? <div className="event-description" dangerouslySetInnerHTML={{ __html: series.descriptionHtml }} /> : null}
        {series.cancelled ? null : (
          <p>
            <a href={`/series/${series.slug}/calendar.ics`} type="text/calendar">
              {t('calendarLinks.seriesIcs')}
            </a>
          </p>
        )}
        <p>
          <Link to="/events">{t('events.page.backToList')}</Link>
        </p>
      </section>
      <section aria-labelledby="seances">
        <h2 id="seances">{t('events.series.sessions')}</h2>
        {sessions.length === 0 ? (
          <p>{t('events.series.noSessions')}</p>
        ) : (
          <ul className="cards">
            {sessions.map((session) => (
              <EventCard key={session.slug} event={session} linkLabel={t('events.series.sessionLink')} />
            ))}
          </ul>
        )}
      </section>
      {open || actionData ? (
        <section aria-labelledby="inscription" className="hero">
          <h2 id="inscription">{t('events.series.registerTitle')}</h2>
          <p>{t('events.series.registerIntro')}</p>
          <RegistrationForm
            id="inscription-cycle"
            action={`/series/${series.slug}`}
            questions={[]}
            newsletterLists={newsletterLists}
            consentText={consentText}
            locale={locale}
            submitLabel={t('events.form.submitSeries')}
            lastResult={actionData?.result}
            retryMinutes={actionData?.retryMinutes}
          />
        </section>
      ) : null}
    </main>
  )
}
