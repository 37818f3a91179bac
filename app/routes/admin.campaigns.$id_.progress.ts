// A campaign's sending progress as JSON, polled every two seconds by the send page while it is under way.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { campaignProgress } from '~/models/campaign-progress.server.ts'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const progress = await campaignProgress(campaignIdParam(params.id))
  return Response.json(progress, { headers: { 'Cache-Control': 'private, no-store' } })
}
