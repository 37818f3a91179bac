// A tracked link of a newsletter (`/l/<signed reference>`, `?r=<measurement token>` for consenting contacts only):
// counts the click and sends the reader on to the address stored for that link. The reference is the CampaignLink
// id signed by the server (links.server.ts): an unsigned or forged one is a 404 that counts nothing, so the links of
// every campaign cannot be walked through. Never an open redirect: the destination is only ever a CampaignLink
// row's address, never anything taken from the request.
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { recordClick } from '~/models/measurement.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { readTrackedLinkRef } from '~/utils/links.server.ts'

const headers = { 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const linkId = readTrackedLinkRef(params.linkId ?? '')
  const token = new URL(request.url).searchParams.get('r')
  const url = linkId === null ? null : await recordClick(linkId, token)
  if (url) return redirect(url, { status: 302, headers })
  const t = await i18next.getFixedT(request)
  return new Response(t('archive.link.notFound'), { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } })
}
