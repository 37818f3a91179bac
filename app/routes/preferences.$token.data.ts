// "Télécharger mes données": the JSON file of everything Relais holds about the holder of a preference link.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { linkErrorStatus } from '~/components/preferences-link-error.tsx'
import { exportContactData } from '~/models/privacy.server.ts'
import { contactForPreferencesToken } from '~/models/self-service.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await contactForPreferencesToken(params.token ?? '')
  if (!link.ok) {
    const t = await i18next.getFixedT(request)
    return new Response(t(link.reason === 'expired' ? 'preferences.link.expiredBody' : 'preferences.link.invalidBody'), {
      status: linkErrorStatus(link.reason),
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  const exported = await exportContactData(link.contact.id)
  logger.info({ contactId: link.contact.id }, 'personal data downloaded')
  const day = new Date().toISOString().slice(0, 10)
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="mes-donnees-${day}.json"`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  })
}
