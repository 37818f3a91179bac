// /registrations/:token/calendar.ics: the attendee's own calendar file, from their management page (the signed link
// is the credential): their invite's UID and SEQUENCE and their personal join link. Confirmed registrations only;
// anything else gets a French sentence, and nothing is ever cached.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { registrationCalendarFile } from '~/models/event-calendar.server.ts'
import { calendarRefusal, privateCalendarResponse } from '~/utils/calendar-response.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const registrationId = params.token ? readRegistrationToken(params.token, 'registration') : null
  const file = registrationId === null ? null : await registrationCalendarFile(registrationId)
  if (!file) return calendarRefusal((await i18next.getFixedT(request))('calendarLinks.notFound'))
  return privateCalendarResponse(file.body, file.filename)
}
