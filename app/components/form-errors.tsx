// Owns how form errors read: a field's error tied to it by id (aria-describedby), and a summary for the whole
// form announced to screen readers. Errors arrive as i18n keys (from zod schemas or actions).
import { useTranslation } from 'react-i18next'

export function FieldError({ id, errors, values }: { id: string; errors: string[] | undefined; values?: Record<string, unknown> }) {
  const { t } = useTranslation()
  if (!errors?.length) return null
  return (
    <p id={id} className="field-error">
      {errors.map((error) => t(error, values)).join(' ')}
    </p>
  )
}

export function FormErrors({ id, errors, values }: { id: string; errors: string[] | undefined; values?: Record<string, unknown> }) {
  const { t } = useTranslation()
  if (!errors?.length) return null
  return (
    <div id={id} className="error-summary" role="alert" tabIndex={-1}>
      {errors.map((error) => (
        <p key={error}>{t(error, values)}</p>
      ))}
    </div>
  )
}

/** What a staff action reports back: a confirmation announced politely, or an error announced at once. */
export function ActionOutcome({ notice, error }: { notice?: string | null; error?: string | null }) {
  const { t } = useTranslation()
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert">
          <p>{t(error)}</p>
        </div>
      ) : null}
    </>
  )
}
