// Phone check-in page of an event: search by name as one types (GET ?q= without JavaScript), a big button per
// confirmed person to mark them present or undo, live counts, and a QR scanner. Posts answer with the outcome and the
// new counts; the board applies them at once (no reload of the whole list after a tap).
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckinBoard, type CheckinActionData, type CheckinOutcome } from '~/components/checkin-board.tsx'
import checkinStyles from '~/components/checkin-page.css?url'
import { RegistrationEventNav } from '~/components/registration-event-nav.tsx'
import registrationStyles from '~/components/registration-pages.css?url'
import { zoneLabel } from '~/i18n.ts'
import { checkIn, checkInByToken, checkinCounts, checkinListCap, checkinTokenFromUrl, listCheckinPeople, undoCheckIn, type CheckinResult } from '~/models/checkin.server.ts'
import { requireEventForRegistrations, staffDateTime, staffTime } from '~/models/registration-table.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: registrationStyles },
  { rel: 'stylesheet', href: checkinStyles },
]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Pointage · ${loaded?.event.title ?? ''} · Relais` }]

const tapIntents = ['checkin', 'undo', 'scan']

// A tap answers with everything the board needs; reloading 2,000 people after each one would only slow the door.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, formData, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === 'POST' && tapIntents.includes(String(formData?.get('intent'))) ? false : defaultShouldRevalidate

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const locale = await getLocale(request)
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 200)
  // The page carries the first names (alphabetical, capped) for the search as one types; a submitted search also
  // asks the database, so someone past the cap is found too.
  const [listed, found, counts] = await Promise.all([listCheckinPeople(event.id), q.trim() ? listCheckinPeople(event.id, q.trim(), 200) : [], checkinCounts(event.id)])
  const listedIds = new Set(listed.map((person) => person.id))
  const people = [...listed, ...found.filter((person) => !listedIds.has(person.id))]
  return {
    event: { id: event.id, title: event.title, when: `${staffDateTime(event.startsAt, locale, event.timeZone)} (${zoneLabel(event.startsAt, locale, event.timeZone)})` },
    q,
    capped: listed.length >= checkinListCap,
    counts,
    people: people.map((person) => ({
      id: person.id,
      name: `${person.firstName} ${person.lastName}`.trim(),
      organization: person.organization,
      checkedInTime: person.checkedInAt ? staffTime(person.checkedInAt, locale, event.timeZone) : null,
    })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const form = await request.formData()
  const [locale, t] = await Promise.all([getLocale(request), i18next.getFixedT(request)])
  const intent = form.get('intent')
  const registrationId = Number(form.get('registrationId'))
  const time = (date: Date | null) => (date ? staffTime(date, locale, event.timeZone) : null)
  const describe = (result: CheckinResult): { outcome: CheckinOutcome; checkedInTime?: string | null } => {
    if (result.outcome === 'not-found') return { outcome: { kind: 'unknown' } }
    const person = result.person
    const base = { registrationId: person.id, name: `${person.firstName} ${person.lastName}`.trim() }
    if (result.outcome === 'other-event') return { outcome: { kind: 'other-event', ...base, eventTitle: result.eventTitle } }
    if (result.outcome === 'event-cancelled') return { outcome: { kind: 'event-cancelled', ...base } }
    if (result.outcome === 'not-confirmed') return { outcome: { kind: 'not-confirmed', ...base, status: t(`adminRegistrations.statuses.${person.status}`) } }
    return { outcome: { kind: result.outcome, ...base, time: time(person.checkedInAt) ?? undefined }, checkedInTime: time(person.checkedInAt) }
  }
  let reply: { outcome: CheckinOutcome; checkedInTime?: string | null }
  if (intent === 'checkin' && Number.isSafeInteger(registrationId) && registrationId > 0) {
    reply = describe(await checkIn({ registrationId, eventId: event.id }, staff))
  } else if (intent === 'undo' && Number.isSafeInteger(registrationId) && registrationId > 0) {
    const { person } = await undoCheckIn({ registrationId, eventId: event.id }, staff)
    reply = person ? { outcome: { kind: 'undone', registrationId, name: `${person.firstName} ${person.lastName}`.trim() }, checkedInTime: null } : { outcome: { kind: 'unknown' } }
  } else if (intent === 'scan') {
    const token = checkinTokenFromUrl(String(form.get('code') ?? ''))
    reply = token ? describe(await checkInByToken(token, staff, { eventId: event.id })) : { outcome: { kind: 'unknown' } }
  } else {
    reply = { outcome: { kind: 'unknown' } }
  }
  const counts = await checkinCounts(event.id)
  const failed = reply.outcome.kind === 'unknown' || reply.outcome.kind === 'other-event' || reply.outcome.kind === 'not-confirmed' || reply.outcome.kind === 'event-cancelled'
  return data<CheckinActionData>({ ...reply, counts }, { status: failed ? 422 : 200 })
}

export default function CheckinPage() {
  const { event, q, capped, counts, people } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <div className="checkin-page">
      <RegistrationEventNav event={event} page="checkin" />
      <p className="hint">{t('adminRegistrations.checkin.liveHint')}</p>
      <CheckinBoard eventId={event.id} people={people} initialQuery={q} initialCounts={counts} lastResult={lastResult} capped={capped} />
    </div>
  )
}
