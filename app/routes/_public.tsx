// Public chrome: header with the organisation's name and navigation, footer with its postal address.
import { Link, NavLink, Outlet, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary.tsx'
import { useRootData } from '~/root.tsx'

function PublicChrome({ children }: { children: React.ReactNode }) {
  const root = useRootData()
  const { t, i18n } = useTranslation()
  const location = useLocation()
  const otherLocale = i18n.language === 'en' ? 'fr' : 'en'
  return (
    <>
      <a className="skip-link" href="#contenu">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          {root?.organization.name ?? 'Relais'}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to="/events">{t('nav.events')}</NavLink>
            </li>
            <li>
              <NavLink to="/newsletters">{t('nav.newsletters')}</NavLink>
            </li>
            <li>
              <NavLink to="/archive">{t('nav.archive')}</NavLink>
            </li>
            <li>
              <a href={`${location.pathname}?lang=${otherLocale}`} hrefLang={otherLocale} lang={otherLocale}>
                {t('nav.switchTo')}
              </a>
            </li>
          </ul>
        </nav>
      </header>
      {children}
      <footer className="site-footer">
        <p>
          <strong>{root?.organization.name}</strong>
          {root?.organization.postalAddress ? ` · ${root.organization.postalAddress}` : null}
        </p>
        <p>
          {t('footer.legal')} · {t('footer.poweredBy')}
        </p>
      </footer>
    </>
  )
}

export default function PublicLayout() {
  return (
    <PublicChrome>
      <Outlet />
    </PublicChrome>
  )
}

export function ErrorBoundary() {
  return (
    <PublicChrome>
      <GeneralErrorBoundary />
    </PublicChrome>
  )
}
