// The HTML of an archived newsletter, for the frame of /archive/:slug (and to open full page). Served with a CSP
// sandbox: no scripts, no forms, no plugins, an opaque origin; only images, inline styles and fonts load, and a
// click on a link may open it in a new tab or, by the reader's own gesture, in the whole window.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { findArchiveIssue } from '~/models/archive.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { i18next } from '~/utils/i18n.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const issue = await findArchiveIssue(params.slug ?? '')
  if (!issue) {
    const t = await i18next.getFixedT(request)
    return new Response(`${t('errors.notFoundTitle')}. ${t('errors.notFoundBody')}`, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const self = new URL(getEnv().APP_URL).origin
  const policy = [
    'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
    "default-src 'none'",
    `img-src ${self} https: data:`,
    "style-src 'unsafe-inline'",
    'font-src https: data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ')
  return new Response(issue.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'public, max-age=300',
    },
  })
}
