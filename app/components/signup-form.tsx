// The public sign-up form (the /newsletters page and its embeddable twin): lists as unticked boxes, address,
// optional profile, the consent text shown, a honeypot and the ALTCHA widget (loaded only in the browser; without
// JavaScript the form still posts, and the server applies its stricter no-proof-of-work budget).
import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldError } from '~/components/form-errors.tsx'
import { actorTypes } from '~/models/contact-schema.ts'
import { HONEYPOT_FIELD, signupSchema } from '~/models/signup-schema.ts'
import type {} from 'altcha/types/react'

/** Off-screen rather than display:none, which bots skip. */
const trapStyle = { position: 'absolute', left: '-10000px', width: '1px', height: '1px', overflow: 'hidden' } as const

const inlineLabel = { display: 'inline', marginLeft: '.5rem' } as const

export type SignupList = { slug: string; name: string; description: string; cadence: string }

export interface SignupFormProps {
  action: string
  lists: SignupList[]
  consent: { body: string; hash: string }
  locale: 'fr' | 'en'
  lastResult?: SubmissionResult<string[]> | null
  /** Set with a 429 answer: how many minutes to wait. */
  retryMinutes?: number
}

function useProofOfWorkWidget() {
  useEffect(() => {
    // The web component registers itself on import; the bundle with translations follows <html lang>.
    void import('altcha/i18n')
  }, [])
}

export function SignupForm({ action, lists, consent, locale, lastResult, retryMinutes = 0 }: SignupFormProps) {
  const { t } = useTranslation()
  const summary = useRef<HTMLDivElement>(null)
  useProofOfWorkWidget()
  const [form, fields] = useForm({
    id: 'signup',
    lastResult,
    constraint: getZodConstraint(signupSchema),
    defaultValue: { locale },
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
  })
  const fieldList = [fields.lists, fields.email, fields.firstName, fields.lastName, fields.organization, fields.actorType, fields.territory, fields.locale]
  const fieldErrors = fieldList.filter((field) => field.errors?.length)
  const errorCount = (form.errors?.length ?? 0) + fieldErrors.length
  const errorKey = [...(form.errors ?? []), ...fieldErrors.flatMap((field) => field.errors ?? [])].join('|')
  useEffect(() => {
    // Errors are announced and reachable at once: focus moves to the summary, which links to each field.
    if (errorKey) summary.current?.focus()
  }, [errorKey])
  const firstInputId = (name: string) => (name === fields.lists.name ? `${fields.lists.id}-${lists[0]?.slug ?? ''}` : fieldList.find((field) => field.name === name)?.id)
  return (
    <>
      {errorCount > 0 ? (
        <div ref={summary} id={form.errorId} className="error-summary" role="alert" tabIndex={-1} aria-labelledby="signup-error-title">
          <p id="signup-error-title">
            <strong>{t('signup.errorSummary')}</strong>
          </p>
          <ul>
            {form.errors?.map((error) => <li key={error}>{t(error, { count: retryMinutes })}</li>)}
            {fieldErrors.map((field) => (
              <li key={field.name}>
                <a href={`#${firstInputId(field.name) ?? ''}`}>{(field.errors ?? []).map((error) => t(error)).join(' ')}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={action} className="stack signup-form" {...getFormProps(form)}>
        <fieldset aria-describedby={fields.lists.errors?.length ? fields.lists.errorId : undefined}>
          <legend>{t('signup.listsLegend')}</legend>
          {fields.lists.errors?.length ? (
            <p id={fields.lists.errorId} className="field-error">
              {fields.lists.errors.map((error) => t(error)).join(' ')}
            </p>
          ) : null}
          {getCollectionProps(fields.lists, { type: 'checkbox', options: lists.map((list) => list.slug) }).map((props, index) => {
            const list = lists[index]!
            const id = `${fields.lists.id}-${list.slug}`
            const { key, ...checkbox } = props
            return (
              <div key={key} className="signup-list">
                <input {...checkbox} id={id} aria-describedby={list.description || list.cadence ? `${id}-about` : undefined} />
                <label htmlFor={id} style={inlineLabel}>
                  {list.name}
                </label>
                {list.description || list.cadence ? (
                  <p id={`${id}-about`} className="signup-list-about">
                    {list.cadence ? <span className="card-kicker">{list.cadence} · </span> : null}
                    {list.description}
                  </p>
                ) : null}
              </div>
            )
          })}
        </fieldset>
        <div>
          <label htmlFor={fields.email.id}>{t('signup.email')}</label>
          <p id="signup-email-hint" className="signup-hint">
            {t('signup.emailHint')}
          </p>
          <input {...getInputProps(fields.email, { type: 'email', ariaDescribedBy: 'signup-email-hint' })} autoComplete="email" />
          <FieldError id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <fieldset>
          <legend>{t('signup.profileLegend')}</legend>
          {(['firstName', 'lastName', 'organization'] as const).map((name) => (
            <div key={name}>
              <label htmlFor={fields[name].id}>{t(`signup.${name}`)}</label>
              <input
                {...getInputProps(fields[name], { type: 'text' })}
                autoComplete={name === 'firstName' ? 'given-name' : name === 'lastName' ? 'family-name' : 'organization'}
              />
              <FieldError id={fields[name].errorId} errors={fields[name].errors} />
            </div>
          ))}
          <div>
            <label htmlFor={fields.actorType.id}>{t('signup.actorType')}</label>
            <select {...getSelectProps(fields.actorType)}>
              <option value="">{t('signup.actorTypeNone')}</option>
              {actorTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`signup.actorTypes.${type}`)}
                </option>
              ))}
            </select>
            <FieldError id={fields.actorType.errorId} errors={fields.actorType.errors} />
          </div>
          <div>
            <label htmlFor={fields.territory.id}>{t('signup.territory')}</label>
            <p id="signup-territory-hint" className="signup-hint">
              {t('signup.territoryHint')}
            </p>
            <input {...getInputProps(fields.territory, { type: 'text', ariaDescribedBy: 'signup-territory-hint' })} />
            <FieldError id={fields.territory.errorId} errors={fields.territory.errors} />
          </div>
          <div>
            <label htmlFor={fields.locale.id}>{t('signup.locale')}</label>
            <select {...getSelectProps(fields.locale)}>
              <option value="fr" lang="fr">
                {t('signup.localeFr')}
              </option>
              <option value="en" lang="en">
                {t('signup.localeEn')}
              </option>
            </select>
          </div>
        </fieldset>
        <div className="signup-trap" aria-hidden="true" style={trapStyle}>
          <label htmlFor="signup-website">{t('signup.honeypot')}</label>
          <input id="signup-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <section aria-labelledby="signup-consent-title" className="signup-consent">
          <h2 id="signup-consent-title">{t('signup.consentTitle')}</h2>
          <p>{consent.body}</p>
          <input type="hidden" name={fields.consentTextHash.name} value={consent.hash} />
        </section>
        <altcha-widget challenge="/newsletters/challenge" name="altcha" auto="onload" language={locale === 'en' ? 'en' : 'fr-fr'} suppressHydrationWarning />
        <p>
          <button type="submit">{t('signup.submit')}</button>
        </p>
      </form>
    </>
  )
}

export function SignupReceived({ againHref }: { againHref: string }) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <section className="notice" aria-labelledby="signup-received-title">
      <h2 id="signup-received-title" ref={heading} tabIndex={-1}>
        {t('signup.received.title')}
      </h2>
      <p>{t('signup.received.body')}</p>
      <p>{t('signup.received.hint')}</p>
      <p>
        <a href={againHref}>{t('signup.received.again')}</a>
      </p>
    </section>
  )
}
