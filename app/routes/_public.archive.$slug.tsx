// The web version of one archived newsletter. Its HTML (a whole MJML document with its own styles) is shown in a
// sandboxed frame served by /archive/:slug/html rather than inlined: the page's styles and the newsletter's never
// mix, and even if something slipped through the renderer's escaping, the frame has no scripts, no forms and an
// opaque origin (its own CSP says so too). Its links open in a new tab, not inside the frame: the archive version
// carries `<base target="_blank">` (emails/campaign/render.ts), and the frame allows popups that escape the sandbox.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { findArchiveIssue, formatSentDay } from '~/models/archive.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.subject ?? 'Relais' },
  { tagName: 'link', rel: 'alternate', type: 'application/rss+xml', href: '/archive/rss.xml', title: data?.rssTitle ?? 'RSS' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const issue = await findArchiveIssue(params.slug ?? '')
  if (!issue) throw new Response('Not Found', { status: 404 })
  const [locale, t, organization] = await Promise.all([getLocale(request), i18next.getFixedT(request), getOrganization()])
  return {
    slug: issue.slug,
    subject: issue.subject,
    sentAt: issue.sentAt.toISOString(),
    sentOn: formatSentDay(issue.sentAt, locale, organization.timeZone),
    listNames: issue.lists.map((list) => list.name).join(', '),
    text: issue.text,
    rssTitle: t('archive.rssTitle'),
  }
}

export default function ArchiveIssuePage() {
  const issue = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const htmlHref = `/archive/${encodeURIComponent(issue.slug)}/html`
  return (
    <main id="contenu" className="page">
      <p>
        <Link to="/archive">{t('archive.back')}</Link>
      </p>
      <article aria-labelledby="numero">
        <header>
          <h1 id="numero">{issue.subject}</h1>
          <p className="card-when">
            <time dateTime={issue.sentAt}>{t('archive.sentOn', { date: issue.sentOn })}</time>
          </p>
          <p className="card-kicker">{t('archive.lists', { names: issue.listNames })}</p>
          <p>
            {t('archive.subscribeIntro')}{' '}
            <Link className="button" to="/newsletters">
              {t('archive.subscribe')}
            </Link>
          </p>
        </header>
        <iframe
          sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
          src={htmlHref}
          title={t('archive.issue.frameTitle', { subject: issue.subject })}
          style={{ width: '100%', height: '80vh', minHeight: '30rem', border: '1px solid #d5dbe1', background: '#fff' }}
        />
        <p>
          <a href={htmlHref}>{t('archive.issue.fullPage')}</a>
        </p>
        <details>
          <summary>{t('archive.issue.textVersion')}</summary>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{issue.text}</pre>
        </details>
      </article>
    </main>
  )
}
