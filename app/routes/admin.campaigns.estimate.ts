// How many contacts a campaign's audience would reach, for the settings form's live estimate (?list=1&list=2&segment=3).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { estimateRecipients } from '~/models/campaign.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

const id = z.coerce.number().int().positive().max(2_147_483_647)

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const query = new URL(request.url).searchParams
  const lists = z.array(id).max(50).safeParse(query.getAll('list'))
  const segment = id.optional().safeParse(query.get('segment') || undefined)
  if (!lists.success || !segment.success) return Response.json({ count: 0 }, { status: 400 })
  return Response.json({ count: await estimateRecipients(lists.data, segment.data ?? null) }, { headers: { 'Cache-Control': 'private, no-store' } })
}
