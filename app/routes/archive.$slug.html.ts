// The HTML of an archived newsletter, for the frame of /archive/:slug (and to open full page). Served sandboxed
// (sandboxed-html.server.ts): no scripts, no forms, no plugins, an opaque origin; only images, inline styles and
// fonts load. The renderer put `<base target="_blank">` in the archive version, so a click on any link opens it in
// a new tab (allow-popups, escaping the sandbox), never inside the frame; by the reader's own gesture a link may
// also take the whole window.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { findArchiveIssue } from '~/models/archive.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { sandboxedHtmlResponse } from '~/utils/sandboxed-html.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const issue = await findArchiveIssue(params.slug ?? '')
  if (!issue) {
    const t = await i18next.getFixedT(request)
    return new Response(`${t('errors.notFoundTitle')}. ${t('errors.notFoundBody')}`, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  return sandboxedHtmlResponse(issue.html, {
    allow: ['allow-popups', 'allow-popups-to-escape-sandbox', 'allow-top-navigation-by-user-activation'],
    appImages: true,
    cacheControl: 'public, max-age=300',
  })
}
