// /events/:slug/calendar.ics: one published (or cancelled) event as a calendar file; drafts and unknown slugs are
// not found. Never the join link: attendees get theirs from their own file or their emails.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { eventCalendarFile } from '~/models/event-calendar.server.ts'
import { calendarRefusal, publicCalendarResponse } from '~/utils/calendar-response.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.slug ? await eventCalendarFile(params.slug) : null
  if (!file) return calendarRefusal('Not Found')
  return publicCalendarResponse(request, file.body, file.filename)
}
