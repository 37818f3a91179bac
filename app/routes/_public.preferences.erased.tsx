// Where a self-service erasure lands: it says the data is gone and what that means for future emails.
import { type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export const meta: MetaFunction = () => [{ title: 'Données effacées' }, { name: 'robots', content: 'noindex' }]

export default function ErasedPage() {
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('preferences.erased.title')}</h1>
        <p role="status">{t('preferences.erased.body')}</p>
        <p>{t('preferences.erased.again')}</p>
        <p>
          <Link to="/">{t('errors.backHome')}</Link>
        </p>
      </section>
    </main>
  )
}
