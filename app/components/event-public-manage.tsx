// The pieces of the personal management pages (reached from the signed link in the emails): the explanation shown
// when the link does not work, the edit form of a registration (names, organisation, territory, answers) and the
// two-step cancellation.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { answerFieldName, type EventQuestion } from '~/models/event-schema.ts'
import { registrationEditSchema } from '~/utils/event-registration-form.ts'
import { ErrorSummary, QuestionFields, questionInputId, TextField } from './event-public-fields.tsx'

export function RegistrationLinkError() {
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{t('events.manage.linkInvalidTitle')}</h1>
        <p>{t('events.manage.linkInvalidBody')}</p>
        <p>{t('events.manage.linkHelp')}</p>
        <p>
          <Link to="/events">{t('events.manage.toEvents')}</Link>
        </p>
      </section>
    </main>
  )
}

const editFields = ['firstName', 'lastName', 'organization', 'territory'] as const

export function RegistrationEditForm({
  action,
  questions,
  defaults,
  lastResult,
}: {
  action: string
  questions: EventQuestion[]
  /** Stored values as the form posts them (yes/no as "yes"/"no", multiple choices as lists). */
  defaults: Record<string, string | string[]>
  lastResult?: SubmissionResult<string[]> | null
}) {
  const { t } = useTranslation()
  const id = 'modifier-inscription'
  const [form] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registrationEditSchema(questions) }),
  })
  const initial = (form.initialValue ?? {}) as Record<string, unknown>
  const errors = form.allErrors as Record<string, string[] | undefined>
  const fieldId = (name: string) => `${id}-${name}`
  const text = (name: string) => (typeof initial[name] === 'string' ? (initial[name] as string) : '')
  const fieldProps = (name: string, required = false) => ({ id: fieldId(name), name, errors: errors[name], defaultValue: text(name), required })
  const summaryFields: [string, string][] = [
    ...editFields.map((name): [string, string] => [name, fieldId(name)]),
    ...questions.map((question): [string, string] => [answerFieldName(question.id), questionInputId(question, fieldId(answerFieldName(question.id)))]),
  ]
  return (
    <>
      <ErrorSummary id={`${id}-errors`} title={t('events.form.errorSummary')} formErrors={form.errors ?? []} fields={summaryFields} errors={errors} />
      <form method="post" action={action} className="stack" {...getFormProps(form)}>
        <p>{t('events.form.intro')}</p>
        <TextField {...fieldProps('firstName', true)} label={t('events.form.firstName')} autoComplete="given-name" />
        <TextField {...fieldProps('lastName', true)} label={t('events.form.lastName')} autoComplete="family-name" />
        <TextField {...fieldProps('organization')} label={t('events.form.organization')} autoComplete="organization" />
        <TextField {...fieldProps('territory')} label={t('events.form.territory')} hint={t('signup.territoryHint')} />
        <QuestionFields questions={questions} idPrefix={id} errors={errors} initial={initial} />
        <input type="hidden" name="intent" value="edit" />
        <p>
          <button type="submit">{t('events.manage.save')}</button>
        </p>
      </form>
    </>
  )
}

/**
 * Cancellation in two steps without JavaScript: a link opens the confirmation (`?annuler=1`), whose button posts.
 * `texts` are i18n keys (a registration's or a whole series').
 */
export function CancelSection({
  base,
  confirming,
  texts,
}: {
  base: string
  confirming: boolean
  texts: { title: string; intro: string; ask: string; confirmBody: string; confirm: string }
}) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="annulation" className="hero">
      <h2 id="annulation">{t(confirming ? 'events.manage.cancelConfirmTitle' : texts.title)}</h2>
      {confirming ? (
        <form method="post" action={base}>
          <p>{t(texts.confirmBody)}</p>
          <input type="hidden" name="intent" value="cancel" />
          <p className="row-actions">
            <button type="submit" className="danger">
              {t(texts.confirm)}
            </button>
            <Link to={base}>{t('events.manage.cancelKeep')}</Link>
          </p>
        </form>
      ) : (
        <>
          <p>{t(texts.intro)}</p>
          <p>
            <Link className="button secondary" to={`${base}?annuler=1#annulation`}>
              {t(texts.ask)}
            </Link>
          </p>
        </>
      )}
    </section>
  )
}
