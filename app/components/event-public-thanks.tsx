// The thank-you page after a registration (to an event or a series): one text for every outcome, focus on its
// heading so that a screen reader announces it after the redirect, then the add-to-calendar links when given.
import { Link } from '@remix-run/react'
import { useEffect, useRef, type ReactNode } from 'react'
import { Trans, useTranslation } from 'react-i18next'

export function RegistrationThanks({
  title,
  bodyKey,
  back,
  calendar,
}: {
  title: string
  bodyKey: 'events.thanks.body' | 'events.thanks.seriesBody'
  back: ReactNode
  /** The add-to-calendar section, shown under the thanks. */
  calendar?: ReactNode
}) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <main id="contenu" className="page">
      <section className="hero notice" aria-labelledby="merci-titre">
        <p className="card-kicker">{title}</p>
        <h1 id="merci-titre" ref={heading} tabIndex={-1}>
          {t('events.thanks.title')}
        </h1>
        <p>
          <Trans i18nKey={bodyKey} />
        </p>
        <p>{t('events.thanks.hint')}</p>
        <p>{back}</p>
        <p>
          <Link to="/events">{t('events.thanks.all')}</Link>
        </p>
      </section>
      {calendar}
    </main>
  )
}
