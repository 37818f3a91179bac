// Owns the inputs of an event's custom questions in the staff "add someone" form: one labelled control per question
// (text, long text, single choice, multiple choice, yes/no), its error tied to it, the value typed kept on error.
import { useTranslation } from 'react-i18next'
import { FieldError } from '~/components/form-errors.tsx'

export type AnswerQuestion = { id: string; label: string; type: 'short_text' | 'long_text' | 'single_choice' | 'multiple_choice' | 'yes_no'; required: boolean; options: string[] }

export function RegistrationAnswerFields({ questions, values, errors, idPrefix }: { questions: AnswerQuestion[]; values: Record<string, string | string[]>; errors: Record<string, string>; idPrefix: string }) {
  const { t } = useTranslation()
  return (
    <>
      {questions.map((question) => {
        const name = `q-${question.id}`
        const id = `${idPrefix}-${name}`
        const errorId = `${id}-error`
        const error = errors[name]
        const value = values[name]
        const text = typeof value === 'string' ? value : ''
        const ticked = Array.isArray(value) ? value : []
        const described = error ? errorId : undefined
        const label = (
          <>
            {question.label} {question.required ? <span className="hint">{t('adminRegistrations.add.required')}</span> : null}
          </>
        )
        if (question.type === 'short_text' || question.type === 'long_text') {
          return (
            <div key={question.id}>
              <label htmlFor={id}>{label}</label>
              {question.type === 'short_text' ? (
                <input id={id} name={name} type="text" defaultValue={text} aria-invalid={error ? true : undefined} aria-describedby={described} />
              ) : (
                <textarea id={id} name={name} rows={3} defaultValue={text} aria-invalid={error ? true : undefined} aria-describedby={described} />
              )}
              <FieldError id={errorId} errors={error ? [error] : undefined} />
            </div>
          )
        }
        if (question.type === 'single_choice') {
          return (
            <div key={question.id}>
              <label htmlFor={id}>{label}</label>
              <select id={id} name={name} defaultValue={text} aria-invalid={error ? true : undefined} aria-describedby={described}>
                <option value="">{t('adminRegistrations.add.choose')}</option>
                {question.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
              <FieldError id={errorId} errors={error ? [error] : undefined} />
            </div>
          )
        }
        const choices = question.type === 'yes_no' ? [{ value: 'yes', label: t('adminRegistrations.add.yes') }, { value: 'no', label: t('adminRegistrations.add.no') }] : question.options.map((option) => ({ value: option, label: option }))
        return (
          <fieldset key={question.id} id={id} aria-describedby={described} tabIndex={-1}>
            <legend>{label}</legend>
            {choices.map((choice, index) => (
              <div key={choice.value}>
                <input
                  id={`${id}-${index}`}
                  type={question.type === 'yes_no' ? 'radio' : 'checkbox'}
                  name={name}
                  value={choice.value}
                  defaultChecked={question.type === 'yes_no' ? text === choice.value : ticked.includes(choice.value)}
                />{' '}
                <label htmlFor={`${id}-${index}`}>{choice.label}</label>
              </div>
            ))}
            <FieldError id={errorId} errors={error ? [error] : undefined} />
          </fieldset>
        )
      })}
    </>
  )
}
