// Owns the "joined through their link" panel of the attendance page (online and hybrid events): the count, who joined
// and when they first did. While the join window is open the page's data reloads every 15 seconds (useRevalidator)
// unless staff are editing attendance; without JavaScript the "Actualiser" link reloads the page.
import { Link, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'

export const joinsRefreshMs = 15_000

export type JoinsView = {
  live: boolean
  count: number
  joiners: { id: number; name: string; time: string }[]
  /** When these figures were read (staff time). */
  checkedAt: string
  shown: number
}

/** Reloads the route's data every 15 s while `active` (and the tab is visible). */
function useLiveRefresh(active: boolean) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') revalidator.revalidate()
    }, joinsRefreshMs)
    return () => window.clearInterval(timer)
  }, [active, revalidator])
}

export function AttendanceJoins({ joins, refreshHref, editing }: { joins: JoinsView; refreshHref: string; editing: boolean }) {
  const { t } = useTranslation()
  useLiveRefresh(joins.live && !editing)
  const more = joins.count - joins.joiners.length
  return (
    <section aria-labelledby="connexions-titre">
      <h2 id="connexions-titre">{t('adminRegistrations.attendancePage.joins.title')}</h2>
      <p>{t('adminRegistrations.attendancePage.joins.intro')}</p>
      <dl className="admin-counts">
        <div>
          <dt>{t('adminRegistrations.attendancePage.joins.count')}</dt>
          <dd data-count="joined">{joins.count}</dd>
        </div>
      </dl>
      <p className="hint">
        {joins.live ? `${t('adminRegistrations.attendancePage.joins.live')} ` : null}
        {t('adminRegistrations.attendancePage.joins.checkedAt', { time: joins.checkedAt })}{' '}
        <Link to={refreshHref}>{t('adminRegistrations.attendancePage.joins.refresh')}</Link>
      </p>
      {joins.joiners.length === 0 ? (
        <p>{t('adminRegistrations.attendancePage.joins.empty')}</p>
      ) : (
        <table data-testid="joined-list">
          <caption className="sr-only">{t('adminRegistrations.attendancePage.joins.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminRegistrations.attendancePage.joins.person')}</th>
              <th scope="col">{t('adminRegistrations.attendancePage.joins.firstJoin')}</th>
            </tr>
          </thead>
          <tbody>
            {joins.joiners.map((joiner) => (
              <tr key={joiner.id} data-registration-id={joiner.id}>
                <th scope="row">{joiner.name}</th>
                <td>{joiner.time}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more > 0 ? <p className="hint">{t('adminRegistrations.attendancePage.joins.more', { count: more, shown: joins.shown })}</p> : null}
    </section>
  )
}
