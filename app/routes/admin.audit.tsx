// Audit log (admins only): every staff write, newest first, page by page; filterable by record (?entityType=&entityId=).
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listAuditEntries } from '~/models/audit.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireAdmin } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

const PAGE_SIZE = 50

export const meta: MetaFunction = () => [{ title: 'Journal · Relais' }]

function cursor(value: string | null): bigint | undefined {
  return value && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined
}

/** "role : EDITOR · email : …" reads (and wraps) better than raw JSON. */
function describe(data: unknown): string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data === null || data === undefined ? '' : JSON.stringify(data)
  return Object.entries(data)
    .map(([key, value]) => `${key} : ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ')
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const params = new URL(request.url).searchParams
  const filter = { entityType: params.get('entityType') ?? undefined, entityId: params.get('entityId') ?? undefined }
  const [page, locale, organization] = await Promise.all([
    listAuditEntries({ before: cursor(params.get('avant')), pageSize: PAGE_SIZE, filter }),
    getLocale(request),
    getOrganization(),
  ])
  // Formatted here, in the organisation's time zone, so that server and browser render the same text.
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: organization.timeZone })
  const newestParams = new URLSearchParams(params)
  newestParams.delete('avant')
  const olderParams = new URLSearchParams(newestParams)
  if (page.olderThan) olderParams.set('avant', page.olderThan)
  return {
    entries: page.entries.map((entry) => ({
      ...entry,
      createdAt: format.format(entry.createdAt),
      details: describe(entry.data),
    })),
    olderHref: page.olderThan ? `?${olderParams}` : null,
    newestHref: params.has('avant') ? `?${newestParams}` : null,
    filtered: Boolean(filter.entityType || filter.entityId),
  }
}

export default function AuditPage() {
  const { entries, olderHref, newestHref, filtered } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('admin.audit')}</h1>
      <p>{t('audit.intro')}</p>
      {filtered ? (
        <p>
          <Link to="/admin/audit">{t('audit.clearFilter')}</Link>
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.entity')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.createdAt}</td>
                <td>{entry.actorName ? `${entry.actorName} (${entry.actorLabel})` : entry.actorLabel}</td>
                <td>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</td>
                <td>
                  {entry.entityId ? (
                    <Link to={`?${new URLSearchParams({ entityType: entry.entityType, entityId: entry.entityId })}`}>
                      {entry.entityType} {entry.entityId}
                    </Link>
                  ) : (
                    entry.entityType
                  )}
                </td>
                <td>{entry.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label={t('audit.pagination')} className="pagination">
        {newestHref ? <Link to={newestHref}>{t('audit.newest')}</Link> : null}{' '}
        {olderHref ? <Link to={olderHref}>{t('audit.older')}</Link> : null}
      </nav>
    </>
  )
}
