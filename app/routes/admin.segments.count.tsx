// GET /admin/segments/count?<filter fields>: how many contacts a filter matches, for the live count of the segment
// form (a fetcher calls it as criteria change). Staff only; answers JSON (400 with the error keys when invalid).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { readFilterFields } from '~/models/segment-filter.ts'
import { countSegmentMatches } from '~/models/segment.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export type SegmentCountAnswer = { ok: true; matching: number; reachable: number } | { ok: false; errors: string[] }

function answer(body: SegmentCountAnswer, status = 200): Response {
  // Counts change with every import or unsubscription: never serve one from a cache.
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } })
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const parsed = readFilterFields(new URL(request.url).searchParams)
  if (!parsed.success) return answer({ ok: false, errors: parsed.error.issues.map((issue) => issue.message) }, 400)
  return answer({ ok: true, ...(await countSegmentMatches(parsed.data)) })
}
