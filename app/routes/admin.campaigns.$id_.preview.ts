// The preview of a campaign for the editor's frames (?format=html, the default) or as plain text (?format=text):
// rendered by previewCampaign, the same MJML path as sending. The HTML is served like the outbox's: a strict CSP
// with `sandbox` (no script, no form, opaque origin), never cached; images only from here or https.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { previewCampaign } from '~/models/campaign-render.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { logger } from '~/utils/logger.server.ts'

function previewPolicy(): string {
  const appOrigin = new URL(getEnv().APP_URL).origin
  return [
    "default-src 'none'",
    `img-src 'self' ${appOrigin} data: https:`,
    "style-src 'unsafe-inline'",
    'font-src data: https:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox',
  ].join('; ')
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = campaignIdParam(params.id)
  const format = new URL(request.url).searchParams.get('format') === 'text' ? 'text' : 'html'
  const headers = new Headers({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': previewPolicy(),
    'Content-Type': format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
  })
  try {
    const preview = await previewCampaign(id)
    return new Response(format === 'html' ? preview.html : preview.text, { headers })
  } catch (error) {
    logger.warn({ campaignId: id, err: error instanceof Error ? error.message : String(error) }, 'campaign preview failed')
    const message = 'Aperçu indisponible pour le moment : vérifiez le contenu de la campagne puis rechargez la page.'
    return new Response(format === 'html' ? `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Aperçu</title><p style="font-family:sans-serif;padding:1rem">${escapeHtml(message)}</p></html>` : message, { headers })
  }
}
