// /calendar.ics: the feed of published events (and of cancelled ones, so subscribed calendars drop them), for
// calendar apps to subscribe to. Never a join link, never an attendee.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { publicCalendarFile } from '~/models/event-calendar.server.ts'
import { publicCalendarResponse } from '~/utils/calendar-response.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const file = await publicCalendarFile()
  return publicCalendarResponse(request, file.body)
}
