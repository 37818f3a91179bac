// The fields of the public registration and management forms: a labelled text field (hint, required mark, error tied
// by aria-describedby), a question with choices as a fieldset of radios or boxes (single, multiple, yes/no), and an
// event's questions rendered with them.
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldError } from '~/components/form-errors.tsx'
import { answerFieldName, answerMaxLength, type EventQuestion } from '~/models/event-schema.ts'

/** The asterisk after a required field's label (the form's intro says what it means; the field is aria-required). */
export function RequiredMark() {
  return (
    <span aria-hidden="true" className="required-mark">
      {' '}*
    </span>
  )
}

export interface TextFieldProps {
  id: string
  name: string
  label: string
  hint?: string
  errors: string[] | undefined
  defaultValue: string
  required?: boolean
  type?: 'text' | 'email'
  multiline?: boolean
  maxLength?: number
  autoComplete?: string
}

export function TextField({ id, name, label, hint, errors, defaultValue, required = false, type = 'text', multiline = false, maxLength, autoComplete }: TextFieldProps) {
  const invalid = Boolean(errors?.length)
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  const common = {
    id,
    name,
    defaultValue,
    required,
    'aria-required': required || undefined,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
    maxLength,
    autoComplete,
  }
  return (
    <div>
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="signup-hint">
          {hint}
        </p>
      ) : null}
      {multiline ? <textarea rows={5} {...common} /> : <input type={type} {...common} />}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  )
}

const inlineLabel = { display: 'inline', marginLeft: '.5rem', fontWeight: 'normal' } as const

/** A single, multiple or yes/no question: one fieldset, its legend the question; option ids are `<idPrefix>-<n>`. */
export function ChoiceQuestion({
  question,
  idPrefix,
  name,
  errors,
  initial,
}: {
  question: EventQuestion
  idPrefix: string
  name: string
  errors: string[] | undefined
  initial: unknown
}) {
  const { t } = useTranslation()
  const multiple = question.type === 'multiple_choice'
  const options =
    question.type === 'yes_no'
      ? [
          { value: 'yes', label: t('events.form.yes') },
          { value: 'no', label: t('events.form.no') },
        ]
      : question.options.map((option) => ({ value: option, label: option }))
  const chosen = new Set(Array.isArray(initial) ? initial.filter((item): item is string => typeof item === 'string') : typeof initial === 'string' ? [initial] : [])
  const invalid = Boolean(errors?.length)
  const describedBy = [multiple ? `${idPrefix}-hint` : null, invalid ? `${idPrefix}-error` : null].filter(Boolean).join(' ') || undefined
  return (
    <fieldset aria-describedby={describedBy}>
      <legend>
        {question.label}
        {question.required ? <RequiredMark /> : null}
      </legend>
      {multiple ? (
        <p id={`${idPrefix}-hint`} className="signup-hint">
          {t('events.form.chooseAny')}
        </p>
      ) : null}
      {options.map((option, index) => (
        <div key={option.value}>
          <input
            id={`${idPrefix}-${index}`}
            type={multiple ? 'checkbox' : 'radio'}
            name={name}
            value={option.value}
            defaultChecked={chosen.has(option.value)}
            required={question.required && !multiple ? true : undefined}
            aria-invalid={invalid || undefined}
          />
          <label htmlFor={`${idPrefix}-${index}`} style={inlineLabel}>
            {option.label}
          </label>
        </div>
      ))}
      <FieldError id={`${idPrefix}-error`} errors={errors} />
    </fieldset>
  )
}

/**
 * An event's own questions as fields, in order: short and long texts as text fields (with their length limit as a
 * hint), the others as choices. Field ids are `<idPrefix>-<answer field name>`, like the form's other fields.
 */
export function QuestionFields({
  questions,
  idPrefix,
  errors,
  initial,
}: {
  questions: EventQuestion[]
  idPrefix: string
  errors: Record<string, string[] | undefined>
  initial: Record<string, unknown>
}) {
  const { t } = useTranslation()
  return questions.map((question) => {
    const name = answerFieldName(question.id)
    const id = `${idPrefix}-${name}`
    if (question.type === 'short_text' || question.type === 'long_text') {
      return (
        <TextField
          key={question.id}
          id={id}
          name={name}
          errors={errors[name]}
          defaultValue={typeof initial[name] === 'string' ? initial[name] : ''}
          required={question.required}
          label={question.label}
          multiline={question.type === 'long_text'}
          maxLength={answerMaxLength[question.type]}
          hint={t('events.form.maxLength', { count: answerMaxLength[question.type] })}
        />
      )
    }
    return <ChoiceQuestion key={question.id} question={question} idPrefix={id} name={name} errors={errors[name]} initial={initial[name]} />
  })
}

/**
 * The errors of a form, summarised above it: focus moves there when they change (announced at once), each field's
 * message links to its first input. `fields` is in the form's order: [name, first input id].
 */
export function ErrorSummary({
  id,
  title,
  formErrors,
  fields,
  errors,
  values,
}: {
  id: string
  title: string
  formErrors: string[]
  fields: [name: string, inputId: string][]
  errors: Record<string, string[] | undefined>
  values?: Record<string, unknown>
}) {
  const { t } = useTranslation()
  const summary = useRef<HTMLDivElement>(null)
  const withErrors = fields.filter(([name]) => errors[name]?.length)
  const errorKey = [...formErrors, ...withErrors.flatMap(([name]) => errors[name] ?? [])].join('|')
  useEffect(() => {
    if (errorKey) summary.current?.focus()
  }, [errorKey])
  if (!errorKey) return null
  return (
    <div ref={summary} id={id} className="error-summary" role="alert" tabIndex={-1} aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>{title}</strong>
      </p>
      <ul>
        {formErrors.map((error) => (
          <li key={error}>{t(error, values)}</li>
        ))}
        {withErrors.map(([name, inputId]) => (
          <li key={name}>
            <a href={`#${inputId}`}>{(errors[name] ?? []).map((error) => t(error)).join(' ')}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The id of a question's first input: the field itself for texts, the first option for choices. */
export function questionInputId(question: EventQuestion, idPrefix: string): string {
  return question.type === 'short_text' || question.type === 'long_text' ? idPrefix : `${idPrefix}-0`
}
