// /series/:slug/calendar.ics: every published session of a series, one event each with its own UID (no repeat
// rule: sessions move one by one); drafts and unknown slugs are not found.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { seriesCalendarFile } from '~/models/event-calendar.server.ts'
import { calendarRefusal, publicCalendarResponse } from '~/utils/calendar-response.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.slug ? await seriesCalendarFile(params.slug) : null
  if (!file) return calendarRefusal('Not Found')
  return publicCalendarResponse(request, file.body, file.filename)
}
