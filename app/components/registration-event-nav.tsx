// Owns the heading block shared by an event's registrations, check-in and attendance pages: the event's title and
// date (zone named) and the links between the three pages and back to the event.
import { Link, NavLink } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export type RegistrationNavEvent = { id: number; title: string; when: string }

export function RegistrationEventNav({ event, page }: { event: RegistrationNavEvent; page: 'registrations' | 'checkin' | 'attendance' }) {
  const { t } = useTranslation()
  const base = `/admin/events/${event.id}`
  const links = [
    { to: `${base}/registrations`, key: 'registrations' },
    { to: `${base}/checkin`, key: 'checkin' },
    { to: `${base}/attendance`, key: 'attendance' },
  ] as const
  return (
    <header className="registration-event-header">
      <p>
        <Link to={base}>{t('adminRegistrations.nav.event')}</Link>
      </p>
      <h1>
        {t(`adminRegistrations.${page === 'registrations' ? 'title' : page === 'checkin' ? 'checkin.title' : 'attendancePage.title'}`)}
        <span className="registration-event-title"> — {event.title}</span>
      </h1>
      <p className="hint">{t('adminRegistrations.eventWhen', { when: event.when })}</p>
      <nav aria-label={t('adminRegistrations.nav.label')}>
        <ul className="row-actions registration-tabs">
          {links.map((link) => (
            <li key={link.key}>
              <NavLink to={link.to} end>
                {t(`adminRegistrations.nav.${link.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  )
}
