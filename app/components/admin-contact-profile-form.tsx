// Owns the staff form that edits a contact's profile (the contact model's schema, errors tied to fields).
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import { actorTypes, contactProfileSchema, profileLocales } from '~/models/contact-schema.ts'

export type ProfileDefaults = {
  firstName: string | null
  lastName: string | null
  organization: string | null
  actorType: string | null
  territory: string | null
  locale: string
}

export function AdminContactProfileForm({ defaults, lastResult }: { defaults: ProfileDefaults; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation()
  const [form, fields] = useForm<z.input<typeof contactProfileSchema>, z.output<typeof contactProfileSchema>>({
    id: 'contact-profile',
    lastResult,
    constraint: getZodConstraint(contactProfileSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: {
      firstName: defaults.firstName ?? '',
      lastName: defaults.lastName ?? '',
      organization: defaults.organization ?? '',
      actorType: defaults.actorType ?? '',
      territory: defaults.territory ?? '',
      locale: defaults.locale === 'en' ? 'en' : 'fr',
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: contactProfileSchema }),
  })
  const text = (name: 'firstName' | 'lastName' | 'organization' | 'territory') => (
    <div>
      <label htmlFor={fields[name].id}>{t(`adminContacts.${name}`)}</label>
      <input {...getInputProps(fields[name], { type: 'text' })} />
      <FieldError id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  )
  return (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="profile" />
        {text('firstName')}
        {text('lastName')}
        {text('organization')}
        <div>
          <label htmlFor={fields.actorType.id}>{t('adminContacts.actorType')}</label>
          <select {...getSelectProps(fields.actorType)}>
            <option value="">—</option>
            {actorTypes.map((type) => (
              <option key={type} value={type}>
                {t(`adminContacts.actorTypes.${type}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.actorType.errorId} errors={fields.actorType.errors} />
        </div>
        {text('territory')}
        <div>
          <label htmlFor={fields.locale.id}>{t('adminContacts.locale')}</label>
          <select {...getSelectProps(fields.locale)}>
            {profileLocales.map((locale) => (
              <option key={locale} value={locale}>
                {t(`adminContacts.locales.${locale}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.locale.errorId} errors={fields.locale.errors} />
        </div>
        <p>
          <button type="submit">{t('adminContacts.save')}</button>
        </p>
      </Form>
    </>
  )
}
