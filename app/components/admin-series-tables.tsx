// Owns the two tables of a series' staff page: its sessions (date in the zone, status, seats, attendance) and the
// whole-series registrations, each with its cancel button.
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

export type SessionRow = {
  id: number
  title: string
  when: string
  status: 'DRAFT' | 'PUBLISHED' | 'CANCELLED'
  confirmed: number
  capacity: number | null
  /** present / counted once the session is over; null otherwise or while unknown. */
  attendanceRate: number | null
}

export type SeriesRegistrationRow = {
  id: number
  name: string
  email: string
  organization: string | null
  status: 'PENDING_APPROVAL' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'REFUSED'
  createdAt: string
}

export function AdminSeriesSessions({ sessions, timeZone }: { sessions: SessionRow[]; timeZone: string }) {
  const { t } = useTranslation()
  if (sessions.length === 0) return <p>{t('adminSeries.sessions.empty')}</p>
  return (
    <table className="series-sessions">
      <caption>{t('adminSeries.sessions.caption', { zone: timeZone })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('adminSeries.sessions.date')}</th>
          <th scope="col">{t('adminSeries.sessions.titleColumn')}</th>
          <th scope="col">{t('adminSeries.sessions.status')}</th>
          <th scope="col">{t('adminSeries.sessions.seats')}</th>
          <th scope="col">{t('adminSeries.sessions.attendance')}</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session) => (
          <tr key={session.id} data-session-id={session.id}>
            <td>{session.when}</td>
            <td>
              <Link to={`/admin/events/${session.id}`}>{session.title}</Link>
            </td>
            <td>{t(`adminSeries.sessionStatus.${session.status}`)}</td>
            <td>{`${session.confirmed} / ${session.capacity ?? t('adminSeries.sessions.unlimited')}`}</td>
            <td>{session.attendanceRate === null ? t('adminSeries.sessions.attendanceUnknown') : `${Math.round(session.attendanceRate * 100)} %`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function AdminSeriesRegistrations({ registrations }: { registrations: SeriesRegistrationRow[] }) {
  const { t } = useTranslation()
  if (registrations.length === 0) return <p>{t('adminSeries.registrations.empty')}</p>
  return (
    <table className="series-registrations">
      <caption className="sr-only">{t('adminSeries.registrations.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('adminSeries.registrations.name')}</th>
          <th scope="col">{t('adminSeries.registrations.email')}</th>
          <th scope="col">{t('adminSeries.registrations.status')}</th>
          <th scope="col">{t('adminSeries.registrations.date')}</th>
          <th scope="col">{t('adminSeries.registrations.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {registrations.map((registration) => (
          <tr key={registration.id} data-series-registration-id={registration.id}>
            <td>{registration.organization ? `${registration.name} (${registration.organization})` : registration.name}</td>
            <td>{registration.email}</td>
            <td>{t(`adminSeries.registrations.statuses.${registration.status}`)}</td>
            <td>{registration.createdAt}</td>
            <td>
              {registration.status === 'CANCELLED' || registration.status === 'REFUSED' ? null : (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="cancel-registration" />
                  <input type="hidden" name="registrationId" value={registration.id} />
                  <button type="submit" aria-label={t('adminSeries.registrations.cancel', { name: registration.name })}>
                    {t('adminSeries.registrations.cancelShort')}
                  </button>
                </Form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
