// The archive's RSS 2.0 feed (/archive/rss.xml): the latest 20 public issues, absolute links from APP_URL, a short
// excerpt of each issue's text version. Built with the `feed` package, which escapes every value it writes.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { Feed } from 'feed'
import { latestArchiveIssues } from '~/models/archive.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

const excerptLength = 400

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength - 1).trimEnd()}…` : flat
}

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, t, organization, issues] = await Promise.all([getLocale(request), i18next.getFixedT(request), getOrganization(), latestArchiveIssues(20)])
  const base = getEnv().APP_URL
  const feed = new Feed({
    title: t('archive.feed.title', { organization: organization.name }),
    description: t('archive.feed.description', { organization: organization.name }),
    id: `${base}/archive`,
    link: `${base}/archive`,
    feed: `${base}/archive/rss.xml`,
    feedLinks: { rss: `${base}/archive/rss.xml` },
    language: locale,
    updated: issues[0]?.sentAt ?? new Date(0),
    generator: 'Relais',
    copyright: organization.name,
    ttl: 5,
  })
  for (const issue of issues) {
    const link = `${base}/archive/${encodeURIComponent(issue.slug)}`
    feed.addItem({
      title: issue.subject,
      id: link,
      guid: link,
      link,
      date: issue.sentAt,
      description: excerpt(issue.text),
      category: issue.lists.map((list) => ({ name: list.name })),
    })
  }
  return new Response(feed.rss2(), {
    headers: {
      'Content-Type': 'application/rss+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      // The feed's language and titles follow the reader's cookie or Accept-Language: a shared cache keeps one copy
      // per language instead of serving the first reader's to everyone.
      Vary: 'Cookie, Accept-Language',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
