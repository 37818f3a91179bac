// The public registration form of an event (or of a whole series): who registers, the event's own questions, a
// separate unticked box for a newsletter (with the consent text), a honeypot and the ALTCHA widget. It posts as a
// plain HTML form, so it works without JavaScript; with it, the same schema checks the fields before sending.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Fragment, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldError } from '~/components/form-errors.tsx'
import { actorTypes } from '~/models/contact-schema.ts'
import { answerFieldName, type EventQuestion } from '~/models/event-schema.ts'
import { HONEYPOT_FIELD } from '~/models/signup-schema.ts'
import { eventRegistrationSchema, NEWSLETTER_FIELD, NEWSLETTER_LIST_FIELD } from '~/utils/event-registration-form.ts'
import type {} from 'altcha/types/react'
import { ErrorSummary, QuestionFields, questionInputId, TextField } from './event-public-fields.tsx'

/** Off-screen rather than display:none, which bots skip. */
const trapStyle = { position: 'absolute', left: '-10000px', width: '1px', height: '1px', overflow: 'hidden' } as const

export interface RegistrationFormProps {
  /** Form id, also the prefix of every field id. */
  id: string
  action: string
  questions: EventQuestion[]
  newsletterLists: { id: number; name: string }[]
  consentText: string
  locale: 'fr' | 'en'
  submitLabel: string
  lastResult?: SubmissionResult<string[]> | null
  /** Set with a 429 answer: how many minutes to wait. */
  retryMinutes?: number
}

const attendeeFields = ['email', 'firstName', 'lastName', 'organization', 'actorType', 'territory'] as const

export function RegistrationForm({ id, action, questions, newsletterLists, consentText, locale, submitLabel, lastResult, retryMinutes = 0 }: RegistrationFormProps) {
  const { t } = useTranslation()
  useEffect(() => {
    // The web component registers itself on import; its texts follow <html lang>.
    void import('altcha/i18n')
  }, [])
  // The server spends a proof-of-work as soon as it reads it, before refusing for a limit or a closed event. The form
  // posts natively, so each answer is a new page with a fresh widget; should an answer ever arrive within the page
  // (a client-side submit), the widget is mounted anew so that it solves a fresh challenge instead of resending the
  // spent one. The answer the page was rendered with needs nothing (that would solve a second challenge for naught).
  const renderedWith = useRef(lastResult)
  const [widgetKey, setWidgetKey] = useState(0)
  useEffect(() => {
    if (lastResult && lastResult !== renderedWith.current) setWidgetKey((key) => key + 1)
  }, [lastResult])
  const [form] = useForm({
    id,
    lastResult,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: eventRegistrationSchema(questions) }),
  })
  const initial = (form.initialValue ?? {}) as Record<string, unknown>
  const errors = form.allErrors as Record<string, string[] | undefined>
  const fieldId = (name: string) => `${id}-${name}`
  const summaryFields: [string, string][] = [
    ...attendeeFields.map((name): [string, string] => [name, fieldId(name)]),
    ...questions.map((question): [string, string] => [answerFieldName(question.id), questionInputId(question, fieldId(answerFieldName(question.id)))]),
    [NEWSLETTER_LIST_FIELD, fieldId(newsletterLists.length === 1 ? NEWSLETTER_FIELD : NEWSLETTER_LIST_FIELD)],
  ]
  const text = (name: string) => (typeof initial[name] === 'string' ? (initial[name] as string) : '')
  const fieldProps = (name: string, required = false) => ({ id: fieldId(name), name, errors: errors[name], defaultValue: text(name), required })
  return (
    <>
      <ErrorSummary
        id={`${id}-errors`}
        title={t('events.form.errorSummary')}
        formErrors={form.errors ?? []}
        fields={summaryFields}
        errors={errors}
        values={{ count: retryMinutes }}
      />
      <form method="post" action={action} className="stack registration-form" {...getFormProps(form)}>
        <p>{t('events.form.intro')}</p>
        <fieldset>
          <legend>{t('events.form.you')}</legend>
          <TextField {...fieldProps('email', true)} type="email" label={t('events.form.email')} hint={t('events.form.emailHint')} autoComplete="email" />
          <TextField {...fieldProps('firstName', true)} label={t('events.form.firstName')} autoComplete="given-name" />
          <TextField {...fieldProps('lastName', true)} label={t('events.form.lastName')} autoComplete="family-name" />
          <TextField {...fieldProps('organization')} label={t('events.form.organization')} autoComplete="organization" />
          <div>
            <label htmlFor={fieldId('actorType')}>{t('events.form.actorType')}</label>
            <select
              id={fieldId('actorType')}
              name="actorType"
              defaultValue={text('actorType')}
              aria-invalid={errors.actorType?.length ? true : undefined}
              aria-describedby={errors.actorType?.length ? `${fieldId('actorType')}-error` : undefined}
            >
              <option value="">{t('signup.actorTypeNone')}</option>
              {actorTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`signup.actorTypes.${type}`)}
                </option>
              ))}
            </select>
            <FieldError id={`${fieldId('actorType')}-error`} errors={errors.actorType} />
          </div>
          <TextField {...fieldProps('territory')} label={t('events.form.territory')} hint={t('signup.territoryHint')} />
        </fieldset>
        {questions.length > 0 ? (
          <fieldset>
            <legend>{t('events.form.questions')}</legend>
            <QuestionFields questions={questions} idPrefix={id} errors={errors} initial={initial} />
          </fieldset>
        ) : null}
        {newsletterLists.length > 0 ? <NewsletterChoice id={id} lists={newsletterLists} consentText={consentText} initial={initial} errors={errors[NEWSLETTER_LIST_FIELD]} /> : null}
        <input type="hidden" name="locale" value={locale} />
        <div aria-hidden="true" style={trapStyle}>
          <label htmlFor={`${id}-website`}>{t('events.form.honeypot')}</label>
          <input id={`${id}-website`} type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <Fragment key={widgetKey}>
          <altcha-widget challenge="/newsletters/challenge" name="altcha" auto="onload" language={locale === 'en' ? 'en' : 'fr-fr'} suppressHydrationWarning />
        </Fragment>
        <p>
          <button type="submit">{submitLabel}</button>
        </p>
      </form>
    </>
  )
}

function NewsletterChoice({
  id,
  lists,
  consentText,
  initial,
  errors,
}: {
  id: string
  lists: { id: number; name: string }[]
  consentText: string
  initial: Record<string, unknown>
  errors: string[] | undefined
}) {
  const { t } = useTranslation()
  const only = lists.length === 1 ? lists[0]! : null
  const boxId = `${id}-${NEWSLETTER_FIELD}`
  const listId = `${id}-${NEWSLETTER_LIST_FIELD}`
  const chosen = typeof initial[NEWSLETTER_LIST_FIELD] === 'string' ? (initial[NEWSLETTER_LIST_FIELD] as string) : undefined
  return (
    <fieldset>
      <legend>{t('events.form.newsletterTitle')}</legend>
      <p id={`${boxId}-hint`}>{t('events.form.newsletterHint')}</p>
      <p id={`${boxId}-consent`}>{consentText}</p>
      <div>
        <input id={boxId} type="checkbox" name={NEWSLETTER_FIELD} value="yes" defaultChecked={initial[NEWSLETTER_FIELD] === 'yes'} aria-describedby={`${boxId}-hint ${boxId}-consent`} />
        <label htmlFor={boxId} style={{ display: 'inline', marginLeft: '.5rem' }}>
          {only ? t('events.form.newsletterOne', { name: only.name }) : t('events.form.newsletterMany')}
        </label>
      </div>
      {only ? (
        <input type="hidden" name={NEWSLETTER_LIST_FIELD} value={only.id} />
      ) : (
        <div>
          <label htmlFor={listId}>{t('events.form.newsletterList')}</label>
          <select
            id={listId}
            name={NEWSLETTER_LIST_FIELD}
            defaultValue={chosen}
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={errors?.length ? `${listId}-error` : undefined}
          >
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <FieldError id={`${listId}-error`} errors={errors} />
    </fieldset>
  )
}
