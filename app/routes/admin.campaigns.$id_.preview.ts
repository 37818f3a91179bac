// The preview of a campaign for the editor's frames (?format=html, the default) or as plain text (?format=text):
// rendered by previewCampaign, the same MJML path as sending. Served like the outbox's HTML (sandboxed-html.server.ts:
// a strict CSP with `sandbox`, no script, no form, opaque origin), never cached; images only from here or https.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { escapeHtml } from '#emails/template.ts'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { previewCampaign } from '~/models/campaign-render.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { sandboxedHtmlResponse } from '~/utils/sandboxed-html.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = campaignIdParam(params.id)
  const format = new URL(request.url).searchParams.get('format') === 'text' ? 'text' : 'html'
  const respond = (body: string) => sandboxedHtmlResponse(body, { appImages: true, contentType: format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8' })
  try {
    const preview = await previewCampaign(id)
    return respond(format === 'html' ? preview.html : preview.text)
  } catch (error) {
    logger.warn({ campaignId: id, err: error instanceof Error ? error.message : String(error) }, 'campaign preview failed')
    const message = 'Aperçu indisponible pour le moment : vérifiez le contenu de la campagne puis rechargez la page.'
    return respond(format === 'html' ? `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Aperçu</title><p style="font-family:sans-serif;padding:1rem">${escapeHtml(message)}</p></html>` : message)
  }
}
