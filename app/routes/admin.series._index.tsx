// Staff list of series (cycles): each with its status, session count, next session and whole-series registrations.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '~/i18n.ts'
import { listSeries } from '~/models/series.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction = () => [{ title: 'Cycles · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [locale, series] = await Promise.all([getLocale(request), listSeries()])
  return {
    series: series.map((item) => ({
      id: item.id,
      title: item.title,
      slug: item.slug,
      status: item.status,
      sessionCount: item.sessionCount,
      registrationCount: item.registrationCount,
      next: item.nextSessionAt ? formatDateTime(item.nextSessionAt, locale, item.timeZone) : null,
    })),
  }
}

export default function SeriesListPage() {
  const { series } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('adminSeries.title')}</h1>
      <p>{t('adminSeries.intro')}</p>
      <p>
        <Link className="button" to="/admin/series/new">
          {t('adminSeries.create')}
        </Link>
      </p>
      {series.length === 0 ? (
        <p>{t('adminSeries.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('adminSeries.table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminSeries.table.title')}</th>
              <th scope="col">{t('adminSeries.table.status')}</th>
              <th scope="col">{t('adminSeries.table.sessions')}</th>
              <th scope="col">{t('adminSeries.table.next')}</th>
              <th scope="col">{t('adminSeries.table.registrations')}</th>
            </tr>
          </thead>
          <tbody>
            {series.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to={`/admin/series/${item.id}`}>{item.title}</Link> <code>{item.slug}</code>
                </td>
                <td>{t(`adminSeries.status.${item.status}`)}</td>
                <td>{item.sessionCount}</td>
                <td>{item.next ?? t('adminSeries.table.none')}</td>
                <td>{item.registrationCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
