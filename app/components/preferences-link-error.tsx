// The page a person sees when an email link (preferences, unsubscribe) is forged, foreign, expired or no longer
// stands for anyone: what happened and how to get a working link, never which of those it was beyond "expired".
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export function PreferencesLinkError({ reason }: { reason: 'invalid' | 'expired' }) {
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t(reason === 'expired' ? 'preferences.link.expiredTitle' : 'preferences.link.invalidTitle')}</h1>
        <p>{t(reason === 'expired' ? 'preferences.link.expiredBody' : 'preferences.link.invalidBody')}</p>
        <p>{t('preferences.link.howToGetOne')}</p>
        <p>
          <Link to="/newsletters">{t('preferences.link.toNewsletters')}</Link>
        </p>
      </section>
    </main>
  )
}

/** The HTTP status of a link that does not work: 410 once expired (it did exist), 404 otherwise. */
export function linkErrorStatus(reason: 'invalid' | 'expired'): number {
  return reason === 'expired' ? 410 : 404
}
