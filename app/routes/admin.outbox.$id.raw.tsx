// Downloads a caught message exactly as it would have gone out (.eml), to open in a mail client or check DKIM.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireStaff } from '~/utils/auth.server.ts'
import { caughtContentResponse, getCaughtEmail, parseOutboxId } from '~/utils/mail-catcher.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = parseOutboxId(params.id)
  const email = id ? await getCaughtEmail(id) : null
  if (!email) throw new Response(null, { status: 404 })
  return caughtContentResponse(email.raw, { kind: 'download', contentType: 'message/rfc822', filename: `relais-${email.id}.eml` })
}
