// The HTML part of a caught message, for the sandboxed frame of the outbox page (strict CSP, no scripts).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireStaff } from '~/utils/auth.server.ts'
import { caughtContentResponse, parseOutboxId, readCaughtEmail } from '~/utils/mail-catcher.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = parseOutboxId(params.id)
  const email = id ? await readCaughtEmail(id) : null
  if (!email?.html) throw new Response(null, { status: 404 })
  return caughtContentResponse(email.html, { kind: 'html-preview' })
}
