// The List-Unsubscribe address (RFC 8058). A mail client's one-click POST (body `List-Unsubscribe=One-Click`, no
// cookie, no CSRF token, from anywhere) unsubscribes at once and answers 200 without redirect. A GET, which mail
// scanners make on their own, changes nothing: it leads to the confirmation page. This is a resource route so that
// Remix's origin check on document POSTs never turns a mail client's POST into an error.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { linkErrorStatus } from '~/components/preferences-link-error.tsx'
import { resolveUnsubscribeToken } from '~/models/self-service.server.ts'
import { unsubscribe } from '~/models/subscription.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? '')}`, { headers: { 'Referrer-Policy': 'no-referrer' } })
}

function text(body: string, status: number): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

async function oneClickBody(request: Request): Promise<boolean> {
  try {
    return (await request.formData()).get('List-Unsubscribe') === 'One-Click'
  } catch {
    return false
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const t = await i18next.getFixedT(request)
  if (request.method !== 'POST') return text(t('unsubscribe.oneClick.badRequest'), 405)
  const link = await resolveUnsubscribeToken(params.token ?? '')
  if (!link.ok) return text(t(link.reason === 'expired' ? 'preferences.link.expiredBody' : 'preferences.link.invalidBody'), linkErrorStatus(link.reason))
  if (!(await oneClickBody(request))) return text(t('unsubscribe.oneClick.badRequest'), 400)
  await unsubscribe({
    contactId: link.contact.id,
    listIds: link.listIds,
    source: 'ONE_CLICK',
    channel: 'one-click',
    sourceRef: link.campaignId === null ? undefined : `campaign:${link.campaignId}`,
  })
  logger.info({ contactId: link.contact.id, campaignId: link.campaignId }, 'one-click unsubscribe')
  return text(t('unsubscribe.oneClick.done'), 200)
}
