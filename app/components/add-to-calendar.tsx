// "Ajouter à mon agenda": a titled list of plain links (Google Calendar, Outlook.com, the .ics file), each named in
// words, so it works without JavaScript and reads well in a screen reader's list of links. The addresses come from
// the loader (app/models/event-calendar.server.ts); this piece only shows them.
import { useTranslation } from 'react-i18next'

export interface AddToCalendarLinks {
  google: string | null
  outlook: string | null
  ics: string
}

/**
 * `icsLabel`: i18n key naming the .ics link (the public file by default; the attendee's own on the management page,
 * a whole series'…). `hint`: i18n key of one sentence shown under the links.
 */
export function AddToCalendar({
  links,
  icsLabel = 'calendarLinks.ics',
  hint,
  id = 'ajouter-agenda',
}: {
  links: AddToCalendarLinks
  icsLabel?: string
  hint?: string
  id?: string
}) {
  const { t } = useTranslation()
  return (
    <section className="hero" aria-labelledby={id}>
      <h2 id={id}>{t('calendarLinks.title')}</h2>
      <ul className="calendar-links">
        {links.google ? (
          <li>
            <a href={links.google} rel="noopener noreferrer">
              {t('calendarLinks.google')}
            </a>
          </li>
        ) : null}
        {links.outlook ? (
          <li>
            <a href={links.outlook} rel="noopener noreferrer">
              {t('calendarLinks.outlook')}
            </a>
          </li>
        ) : null}
        <li>
          <a href={links.ics} type="text/calendar">
            {t(icsLabel)}
          </a>
        </li>
      </ul>
      {hint ? <p>{t(hint)}</p> : null}
    </section>
  )
}
