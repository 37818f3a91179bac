// Staff events dashboard: upcoming events (soonest first) with seats, fill rate, waitlist and approvals to give;
// drafts; past events with their attendance rate; filtered by status and kind.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '~/i18n.ts'
import { eventsDashboard } from '~/models/event-dashboard.server.ts'
import { eventKinds, eventStatuses } from '~/models/event-form-schema.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction = () => [{ title: 'Événements · Relais' }]

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined => values.find((item) => item === value)

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const params = new URL(request.url).searchParams
  const filter = { status: oneOf(eventStatuses, params.get('status')), kind: oneOf(eventKinds, params.get('kind')) }
  const [locale, dashboard] = await Promise.all([getLocale(request), eventsDashboard(filter)])
  const row = (event: (typeof dashboard.upcoming)[number] & { attendanceRate?: number | null }) => ({
    id: event.id,
    title: event.title,
    kind: event.kind,
    status: event.status,
    series: event.series?.title ?? null,
    when: formatDateTime(event.startsAt, locale, event.timeZone),
    capacity: event.capacity,
    ...event.registrations,
    attendanceRate: event.attendanceRate ?? null,
  })
  return { filter, upcoming: dashboard.upcoming.map(row), drafts: dashboard.drafts.map(row), past: dashboard.past.map(row) }
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['upcoming'][number]

const percent = (rate: number | null) => (rate === null ? null : `${Math.round(rate * 100)} %`)

function EventsTable({ rows, caption, empty, past = false }: { rows: Row[]; caption: string; empty: string; past?: boolean }) {
  const { t } = useTranslation()
  if (rows.length === 0) return <p>{empty}</p>
  return (
    <table>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('adminEvents.dashboard.event')}</th>
          <th scope="col">{t('adminEvents.dashboard.date')}</th>
          <th scope="col">{t('adminEvents.dashboard.kind')}</th>
          <th scope="col">{t('adminEvents.dashboard.status')}</th>
          <th scope="col">{t('adminEvents.dashboard.registrations')}</th>
          <th scope="col">{t('adminEvents.dashboard.fillRate')}</th>
          <th scope="col">{t('adminEvents.dashboard.waitlist')}</th>
          <th scope="col">{t('adminEvents.dashboard.pending')}</th>
          {past ? <th scope="col">{t('adminEvents.dashboard.attendance')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <th scope="row">
              <Link to={`/admin/events/${row.id}`}>{row.title}</Link>
              {row.series ? (
                <>
                  <br />
                  <small>{t('adminEvents.dashboard.series', { title: row.series })}</small>
                </>
              ) : null}
            </th>
            <td>{row.when}</td>
            <td>{t(`adminEvents.kind.${row.kind}`)}</td>
            <td>{t(`adminEvents.status.${row.status}`)}</td>
            <td>{`${row.confirmed} / ${row.capacity ?? t('adminEvents.dashboard.noCapacity')}`}</td>
            <td>{percent(row.fillRate) ?? t('adminEvents.dashboard.none')}</td>
            <td>{row.waitlisted}</td>
            <td>{row.pending}</td>
            {past ? <td>{percent(row.attendanceRate) ?? t('adminEvents.dashboard.none')}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export default function EventsDashboardPage() {
  const { filter, upcoming, drafts, past } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('adminEvents.title')}</h1>
      <p>
        <Link className="button" to="/admin/events/new">
          {t('adminEvents.create')}
        </Link>
      </p>
      <Form method="get" className="admin-filters" role="search" aria-label={t('adminEvents.dashboard.filters')}>
        <div>
          <label htmlFor="filter-status">{t('adminEvents.dashboard.statusFilter')}</label>
          <select id="filter-status" name="status" defaultValue={filter.status ?? ''}>
            <option value="">{t('adminEvents.dashboard.all')}</option>
            {eventStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`adminEvents.status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-kind">{t('adminEvents.dashboard.kindFilter')}</label>
          <select id="filter-kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">{t('adminEvents.dashboard.all')}</option>
            {eventKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`adminEvents.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('adminEvents.dashboard.apply')}</button>
      </Form>
      <h2>{t('adminEvents.dashboard.upcoming')}</h2>
      <EventsTable rows={upcoming} caption={t('adminEvents.dashboard.captionUpcoming')} empty={t('adminEvents.dashboard.noUpcoming')} />
      <h2>{t('adminEvents.dashboard.drafts')}</h2>
      <EventsTable rows={drafts} caption={t('adminEvents.dashboard.captionDrafts')} empty={t('adminEvents.dashboard.noDrafts')} />
      <h2>{t('adminEvents.dashboard.past')}</h2>
      <EventsTable rows={past} caption={t('adminEvents.dashboard.captionPast')} empty={t('adminEvents.dashboard.noPast')} past />
    </>
  )
}
