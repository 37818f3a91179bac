// Owns the staff form that registers someone by hand: the attendee fields and the event's questions, errors tied to
// their fields and summarised (focused on arrival), nothing typed lost on error. Works without JavaScript.
import { Form } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError } from '~/components/form-errors.tsx'
import { RegistrationAnswerFields, type AnswerQuestion } from '~/components/registration-answer-fields.tsx'

const actorTypes = ['ELECTED_OFFICIAL', 'PUBLIC_AGENT', 'ASSOCIATION', 'COMPANY', 'CITIZEN', 'RESEARCHER', 'OTHER'] as const

export function RegistrationAddForm({ questions, values = {}, errors = {} }: { questions: AnswerQuestion[]; values?: Record<string, string | string[]>; errors?: Record<string, string> }) {
  const { t } = useTranslation()
  const summary = useRef<HTMLDivElement>(null)
  const hasErrors = Object.keys(errors).length > 0
  useEffect(() => {
    if (hasErrors) summary.current?.focus()
  }, [hasErrors, errors])
  const text = (name: 'firstName' | 'lastName' | 'email' | 'organization' | 'territory', type = 'text', autoComplete?: string) => {
    const id = `add-${name}`
    const error = errors[name]
    return (
      <div>
        <label htmlFor={id}>{t(`adminRegistrations.add.${name}`)}</label>
        <input
          id={id}
          name={name}
          type={type}
          autoComplete={autoComplete}
          defaultValue={typeof values[name] === 'string' ? values[name] : ''}
          required={name === 'firstName' || name === 'lastName' || name === 'email'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
      </div>
    )
  }
  return (
    <Form method="post" className="stack registration-add-form" noValidate>
      {hasErrors ? (
        <div ref={summary} className="error-summary" role="alert" tabIndex={-1}>
          <p>{t('adminRegistrations.add.errorsSummary')}</p>
          <ul>
            {Object.entries(errors).map(([field, error]) => (
              <li key={field}>
                <a href={`#add-${field}`}>{t(error)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <CsrfInput />
      <input type="hidden" name="intent" value="add" />
      {text('firstName', 'text', 'off')}
      {text('lastName', 'text', 'off')}
      {text('email', 'email', 'off')}
      {text('organization')}
      <div>
        <label htmlFor="add-actorType">{t('adminRegistrations.add.actorType')}</label>
        <select id="add-actorType" name="actorType" defaultValue={typeof values.actorType === 'string' ? values.actorType : ''}>
          <option value="">{t('adminRegistrations.add.choose')}</option>
          {actorTypes.map((type) => (
            <option key={type} value={type}>
              {t(`adminContacts.actorTypes.${type}`)}
            </option>
          ))}
        </select>
      </div>
      {text('territory')}
      <div>
        <label htmlFor="add-locale">{t('adminRegistrations.add.locale')}</label>
        <select id="add-locale" name="locale" defaultValue={typeof values.locale === 'string' && values.locale ? values.locale : 'fr'}>
          <option value="fr">{t('adminRegistrations.add.localeFr')}</option>
          <option value="en">{t('adminRegistrations.add.localeEn')}</option>
        </select>
      </div>
      {questions.length > 0 ? (
        <fieldset>
          <legend>{t('adminRegistrations.add.questions')}</legend>
          <RegistrationAnswerFields questions={questions} values={values} errors={errors} idPrefix="add" />
        </fieldset>
      ) : null}
      <p>
        <button type="submit">{t('adminRegistrations.add.submit')}</button>
      </p>
    </Form>
  )
}
