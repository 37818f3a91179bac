// Owns the staff form that creates or edits a mailing list (conform + the shared zod schema, errors tied to fields).
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import { listSchema } from '~/models/list-schema.ts'

type ListFormValues = z.input<typeof listSchema>
type ListFormOutput = z.output<typeof listSchema>
export type ListFormDefaults = {
  name: string
  slug: string
  description: string
  cadence: string
  isPublic: boolean
  doubleOptIn: boolean
  inArchive: boolean
  welcomeSubject: string | null
  welcomeBody: string | null
  sortOrder: number
}

const checkboxes = ['isPublic', 'doubleOptIn', 'inArchive'] as const

export function AdminListForm({ lastResult, defaults, submitLabel }: { lastResult?: SubmissionResult<string[]>; defaults?: ListFormDefaults; submitLabel: string }) {
  const { t } = useTranslation()
  const [form, fields] = useForm<ListFormValues, ListFormOutput>({
    id: 'list-form',
    lastResult,
    constraint: getZodConstraint(listSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: defaults
      ? {
          ...defaults,
          isPublic: defaults.isPublic ? 'on' : undefined,
          doubleOptIn: defaults.doubleOptIn ? 'on' : undefined,
          inArchive: defaults.inArchive ? 'on' : undefined,
          welcomeSubject: defaults.welcomeSubject ?? '',
          welcomeBody: defaults.welcomeBody ?? '',
          sortOrder: defaults.sortOrder,
        }
      : { isPublic: 'on', doubleOptIn: 'on', inArchive: 'on', sortOrder: 0 },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: listSchema }),
  })
  const text = (name: 'name' | 'slug' | 'cadence' | 'welcomeSubject', hint?: string) => {
    const field = fields[name]
    const hintId = `${field.id}-hint`
    return (
      <div>
        <label htmlFor={field.id}>{t(`adminLists.form.${name}`)}</label>
        {hint ? <p id={hintId} className="hint">{hint}</p> : null}
        <input {...getInputProps(field, { type: 'text' })} aria-describedby={[hint ? hintId : '', field.errors ? field.errorId : ''].filter(Boolean).join(' ') || undefined} />
        <FieldError id={field.errorId} errors={field.errors} />
      </div>
    )
  }
  const area = (name: 'description' | 'welcomeBody', hint?: string) => {
    const field = fields[name]
    const hintId = `${field.id}-hint`
    return (
      <div>
        <label htmlFor={field.id}>{t(`adminLists.form.${name}`)}</label>
        {hint ? <p id={hintId} className="hint">{hint}</p> : null}
        <textarea {...getTextareaProps(field)} rows={name === 'welcomeBody' ? 8 : 3} aria-describedby={[hint ? hintId : '', field.errors ? field.errorId : ''].filter(Boolean).join(' ') || undefined} />
        <FieldError id={field.errorId} errors={field.errors} />
      </div>
    )
  }
  return (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {text('name')}
        {text('slug', t('adminLists.form.slugHint'))}
        {area('description')}
        {text('cadence', t('adminLists.form.cadenceHint'))}
        <fieldset>
          <legend>{t('adminLists.form.options')}</legend>
          {checkboxes.map((name) => (
            <div key={name}>
              <input {...getInputProps(fields[name], { type: 'checkbox' })} />{' '}
              <label htmlFor={fields[name].id}>{t(`adminLists.form.${name}`)}</label>
            </div>
          ))}
        </fieldset>
        <div>
          <label htmlFor={fields.sortOrder.id}>{t('adminLists.form.sortOrder')}</label>
          <input {...getInputProps(fields.sortOrder, { type: 'number' })} />
          <FieldError id={fields.sortOrder.errorId} errors={fields.sortOrder.errors} />
        </div>
        <fieldset>
          <legend>{t('adminLists.form.welcome')}</legend>
          <p className="hint">{t('adminLists.form.welcomeHint')}</p>
          {text('welcomeSubject')}
          {area('welcomeBody', t('adminLists.form.welcomeBodyHint'))}
        </fieldset>
        <p>
          <button type="submit">{submitLabel}</button>
        </p>
      </Form>
    </>
  )
}
