// Owns how a field of the staff event form is wired: its id from its posted name, its error tied by
// aria-describedby (errors arrive as i18n keys keyed by conform names such as `questions[0].options`), its hint.
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { readFieldError } from '~/models/event-form-schema.ts'

export type FormErrorMap = Record<string, string[] | null | undefined>

/** Field helpers shared by the form and its lists: ids, error lookups, aria wiring. */
export function fieldProps(name: string, errors: FormErrorMap, hint?: boolean) {
  const id = `event-${name.replace(/[[\].]+/g, '-').replace(/-$/, '')}`
  const error = errors[name]?.length ? `${id}-error` : null
  const describedBy = [hint ? `${id}-hint` : null, error].filter(Boolean).join(' ') || undefined
  return { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy }
}

/** The sentence of a field error: an i18n key, with the values it may carry (see fieldError). */
export function errorText(t: TFunction, message: string): string {
  const { key, values } = readFieldError(message)
  return t(key, values)
}

export function FieldMessage({ name, errors }: { name: string; errors: FormErrorMap }) {
  const { t } = useTranslation()
  const messages = errors[name]
  if (!messages?.length) return null
  return (
    <p id={`${fieldProps(name, errors).id}-error`} className="field-error">
      {messages.map((message) => errorText(t, message)).join(' ')}
    </p>
  )
}

export function Hint({ name, text }: { name: string; text: string }) {
  return (
    <p id={`${fieldProps(name, {}).id}-hint`} className="hint">
      {text}
    </p>
  )
}
