// Owns the staff form that creates or edits a series' details (conform + the shared zod schema, errors tied to
// fields).
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import { seriesSchema, seriesStatuses, seriesTimeZones } from '~/models/series-schema.ts'

type SeriesFormValues = z.input<typeof seriesSchema>
type SeriesFormOutput = z.output<typeof seriesSchema>
export type SeriesFormDefaults = { title: string; slug: string; description: string; timeZone: string; status: (typeof seriesStatuses)[number] }

export function AdminSeriesForm({ lastResult, defaults, submitLabel }: { lastResult?: SubmissionResult<string[]>; defaults?: SeriesFormDefaults; submitLabel: string }) {
  const { t } = useTranslation()
  const [form, fields] = useForm<SeriesFormValues, SeriesFormOutput>({
    id: 'series-form',
    lastResult,
    constraint: getZodConstraint(seriesSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: defaults ?? { timeZone: 'Europe/Paris', status: 'DRAFT' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: seriesSchema }),
  })
  const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined
  const zones = defaults && !(seriesTimeZones as readonly string[]).includes(defaults.timeZone) ? [defaults.timeZone, ...seriesTimeZones] : seriesTimeZones
  return (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        <div>
          <label htmlFor={fields.title.id}>{t('adminSeries.form.title')}</label>
          <input {...getInputProps(fields.title, { type: 'text' })} aria-describedby={describedBy(fields.title.errors && fields.title.errorId)} />
          <FieldError id={fields.title.errorId} errors={fields.title.errors} />
        </div>
        <div>
          <label htmlFor={fields.slug.id}>{t('adminSeries.form.slug')}</label>
          <p id={`${fields.slug.id}-hint`} className="hint">
            {t('adminSeries.form.slugHint')}
          </p>
          <input {...getInputProps(fields.slug, { type: 'text' })} aria-describedby={describedBy(`${fields.slug.id}-hint`, fields.slug.errors && fields.slug.errorId)} />
          <FieldError id={fields.slug.errorId} errors={fields.slug.errors} />
        </div>
        <div>
          <label htmlFor={fields.description.id}>{t('adminSeries.form.description')}</label>
          <p id={`${fields.description.id}-hint`} className="hint">
            {t('adminSeries.form.descriptionHint')}
          </p>
          <textarea {...getTextareaProps(fields.description)} rows={6} aria-describedby={describedBy(`${fields.description.id}-hint`, fields.description.errors && fields.description.errorId)} />
          <FieldError id={fields.description.errorId} errors={fields.description.errors} />
        </div>
        <div>
          <label htmlFor={fields.timeZone.id}>{t('adminSeries.form.timeZone')}</label>
          <select {...getSelectProps(fields.timeZone)} aria-describedby={describedBy(fields.timeZone.errors && fields.timeZone.errorId)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <FieldError id={fields.timeZone.errorId} errors={fields.timeZone.errors} />
        </div>
        <div>
          <label htmlFor={fields.status.id}>{t('adminSeries.form.status')}</label>
          <select {...getSelectProps(fields.status)} aria-describedby={describedBy(fields.status.errors && fields.status.errorId)}>
            {seriesStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`adminSeries.status.${status}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.status.errorId} errors={fields.status.errors} />
        </div>
        <p>
          <button type="submit">{submitLabel}</button>
        </p>
      </Form>
    </>
  )
}
