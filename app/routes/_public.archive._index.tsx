// The public archive: sent newsletters whose lists allow it, newest first, a page at a time, filtered by list.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatSentDay, listArchiveIssues, listArchiveLists, parseArchiveCursor } from '~/models/archive.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Relais' },
  { tagName: 'link', rel: 'alternate', type: 'application/rss+xml', href: '/archive/rss.xml', title: data?.rssTitle ?? 'RSS' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const [locale, t, organization, lists] = await Promise.all([getLocale(request), i18next.getFixedT(request), getOrganization(), listArchiveLists()])
  const listParam = url.searchParams.get('list')
  // Only a list that is in the archive can be chosen; anything else shows every list.
  const list = lists.find((candidate) => String(candidate.id) === listParam) ?? null
  const page = await listArchiveIssues({ listId: list?.id, after: parseArchiveCursor(url.searchParams.get('after')) })
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...(list ? { list: String(list.id) } : {}), ...extra }).toString()}`
  return {
    title: `${t('archive.title')} · ${organization.name}`,
    rssTitle: t('archive.rssTitle'),
    lists,
    listId: list?.id ?? null,
    issues: page.items.map((issue) => ({
      slug: issue.slug,
      subject: issue.subject,
      sentAt: issue.sentAt.toISOString(),
      sentOn: formatSentDay(issue.sentAt, locale, organization.timeZone),
      listNames: issue.lists.map((entry) => entry.name).join(', '),
    })),
    olderHref: page.next ? query({ after: page.next }) : null,
    newestHref: url.searchParams.has('after') ? (list ? query({}) : '/archive') : null,
  }
}

export default function ArchiveIndex() {
  const { lists, listId, issues, olderHref, newestHref } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('archive.title')}</h1>
        <p>{t('archive.intro')}</p>
        <p>
          <a href="/archive/rss.xml" type="application/rss+xml">
            {t('archive.rss')}
          </a>
        </p>
      </section>
      {lists.length > 1 ? (
        <Form method="get" action="/archive" className="archive-filter">
          <fieldset>
            <legend>{t('archive.filter.legend')}</legend>
            <label htmlFor="archive-list">{t('archive.filter.list')}</label>
            <select id="archive-list" name="list" defaultValue={listId ?? ''}>
              <option value="">{t('archive.filter.all')}</option>
              {lists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </select>
            <button type="submit">{t('archive.filter.submit')}</button>
          </fieldset>
        </Form>
      ) : null}
      <section aria-labelledby="numeros">
        <h2 id="numeros">{t('archive.issuesLabel')}</h2>
        {issues.length === 0 ? (
          <p>{listId === null ? t('archive.empty') : t('archive.emptyForList')}</p>
        ) : (
          <ul className="cards">
            {issues.map((issue) => (
              <li key={issue.slug} className="card">
                <h3>
                  <Link to={`/archive/${issue.slug}`}>{issue.subject}</Link>
                </h3>
                <p className="card-when">
                  <time dateTime={issue.sentAt}>{t('archive.sentOn', { date: issue.sentOn })}</time>
                </p>
                <p className="card-kicker">{t('archive.lists', { names: issue.listNames })}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {olderHref || newestHref ? (
        <nav className="pagination" aria-label={t('archive.pagination')}>
          {newestHref ? <Link to={newestHref}>{t('archive.newest')}</Link> : null}
          {olderHref ? <Link to={olderHref}>{t('archive.older')}</Link> : null}
        </nav>
      ) : null}
      <p>
        {t('archive.subscribeIntro')}{' '}
        <Link className="button" to="/newsletters">
          {t('archive.subscribe')}
        </Link>
      </p>
    </main>
  )
}
