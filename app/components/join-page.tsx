// Owns what the personal join link (/j/:token) shows when it does not send the person on: link not found, waiting
// for the window, no join address yet, the button for a prefetched link, ended (with the replay), cancelled, not
// confirmed, or an in-person event (the venue). Plain values only: the join address never reaches this component.
import { Link } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { EventWhen } from '~/components/event-public-card.tsx'

export type JoinView = {
  page: 'waiting' | 'no-link' | 'ready' | 'ended' | 'event-cancelled' | 'not-confirmed' | 'in-person'
  title: string
  slug: string
  when: { startIso: string; start: string; end: string; sameDay: boolean }
  /** When the link opens, in the event's zone with the zone named (waiting page only). */
  opensAt: string | null
  /** In how many seconds the waiting page reloads itself (the link opens within the hour), else null. */
  refreshSeconds: number | null
  status: 'CANCELLED' | 'WAITLISTED' | 'PENDING_APPROVAL' | 'REFUSED' | null
  venue: string | null
  accessNotes: string | null
  replayUrl: string | null
}

function headingKey(view: JoinView): string {
  switch (view.page) {
    case 'waiting':
      return 'attendee.join.waitingTitle'
    case 'no-link':
      return 'attendee.join.noLinkTitle'
    case 'ready':
      return 'attendee.join.readyTitle'
    case 'ended':
      return 'attendee.join.endedTitle'
    case 'event-cancelled':
      return 'attendee.join.cancelledTitle'
    case 'not-confirmed':
      return 'attendee.join.notConfirmedTitle'
    case 'in-person':
      return 'attendee.join.inPersonTitle'
  }
}

function JoinNotFound() {
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('attendee.join.notFoundTitle')}</h1>
        <p>{t('attendee.join.notFoundBody')}</p>
        <p>
          <Link to="/events">{t('attendee.join.toEvents')}</Link>
        </p>
      </section>
    </main>
  )
}

/**
 * The waiting page reloads itself once, when the link opens, and says so. With JavaScript a timer does it and a
 * button stops it (WCAG 2.2.1: a time limit one can turn off); without, a refresh <meta> inside <noscript>, which a
 * browser running scripts ignores.
 */
function AutoReload({ seconds }: { seconds: number }) {
  const { t } = useTranslation()
  const [scripted, setScripted] = useState(false)
  const [stopped, setStopped] = useState(false)
  useEffect(() => setScripted(true), [])
  useEffect(() => {
    if (stopped) return
    const timer = window.setTimeout(() => window.location.reload(), seconds * 1000)
    return () => window.clearTimeout(timer)
  }, [seconds, stopped])
  if (stopped) return <p role="status">{t('attendee.join.reloadStopped')}</p>
  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content={String(seconds)} />
      </noscript>
      <p>{t('attendee.join.autoRefresh')}</p>
      {scripted ? (
        <p>
          <button type="button" className="secondary" onClick={() => setStopped(true)}>
            {t('attendee.join.stopReload')}
          </button>
        </p>
      ) : null}
    </>
  )
}

/** The sentences under the heading, by page. */
function JoinBody({ view, action }: { view: JoinView; action: string }) {
  const { t } = useTranslation()
  const title = { title: view.title }
  switch (view.page) {
    case 'waiting':
      return (
        <>
          <p>{t('attendee.join.waitingBody', title)}</p>
          <p>
            <strong>{t('attendee.join.opensAt', { opensAt: view.opensAt })}</strong>
          </p>
          {view.refreshSeconds !== null ? <AutoReload seconds={view.refreshSeconds} /> : <p>{t('attendee.join.comeBack')}</p>}
        </>
      )
    case 'no-link':
      return (
        <>
          <p>{t('attendee.join.noLinkBody', title)}</p>
          <p>
            <a href={action}>{t('attendee.join.retry')}</a>
          </p>
        </>
      )
    case 'ready':
      return (
        <form method="post" action={action}>
          <p>{t('attendee.join.readyBody', title)}</p>
          <p>
            <button type="submit">{t('attendee.join.readyButton')}</button>
          </p>
        </form>
      )
    case 'ended':
      return (
        <>
          <p>{t('attendee.join.endedBody', title)}</p>
          <p>{view.replayUrl ? <a href={view.replayUrl} rel="noreferrer">{t('attendee.join.replay')}</a> : t('attendee.join.noReplay')}</p>
        </>
      )
    case 'event-cancelled':
      return <p>{t('attendee.join.cancelledBody', title)}</p>
    case 'not-confirmed':
      return <p>{t(`attendee.join.notConfirmed.${view.status ?? 'CANCELLED'}`, title)}</p>
    case 'in-person':
      return <p>{t('attendee.join.inPersonBody', title)}</p>
  }
}

export function JoinPage({ view, action }: { view: JoinView | null; action: string }) {
  const { t } = useTranslation()
  if (!view) return <JoinNotFound />
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="lien-titre">
        <h1 id="lien-titre">{t(headingKey(view))}</h1>
        <JoinBody view={view} action={action} />
        <dl className="event-facts">
          <dt>{t('attendee.join.when')}</dt>
          <dd>
            <EventWhen when={view.when} />
          </dd>
          {view.page === 'in-person' && view.venue ? (
            <>
              <dt>{t('attendee.join.venue')}</dt>
              <dd>{view.venue}</dd>
            </>
          ) : null}
          {view.page === 'in-person' && view.accessNotes ? (
            <>
              <dt>{t('attendee.join.accessNotes')}</dt>
              <dd>{view.accessNotes}</dd>
            </>
          ) : null}
        </dl>
        {view.page === 'waiting' || view.page === 'no-link' || view.page === 'ready' ? <p className="hint">{t('attendee.join.personal')}</p> : null}
        <p>
          <Link to={`/events/${view.slug}`}>{t('attendee.join.eventLink')}</Link>
        </p>
      </section>
    </main>
  )
}
