// An event's public details: title, format, date in its zone (named), venue and access, speakers, themes, series,
// cover and the description (sanitised when staff saved it, so rendered as HTML). Never the join link.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { AvailabilityView, EventWhenView } from '~/models/event-page.server.ts'
import { EventWhen } from './event-public-card.tsx'

export interface EventDetailsView {
  title: string
  summary: string
  descriptionHtml: string
  kind: 'ONLINE' | 'IN_PERSON' | 'HYBRID'
  when: EventWhenView
  venueName: string | null
  venueAddress: string | null
  accessNotes: string | null
  speakers: { name: string; role?: string }[]
  tags: string[]
  coverImageUrl: string | null
  replayUrl: string | null
  /** Documents and links staff offer with the event (https only). */
  resources?: { label: string; url: string }[]
  series: { slug: string; title: string } | null
}

export function EventDetails({ event, availability }: { event: EventDetailsView; availability: AvailabilityView }) {
  const { t } = useTranslation()
  const venue = [event.venueName, event.venueAddress].filter(Boolean).join(', ')
  return (
    <>
      <section className="hero" aria-labelledby="evenement-titre">
        <p className="card-kicker">
          {t(`events.kinds.${event.kind}`)}
          {event.series ? ` · ${event.series.title}` : null}
        </p>
        <h1 id="evenement-titre">{event.title}</h1>
        {availability.state === 'cancelled' ? (
          <p className="error-summary">
            <strong>{t('events.availability.cancelled')}</strong>
          </p>
        ) : null}
        {event.summary ? <p>{event.summary}</p> : null}
        {event.coverImageUrl ? <img src={event.coverImageUrl} alt="" style={{ maxWidth: '100%', height: 'auto', borderRadius: '.375rem' }} /> : null}
        <dl className="event-facts">
          <dt>{t('events.page.when')}</dt>
          <dd>
            <EventWhen when={event.when} />
          </dd>
          <dt>{t('events.page.kind')}</dt>
          <dd>
            {t(`events.kinds.${event.kind}`)}
            {event.kind !== 'IN_PERSON' ? ` — ${t('events.page.onlineNote')}` : null}
          </dd>
          {venue ? (
            <>
              <dt>{t('events.page.venue')}</dt>
              <dd>{venue}</dd>
            </>
          ) : null}
          {event.accessNotes ? (
            <>
              <dt>{t('events.page.accessNotes')}</dt>
              <dd>{event.accessNotes}</dd>
            </>
          ) : null}
          {event.speakers.length > 0 ? (
            <>
              <dt>{t('events.page.speakers')}</dt>
              <dd>
                <ul>
                  {event.speakers.map((speaker) => (
                    <li key={`${speaker.name}-${speaker.role ?? ''}`}>
                      {speaker.name}
                      {speaker.role ? `, ${speaker.role}` : null}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {event.tags.length > 0 ? (
            <>
              <dt>{t('events.page.themes')}</dt>
              <dd>
                {event.tags.map((tag, index) => (
                  <span key={tag}>
                    {index > 0 ? ', ' : null}
                    <a href={`/events?${new URLSearchParams({ theme: tag }).toString()}`}>{tag}</a>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          {event.series ? (
            <>
              <dt>{t('events.page.series')}</dt>
              <dd>
                <Link to={`/series/${event.series.slug}`}>{t('events.page.seriesLink', { title: event.series.title })}</Link>
              </dd>
            </>
          ) : null}
        </dl>
        {event.replayUrl ? (
          <p>
            <a href={event.replayUrl}>{t('events.page.replay')}</a>
          </p>
        ) : null}
        {event.resources?.length ? (
          <>
            <h2 id="ressources">{t('events.page.resources')}</h2>
            <ul>
              {event.resources.map((resource, index) => (
                <li key={index}>
                  <a href={resource.url}>{resource.label}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to="/events">{t('events.page.backToList')}</Link>
        </p>
      </section>
      {event.descriptionHtml ? (
        <section aria-labelledby="presentation" className="hero">
          <h2 id="presentation">{t('events.page.about')}</h2>
          {/* Sanitised by the staff side when saved (sanitize-html); never raw input. */}
          <div className="event-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        </section>
      ) : null}
    </>
  )
}
