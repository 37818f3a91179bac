// Public pieces that describe an event in a few words: its date (in its zone, named), its format, whether one can
// still register (seats left, waitlist, full, closed…), and the card that puts them together on /events and /series.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { AvailabilityView, EventCardView, EventWhenView } from '~/models/event-page.server.ts'

export function EventWhen({ when }: { when: EventWhenView }) {
  const { t } = useTranslation()
  return <time dateTime={when.startIso}>{t(when.sameDay ? 'events.when.until' : 'events.when.untilDay', { start: when.start, end: when.end })}</time>
}

/** The sentence saying whether and how one may register ("Il reste 12 places", "Inscriptions closes"…). */
export function availabilityText(t: (key: string, options?: Record<string, unknown>) => string, availability: AvailabilityView): string {
  switch (availability.state) {
    case 'open':
      return availability.seatsLeft === null ? t('events.availability.openUnlimited') : t('events.availability.open', { count: availability.seatsLeft })
    case 'not-open':
      return t('events.availability.notOpen', { date: availability.opensAt })
    case 'waitlist':
      return t('events.availability.waitlist')
    case 'full':
      return t('events.availability.full')
    case 'cancelled':
      return t('events.availability.cancelled')
    case 'closed':
      return t('events.availability.closed')
  }
}

export function EventAvailability({ availability }: { availability: AvailabilityView }) {
  const { t } = useTranslation()
  return <p className="event-availability">{availabilityText(t, availability)}</p>
}

export function EventCard({ event, headingLevel = 3, linkLabel }: { event: EventCardView; headingLevel?: 2 | 3; linkLabel?: string }) {
  const { t } = useTranslation()
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <li className="card">
      <p className="card-kicker">
        {t(`events.kinds.${event.kind}`)}
        {event.series ? ` · ${event.series.title}` : null}
      </p>
      <Heading>
        <Link to={`/events/${event.slug}`}>{event.title}</Link>
      </Heading>
      <p className="card-when">
        <EventWhen when={event.when} />
      </p>
      {event.summary ? <p>{event.summary}</p> : null}
      {event.availability ? (
        <p>
          <strong>{availabilityText(t, event.availability)}</strong>
        </p>
      ) : null}
      {event.replayUrl ? (
        <p>
          <a href={event.replayUrl}>{t('events.list.replay', { title: event.title })}</a>
        </p>
      ) : null}
      {linkLabel ? (
        <p>
          <Link to={`/events/${event.slug}`} aria-label={`${linkLabel} : ${event.title}`}>
            {linkLabel}
          </Link>
        </p>
      ) : null}
    </li>
  )
}
