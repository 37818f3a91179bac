// Downloads one attachment of a caught message (never rendered by the browser, whatever its type).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireStaff } from '~/utils/auth.server.ts'
import { caughtContentResponse, parseOutboxId, readCaughtEmail } from '~/utils/mail-catcher.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = parseOutboxId(params.id)
  const email = id ? await readCaughtEmail(id) : null
  const attachment = email?.attachments.find((candidate) => String(candidate.index) === params.index)
  if (!attachment) throw new Response(null, { status: 404 })
  return caughtContentResponse(attachment.content, { kind: 'download', contentType: attachment.contentType, filename: attachment.filename })
}
