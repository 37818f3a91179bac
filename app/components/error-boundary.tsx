// The error page every route falls back to: French first, one message per HTTP status, a way back home.
import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const [title, body] =
    status === 404
      ? [t('errors.notFoundTitle'), t('errors.notFoundBody')]
      : status === 403
        ? [t('errors.forbiddenTitle'), t('errors.forbiddenBody')]
        : status === 400 && isRouteErrorResponse(error) && typeof error.data === 'string'
          ? [t('errors.badRequestTitle'), error.data]
          : [t('errors.serverTitle'), t('errors.serverBody')]
  return (
    <main id="contenu" className="page error-page">
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">{t('errors.backHome')}</Link>
      </p>
    </main>
  )
}
