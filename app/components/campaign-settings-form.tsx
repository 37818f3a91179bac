// Owns the settings form of a campaign (conform + the shared zod schema): name, subject, preheader, sender,
// audience (lists and an optional segment, with a live estimate of the recipients) and language. Works without JS.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FormErrors } from '~/components/form-errors.tsx'
import { campaignSettingsSchema, isMessageKey, type CampaignSettings, type CampaignSettingsInput } from '~/models/campaign-schema.ts'
import { mergeFieldNames } from '#emails/campaign/blocks.ts'

type Choice = { id: number; name: string }
export type SettingsChoices = { senders: Array<Choice & { email: string }>; lists: Choice[]; segments: Choice[] }
export type SettingsDefaults = { name: string; subject: string; preheader: string; senderIdentityId: number | null; listIds: number[]; segmentId: number | null; locale: string }

/** A field's errors: i18n keys are translated, the merge-field rules' French sentences are shown as they are. */
export function CampaignFieldError({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation()
  if (!errors?.length) return null
  return (
    <p id={id} className="field-error">
      {errors.map((error) => (isMessageKey(error) ? t(error) : error)).join(' ')}
    </p>
  )
}

export function CampaignSettingsForm({ lastResult, defaults, choices, estimate, disabled }: { lastResult?: SubmissionResult<string[]>; defaults: SettingsDefaults; choices: SettingsChoices; estimate: number; disabled?: boolean }) {
  const { t } = useTranslation()
  const [liveEstimate, setLiveEstimate] = useState<number | null>(null)
  const estimating = useRef<AbortController | null>(null)
  const [form, fields] = useForm<CampaignSettingsInput, CampaignSettings>({
    id: 'campaign-settings',
    lastResult,
    constraint: getZodConstraint(campaignSettingsSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    defaultValue: {
      name: defaults.name,
      subject: defaults.subject,
      preheader: defaults.preheader,
      senderIdentityId: defaults.senderIdentityId ? String(defaults.senderIdentityId) : '',
      listIds: defaults.listIds.map(String),
      segmentId: defaults.segmentId ? String(defaults.segmentId) : '',
      locale: defaults.locale,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignSettingsSchema }),
  })
  const described = (id: string, hasError: boolean, hint?: string) => [hint ?? '', hasError ? id : ''].filter(Boolean).join(' ') || undefined
  const text = (name: 'name' | 'subject' | 'preheader', hint?: string) => {
    const field = fields[name]
    const hintId = hint ? `${field.id}-hint` : undefined
    return (
      <div>
        <label htmlFor={field.id}>{t(`campaigns.form.${name}`)}</label>
        {hint ? (
          <p id={hintId} className="hint">
            {hint}
          </p>
        ) : null}
        <input {...getInputProps(field, { type: 'text' })} aria-describedby={described(field.errorId, Boolean(field.errors), hintId)} />
        <CampaignFieldError id={field.errorId} errors={field.errors} />
      </div>
    )
  }
  const refreshEstimate = (formElement: HTMLFormElement) => {
    const data = new FormData(formElement)
    const query = new URLSearchParams()
    for (const id of data.getAll('listIds')) query.append('list', String(id))
    const segment = data.get('segmentId')
    if (segment) query.set('segment', String(segment))
    // Only the latest choice counts: an earlier request still on its way is dropped.
    estimating.current?.abort()
    const controller = new AbortController()
    estimating.current = controller
    fetch(`/admin/campaigns/estimate?${query}`, { signal: controller.signal })
      .then((response) => (response.ok ? (response.json() as Promise<{ count: number }>) : null))
      .then((result) => {
        if (result && !controller.signal.aborted) setLiveEstimate(result.count)
      })
      .catch(() => undefined)
  }
  const count = liveEstimate ?? estimate
  const mergeHint = t('campaigns.form.mergeHint', { fields: mergeFieldNames.join(', ') })
  return (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form
        method="post"
        className="stack"
        {...getFormProps(form)}
        onChange={(event) => {
          const target = event.target as HTMLInputElement
          if (target.name === 'listIds' || target.name === 'segmentId') refreshEstimate(event.currentTarget)
        }}
      >
        <CsrfInput />
        <fieldset disabled={disabled} style={{ border: 0, padding: 0, display: 'grid', gap: '1rem' }}>
          {text('name', t('campaigns.form.nameHint'))}
          {text('subject', mergeHint)}
          {text('preheader', t('campaigns.form.preheaderHint'))}
          <div>
            <label htmlFor={fields.senderIdentityId.id}>{t('campaigns.form.sender')}</label>
            <select {...getSelectProps(fields.senderIdentityId)} aria-describedby={described(fields.senderIdentityId.errorId, Boolean(fields.senderIdentityId.errors))}>
              <option value="">{t('campaigns.form.chooseSender')}</option>
              {choices.senders.map((sender) => (
                <option key={sender.id} value={sender.id}>
                  {`${sender.name} <${sender.email}>`}
                </option>
              ))}
            </select>
            <CampaignFieldError id={fields.senderIdentityId.errorId} errors={fields.senderIdentityId.errors} />
          </div>
          <fieldset aria-describedby={described(fields.listIds.errorId, Boolean(fields.listIds.errors), 'campaign-estimate')}>
            <legend>{t('campaigns.form.lists')}</legend>
            {choices.lists.length === 0 ? <p>{t('campaigns.form.noLists')}</p> : null}
            {choices.lists.map((list) => (
              <div key={list.id}>
                <input type="checkbox" id={`list-${list.id}`} name="listIds" value={list.id} defaultChecked={defaults.listIds.includes(list.id)} />
                <label htmlFor={`list-${list.id}`}>{list.name}</label>
              </div>
            ))}
            <CampaignFieldError id={fields.listIds.errorId} errors={fields.listIds.errors} />
          </fieldset>
          <div>
            <label htmlFor={fields.segmentId.id}>{t('campaigns.form.segment')}</label>
            <p id={`${fields.segmentId.id}-hint`} className="hint">
              {t('campaigns.form.segmentHint')}
            </p>
            <select {...getSelectProps(fields.segmentId)} aria-describedby={described(fields.segmentId.errorId, Boolean(fields.segmentId.errors), `${fields.segmentId.id}-hint`)}>
              <option value="">{t('campaigns.form.noSegment')}</option>
              {choices.segments.map((segment) => (
                <option key={segment.id} value={segment.id}>
                  {segment.name}
                </option>
              ))}
            </select>
            <CampaignFieldError id={fields.segmentId.errorId} errors={fields.segmentId.errors} />
          </div>
          <p id="campaign-estimate" role="status" data-estimate={count}>
            {t('campaigns.form.estimate', { count })}
          </p>
          <div>
            <label htmlFor={fields.locale.id}>{t('campaigns.form.locale')}</label>
            <select {...getSelectProps(fields.locale)}>
              <option value="fr">{t('campaigns.form.localeFr')}</option>
              <option value="en">{t('campaigns.form.localeEn')}</option>
            </select>
          </div>
          <div>
            <button type="submit" name="intent" value="settings">
              {t('campaigns.form.save')}
            </button>
          </div>
        </fieldset>
      </Form>
    </>
  )
}
