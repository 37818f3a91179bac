// The preference centre's profile form: names, organisation, actor type, territory, language. Checked by the
// shared contact profile schema on the server (works without JavaScript) and again in the browser when it runs.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldError } from '~/components/form-errors.tsx'
import { actorTypes, contactProfileSchema as schema, profileLocales } from '~/models/contact-schema.ts'

export interface ProfileValues {
  firstName: string
  lastName: string
  organization: string
  actorType: string
  territory: string
  locale: string
}

export function PreferencesProfileForm({ defaults, lastResult }: { defaults: ProfileValues; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'profile',
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  const labels = {
    firstName: t('preferences.profile.firstName'),
    lastName: t('preferences.profile.lastName'),
    organization: t('preferences.profile.organization'),
    actorType: t('preferences.profile.actorType'),
    territory: t('preferences.profile.territory'),
    locale: t('preferences.profile.locale'),
  }
  const problems = (Object.keys(labels) as (keyof typeof labels)[])
    .filter((name) => fields[name].errors?.length)
    .map((name) => ({ id: fields[name].id, text: `${labels[name]} : ${(fields[name].errors ?? []).map((error) => t(error)).join(' ')}` }))
  // Errors found by the server: move focus to their summary so that a screen reader reads it first.
  useEffect(() => {
    if (lastResult?.status === 'error') document.getElementById(form.errorId)?.focus()
  }, [lastResult, form.errorId])
  const text = (field: (typeof fields)['firstName'], label: string, autoComplete: string) => (
    <div>
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type: 'text' })} autoComplete={autoComplete} />
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  )
  return (
    <>
      {problems.length > 0 ? (
        // Each problem names its field and links to it (RGAA 11.10–11.11).
        <div id={form.errorId} className="error-summary" role="alert" tabIndex={-1}>
          <p>{t('preferences.profile.fixErrors')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem.id}>
                <a href={`#${problem.id}`}>{problem.text}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="profile" />
        {text(fields.firstName, labels.firstName, 'given-name')}
        {text(fields.lastName, labels.lastName, 'family-name')}
        {text(fields.organization, labels.organization, 'organization')}
        <div>
          <label htmlFor={fields.actorType.id}>{t('preferences.profile.actorType')}</label>
          <select {...getSelectProps(fields.actorType)}>
            <option value="">{t('preferences.profile.actorTypeNone')}</option>
            {actorTypes.map((type) => (
              <option key={type} value={type}>
                {t(`preferences.actorTypes.${type}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.actorType.errorId} errors={fields.actorType.errors} />
        </div>
        <div>
          <label htmlFor={fields.territory.id}>{t('preferences.profile.territory')}</label>
          <p id={`${fields.territory.id}-hint`} style={{ margin: '0 0 .25rem' }}>
            {t('preferences.profile.territoryHint')}
          </p>
          <input
            {...getInputProps(fields.territory, { type: 'text' })}
            aria-describedby={[`${fields.territory.id}-hint`, fields.territory.errors ? fields.territory.errorId : null].filter(Boolean).join(' ')}
          />
          <FieldError id={fields.territory.errorId} errors={fields.territory.errors} />
        </div>
        <div>
          <label htmlFor={fields.locale.id}>{t('preferences.profile.locale')}</label>
          <select {...getSelectProps(fields.locale)}>
            {profileLocales.map((locale) => (
              <option key={locale} value={locale}>
                {t(`preferences.locales.${locale}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.locale.errorId} errors={fields.locale.errors} />
        </div>
        <p>
          <button type="submit">{t('preferences.profile.save')}</button>
        </p>
      </Form>
    </>
  )
}
