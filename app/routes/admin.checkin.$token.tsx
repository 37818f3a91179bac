// /admin/checkin/:token — where a registration's QR code leads (the phone's own camera app opens it): staff only
// (the sign-in page comes back here), shows the person and the event, and a big button to confirm presence. Opening
// the page never changes anything; confirming twice says the person was already checked in, and since when.
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import checkinStyles from '~/components/checkin-page.css?url'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { formatDateTime } from '~/i18n.ts'
import { checkInByToken, findCheckinByToken } from '~/models/checkin.server.ts'
import { staffTime } from '~/models/registration-table.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: checkinStyles }]

export const meta: MetaFunction = () => [{ title: 'Pointage · Relais' }, { name: 'referrer', content: 'no-referrer' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const registration = await findCheckinByToken(params.token ?? '')
  if (!registration) return data({ found: false as const }, { status: 404 })
  const locale = await getLocale(request)
  const { event } = registration
  return {
    found: true as const,
    person: { name: `${registration.firstName} ${registration.lastName}`.trim(), organization: registration.organization, status: registration.status },
    event: { id: event.id, title: event.title, when: formatDateTime(event.startsAt, locale, event.timeZone), cancelled: event.status === 'CANCELLED' },
    checkedInTime: registration.checkedInAt ? staffTime(registration.checkedInAt, locale, event.timeZone) : null,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const result = await checkInByToken(params.token ?? '', staff)
  if (result.outcome === 'not-found') return data({ outcome: 'not-found' as const, time: null }, { status: 404 })
  const locale = await getLocale(request)
  const event = await findCheckinByToken(params.token ?? '')
  const time = result.person.checkedInAt && event ? staffTime(result.person.checkedInAt, locale, event.event.timeZone) : null
  return data({ outcome: result.outcome, time }, { status: result.outcome === 'not-confirmed' || result.outcome === 'event-cancelled' ? 409 : 200 })
}

export default function CheckinTokenPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  if (!loaded.found || actionData?.outcome === 'not-found') {
    return (
      <div className="checkin-token">
        <h1>{t('adminRegistrations.checkinToken.invalidTitle')}</h1>
        <p className="error-summary" role="alert">
          {t('adminRegistrations.checkinToken.invalid')}
        </p>
        <p>
          <Link to="/admin/events">{t('admin.events')}</Link>
        </p>
      </div>
    )
  }
  const { person, event } = loaded
  const outcome = actionData?.outcome
  const time = actionData?.time ?? loaded.checkedInTime
  const status = t(`adminRegistrations.statuses.${person.status}`)
  let message: { text: string; ok: boolean } | null = null
  if (outcome === 'checked-in') message = { text: t('adminRegistrations.checkinToken.checkedIn', { name: person.name }), ok: true }
  else if (outcome === 'already' || (!outcome && loaded.checkedInTime)) message = { text: t('adminRegistrations.checkinToken.already', { name: person.name, time }), ok: true }
  else if (outcome === 'not-confirmed' || person.status !== 'CONFIRMED') message = { text: t('adminRegistrations.checkinToken.notConfirmed', { status }), ok: false }
  const canConfirm = person.status === 'CONFIRMED' && !time && !event.cancelled
  return (
    <div className="checkin-token">
      <h1>{t('adminRegistrations.checkinToken.title')}</h1>
      {message ? (
        <p className={message.ok ? 'notice' : 'error-summary'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      {event.cancelled ? (
        <p className="error-summary" role="alert">
          {t('adminRegistrations.checkinToken.eventCancelled')}
        </p>
      ) : null}
      <dl>
        <dt>{t('adminRegistrations.checkinToken.person')}</dt>
        <dd>
          {person.name}
          {person.organization ? <span className="hint"> — {person.organization}</span> : null}
        </dd>
        <dt>{t('adminRegistrations.checkinToken.event')}</dt>
        <dd>
          {event.title}
          <br />
          <span className="hint">{event.when}</span>
        </dd>
        <dt>{t('adminRegistrations.checkinToken.status')}</dt>
        <dd>{status}</dd>
      </dl>
      {canConfirm ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit" className="checkin-big">
            {t('adminRegistrations.checkinToken.confirm')}
          </button>
        </Form>
      ) : null}
      <p>
        <Link to={`/admin/events/${event.id}/checkin`}>{t('adminRegistrations.checkinToken.toCheckin')}</Link>
      </p>
    </div>
  )
}
