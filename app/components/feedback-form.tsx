// Owns the attendee's feedback form: a rating from 1 to 5 as a group of radios (fieldset and legend, each choice
// labelled in words) and an optional comment, with errors summarised above and tied to their field. Posts natively
// (works without JavaScript); the browser runs the same schema first when it can.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { useTranslation } from 'react-i18next'
import { ErrorSummary, RequiredMark, TextField } from '~/components/event-public-fields.tsx'
import { FieldError } from '~/components/form-errors.tsx'
import { FEEDBACK_COMMENT_MAX, feedbackSchema } from '~/utils/feedback-form.ts'

const ratings = ['1', '2', '3', '4', '5'] as const
const inlineLabel = { display: 'inline', marginLeft: '.5rem', fontWeight: 'normal' } as const

function RatingField({ id, errors, initial }: { id: string; errors: string[] | undefined; initial: unknown }) {
  const { t } = useTranslation()
  const invalid = Boolean(errors?.length)
  return (
    <fieldset aria-describedby={invalid ? `${id}-error` : undefined}>
      <legend>
        {t('attendee.feedback.rating')}
        <RequiredMark />
      </legend>
      {ratings.map((rating) => (
        <div key={rating}>
          <input id={`${id}-${rating}`} type="radio" name="rating" value={rating} defaultChecked={String(initial) === rating} required aria-invalid={invalid || undefined} />
          <label htmlFor={`${id}-${rating}`} style={inlineLabel}>
            {t(`attendee.feedback.ratings.${rating}`)}
          </label>
        </div>
      ))}
      <FieldError id={`${id}-error`} errors={errors} />
    </fieldset>
  )
}

export function FeedbackForm({
  action,
  defaults,
  lastResult,
  answered,
}: {
  action: string
  defaults: { rating: string; comment: string }
  lastResult?: SubmissionResult<string[]> | null
  /** An answer is stored already: the button says the form changes it. */
  answered: boolean
}) {
  const { t } = useTranslation()
  const id = 'avis'
  const [form] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: feedbackSchema }),
  })
  const initial = (form.initialValue ?? {}) as Record<string, unknown>
  const errors = form.allErrors as Record<string, string[] | undefined>
  return (
    <>
      <ErrorSummary
        id={`${id}-errors`}
        title={t('attendee.feedback.errorSummary')}
        formErrors={form.errors ?? []}
        fields={[
          ['rating', `${id}-rating-1`],
          ['comment', `${id}-comment`],
        ]}
        errors={errors}
      />
      <form method="post" action={action} className="stack" {...getFormProps(form)}>
        <p className="hint">{t('attendee.feedback.requiredHint')}</p>
        <RatingField id={`${id}-rating`} errors={errors.rating} initial={initial.rating} />
        <TextField
          id={`${id}-comment`}
          name="comment"
          label={t('attendee.feedback.comment')}
          hint={t('attendee.feedback.commentHint')}
          errors={errors.comment}
          defaultValue={typeof initial.comment === 'string' ? initial.comment : ''}
          multiline
          maxLength={FEEDBACK_COMMENT_MAX}
        />
        <p>
          <button type="submit">{t(answered ? 'attendee.feedback.update' : 'attendee.feedback.submit')}</button>
        </p>
      </form>
    </>
  )
}
