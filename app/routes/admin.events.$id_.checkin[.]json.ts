// GET /admin/events/:id/checkin.json: the live figures the check-in page polls (present / confirmed, and who is
// checked in with the time, so that several phones at the door follow each other). Staff only, never cached.
import { type LoaderFunctionArgs } from '@remix-run/node'
import type { CheckinLiveData } from '~/components/checkin-board.tsx'
import { checkinLive } from '~/models/checkin.server.ts'
import { parseEventId, staffTime } from '~/models/registration-table.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const eventId = parseEventId(params.id)
  const live = eventId === null ? null : await checkinLive(eventId)
  if (!live) return Response.json({ error: 'Événement introuvable' }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
  const locale = await getLocale(request)
  const body: CheckinLiveData = {
    present: live.present,
    confirmed: live.confirmed,
    checkedIn: Object.fromEntries(live.checkedIn.map((entry) => [String(entry.id), staffTime(entry.checkedInAt, locale, live.timeZone)])),
  }
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } })
}
