// /registrations/series/:token: a whole-series registration from its signed link — the series, the sessions it holds
// a registration to (with each one's status), and its cancellation (future sessions only; past ones keep their
// attendance). The signed link is the credential; cross-site posts are refused upstream (refuseCrossSiteWrites).
// Each confirmed session ahead has its own .ics link (that session's invite, with the personal join link).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useParams, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { EventWhen } from '~/components/event-public-card.tsx'
import { CancelSection, RegistrationLinkError } from '~/components/event-public-manage.tsx'
import { registrationCalendarPathOf } from '~/models/event-calendar.server.ts'
import { eventWhen, getManagedSeriesRegistration } from '~/models/event-page.server.ts'
import { cancelSeriesRegistration } from '~/models/registration.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Relais' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

async function seriesRegistrationFromLink(token: string | undefined) {
  const id = token ? readRegistrationToken(token, 'series-registration') : null
  return id === null ? null : getManagedSeriesRegistration(id)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [registration, locale, t] = await Promise.all([seriesRegistrationFromLink(params.token), getLocale(request), i18next.getFixedT(request)])
  if (!registration || registration.series.status === 'DRAFT') return data({ ok: false as const, title: t('events.manage.linkInvalidTitle') }, { status: 404 })
  const now = new Date()
  return data({
    ok: true as const,
    title: `${t('events.manage.seriesTitle')} · ${registration.series.title}`,
    name: `${registration.firstName} ${registration.lastName}`.trim(),
    active: registration.status !== 'CANCELLED',
    series: { slug: registration.series.slug, title: registration.series.title },
    sessions: registration.registrations.map(({ id, status, event }) => ({
      id,
      status,
      slug: event.slug,
      title: event.title,
      cancelled: event.status === 'CANCELLED',
      when: eventWhen(event, locale),
      calendar: status === 'CONFIRMED' && event.status === 'PUBLISHED' && event.endsAt > now ? registrationCalendarPathOf(id, now) : null,
    })),
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const registration = await seriesRegistrationFromLink(params.token)
  if (!registration) return data(null, { status: 404 })
  const base = new URL(request.url).pathname
  if ((await request.formData()).get('intent') !== 'cancel' || registration.status === 'CANCELLED') return redirect(base, 303)
  const { cancelledSessions } = await cancelSeriesRegistration(registration.id)
  logger.info({ seriesRegistrationId: registration.id, cancelledSessions }, 'series registration cancelled by the attendee')
  return redirect(`${base}?annulee=${cancelledSessions}`, 303)
}

export default function SeriesRegistrationPage() {
  const page = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const { token = '' } = useParams()
  const { t } = useTranslation()
  if (!page.ok) return <RegistrationLinkError />
  const base = `/registrations/series/${encodeURIComponent(token)}`
  const cancelledCount = search.get('annulee')
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="cycle-inscription">
        <h1 id="cycle-inscription">{t('events.manage.seriesTitle')}</h1>
        <p>{t('events.manage.seriesIntro', { name: page.name, title: page.series.title })}</p>
        {cancelledCount !== null && /^\d+$/.test(cancelledCount) ? (
          <p className="notice" role="status">
            {t('events.manage.seriesCancelled', { count: Number(cancelledCount) })}
          </p>
        ) : null}
        <h2>{t('events.manage.status')}</h2>
        <p>
          <strong>{t(page.active ? 'events.manage.seriesActive' : 'events.manage.seriesCancelledStatus')}</strong>
        </p>
        <p>
          <Link to={`/series/${page.series.slug}`}>{page.series.title}</Link>
        </p>
      </section>
      <section className="hero" aria-labelledby="mes-seances">
        <h2 id="mes-seances">{t('events.manage.seriesSessions')}</h2>
        {page.sessions.length === 0 ? (
          <p>{t('events.manage.noSessions')}</p>
        ) : (
          <ul>
            {page.sessions.map((session) => (
              <li key={session.id}>
                <Link to={`/events/${session.slug}`}>{session.title}</Link> — <EventWhen when={session.when} /> —{' '}
                {session.cancelled ? t('events.manage.eventCancelled') : t(`events.manage.statusShort.${session.status}`)}
                {session.calendar ? (
                  <>
                    {' — '}
                    <a href={session.calendar} type="text/calendar">
                      {t('calendarLinks.sessionIcs', { title: session.title })}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {page.active ? (
        <CancelSection
          base={base}
          confirming={search.has('annuler')}
          texts={{
            title: 'events.manage.seriesCancelAsk',
            intro: 'events.manage.seriesCancelIntro',
            ask: 'events.manage.seriesCancelAsk',
            confirmBody: 'events.manage.seriesCancelConfirmBody',
            confirm: 'events.manage.seriesCancelConfirm',
          }}
        />
      ) : null}
    </main>
  )
}
