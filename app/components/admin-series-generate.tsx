// Owns the staff form that generates a series' sessions from a rule (works without JavaScript: every field is
// posted, shown again with its errors), and the preview shown before anything is created.
import { Form } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { MAX_GENERATED_SESSIONS } from '~/models/series-rule.ts'
import { frequencies, isoWeekdays, monthOrdinals, sessionKinds, type GenerationErrors, type GenerationValues } from '~/models/series-schema.ts'

export const GENERATE_FORM_ID = 'series-generate'

export type GenerationPreviewView = {
  digest: string
  timeZone: string
  newCount: number
  sessions: { when: string; title: string; exists: boolean }[]
  excluded: string[]
  nonexistent: { date: string; time: string }[]
  tooMany: boolean
}

export const defaultGenerationValues = (seriesTitle: string): GenerationValues => ({
  fields: {
    frequency: 'weekly',
    interval: '1',
    ordinal: '1',
    monthWeekday: '4',
    monthDay: '1',
    endMode: 'date',
    kind: 'ONLINE',
    titlePattern: `${seriesTitle} — séance {{n}}`,
    waitlistEnabled: 'on',
    status: 'DRAFT',
  },
  weekdays: [],
})

type FieldName = Exclude<keyof GenerationErrors, 'form'>

const fieldOrder: FieldName[] = ['frequency', 'weekdays', 'interval', 'ordinal', 'monthWeekday', 'monthDay', 'firstDate', 'endMode', 'lastDate', 'count', 'startTime', 'endTime', 'exceptions', 'kind', 'titlePattern', 'summary', 'capacity', 'waitlistEnabled', 'joinUrl', 'venueName', 'venueAddress', 'accessNotes', 'status']

const fieldId = (name: string) => `gen-${name}`
const errorId = (name: string) => `gen-${name}-error`

export function AdminSeriesGenerateForm({ action, values, errors, timeZone }: { action: string; values: GenerationValues; errors?: GenerationErrors; timeZone: string }) {
  const { t } = useTranslation()
  const summaryRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (errors) summaryRef.current?.focus()
  }, [errors])
  const value = (name: string) => values.fields[name] ?? ''
  const fieldErrors = (name: FieldName) => errors?.[name]
  const describedBy = (name: FieldName, hint?: boolean) => [hint ? `${fieldId(name)}-hint` : '', fieldErrors(name) ? errorId(name) : ''].filter(Boolean).join(' ') || undefined
  const invalid = (name: FieldName) => (fieldErrors(name) ? true : undefined)
  const errorText = (name: FieldName) => {
    const list = fieldErrors(name)
    if (!list?.length) return null
    return (
      <p id={errorId(name)} className="field-error">
        {list.map((issue) => t(issue.key, issue.values)).join(' ')}
      </p>
    )
  }
  const hint = (name: FieldName, text: string) => (
    <p id={`${fieldId(name)}-hint`} className="hint">
      {text}
    </p>
  )
  const input = (name: FieldName, type: string, options: { hint?: string; label?: string; min?: number; max?: number } = {}) => (
    <div>
      <label htmlFor={fieldId(name)}>{options.label ?? t(`adminSeries.generate.${name}`)}</label>
      {options.hint ? hint(name, options.hint) : null}
      <input id={fieldId(name)} name={name} type={type} defaultValue={value(name)} min={options.min} max={options.max} aria-invalid={invalid(name)} aria-describedby={describedBy(name, Boolean(options.hint))} />
      {errorText(name)}
    </div>
  )
  const summary = errors ? fieldOrder.flatMap((name) => (errors[name] ?? []).map((issue, index) => ({ name, issue, key: `${name}-${index}` }))) : []
  return (
    <Form method="post" action={action} id={GENERATE_FORM_ID} className="stack" noValidate>
      {errors ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>{t('adminSeries.errors.summary')}</p>
          <ul>
            {summary.map(({ name, issue, key }) => (
              <li key={key}>
                <a href={`#${fieldId(name)}`}>{t(issue.key, issue.values)}</a>
              </li>
            ))}
            {(errors.form ?? []).map((issue) => (
              <li key={issue.key}>{t(issue.key, issue.values)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <CsrfInput />
      <fieldset>
        <legend>{t('adminSeries.generate.rule')}</legend>
        <fieldset aria-describedby={describedBy('frequency')}>
          <legend>{t('adminSeries.generate.frequency')}</legend>
          {frequencies.map((frequency, index) => (
            <div key={frequency}>
              <input
                type="radio"
                id={index === 0 ? fieldId('frequency') : `${fieldId('frequency')}-${frequency}`}
                name="frequency"
                value={frequency}
                defaultChecked={value('frequency') === frequency}
              />{' '}
              <label htmlFor={index === 0 ? fieldId('frequency') : `${fieldId('frequency')}-${frequency}`}>
                {t(`adminSeries.generate.${frequency === 'weekly' ? 'weekly' : frequency === 'monthly-weekday' ? 'monthlyWeekday' : 'monthlyDay'}`)}
              </label>
            </div>
          ))}
          {errorText('frequency')}
        </fieldset>
        <fieldset aria-describedby={describedBy('weekdays')}>
          <legend>{t('adminSeries.generate.weekdays')}</legend>
          {isoWeekdays.map((weekday, index) => (
            <span key={weekday} className="inline-choice">
              <input
                type="checkbox"
                id={index === 0 ? fieldId('weekdays') : `${fieldId('weekdays')}-${weekday}`}
                name="weekdays"
                value={weekday}
                defaultChecked={values.weekdays?.includes(String(weekday))}
              />{' '}
              <label htmlFor={index === 0 ? fieldId('weekdays') : `${fieldId('weekdays')}-${weekday}`}>{t(`adminSeries.weekdays.${weekday}`)}</label>{' '}
            </span>
          ))}
          {errorText('weekdays')}
        </fieldset>
        {input('interval', 'number', { hint: t('adminSeries.generate.intervalHint'), min: 1, max: 52 })}
        <div>
          <label htmlFor={fieldId('ordinal')}>{t('adminSeries.generate.ordinal')}</label>
          <select id={fieldId('ordinal')} name="ordinal" defaultValue={value('ordinal')} aria-invalid={invalid('ordinal')} aria-describedby={describedBy('ordinal')}>
            {monthOrdinals.map((ordinal) => (
              <option key={ordinal} value={ordinal}>
                {t(`adminSeries.generate.ordinals.${ordinal}`)}
              </option>
            ))}
          </select>
          {errorText('ordinal')}
        </div>
        <div>
          <label htmlFor={fieldId('monthWeekday')}>{t('adminSeries.generate.monthWeekday')}</label>
          <select id={fieldId('monthWeekday')} name="monthWeekday" defaultValue={value('monthWeekday')} aria-invalid={invalid('monthWeekday')} aria-describedby={describedBy('monthWeekday')}>
            {isoWeekdays.map((weekday) => (
              <option key={weekday} value={weekday}>
                {t(`adminSeries.weekdays.${weekday}`)}
              </option>
            ))}
          </select>
          {errorText('monthWeekday')}
        </div>
        {input('monthDay', 'number', { hint: t('adminSeries.generate.monthDayHint'), min: 1, max: 31 })}
      </fieldset>
      <fieldset>
        <legend>{t('adminSeries.generate.period')}</legend>
        {input('firstDate', 'date')}
        <fieldset aria-describedby={describedBy('endMode')}>
          <legend>{t('adminSeries.generate.endMode')}</legend>
          {(['date', 'count'] as const).map((mode, index) => (
            <div key={mode}>
              <input type="radio" id={index === 0 ? fieldId('endMode') : `${fieldId('endMode')}-${mode}`} name="endMode" value={mode} defaultChecked={value('endMode') === mode} />{' '}
              <label htmlFor={index === 0 ? fieldId('endMode') : `${fieldId('endMode')}-${mode}`}>{t(mode === 'date' ? 'adminSeries.generate.endByDate' : 'adminSeries.generate.endByCount')}</label>
            </div>
          ))}
          {errorText('endMode')}
        </fieldset>
        {input('lastDate', 'date')}
        {input('count', 'number', { label: t('adminSeries.generate.count', { max: MAX_GENERATED_SESSIONS }), min: 1, max: MAX_GENERATED_SESSIONS })}
      </fieldset>
      <fieldset>
        <legend>{t('adminSeries.generate.times', { zone: timeZone })}</legend>
        {input('startTime', 'time')}
        {input('endTime', 'time')}
      </fieldset>
      <div>
        <label htmlFor={fieldId('exceptions')}>{t('adminSeries.generate.exceptions')}</label>
        {hint('exceptions', t('adminSeries.generate.exceptionsHint'))}
        <textarea id={fieldId('exceptions')} name="exceptions" rows={5} defaultValue={value('exceptions')} aria-invalid={invalid('exceptions')} aria-describedby={describedBy('exceptions', true)} />
        {errorText('exceptions')}
      </div>
      <fieldset>
        <legend>{t('adminSeries.generate.template')}</legend>
        <div>
          <label htmlFor={fieldId('kind')}>{t('adminSeries.generate.kind')}</label>
          <select id={fieldId('kind')} name="kind" defaultValue={value('kind')} aria-invalid={invalid('kind')} aria-describedby={describedBy('kind')}>
            {sessionKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`adminSeries.kind.${kind}`)}
              </option>
            ))}
          </select>
          {errorText('kind')}
        </div>
        {input('titlePattern', 'text', { hint: t('adminSeries.generate.titlePatternHint', { n: '{{n}}', date: '{{date}}', cycle: '{{cycle}}' }) })}
        {input('summary', 'text')}
        {input('capacity', 'number', { min: 1 })}
        <div>
          <input type="checkbox" id={fieldId('waitlistEnabled')} name="waitlistEnabled" defaultChecked={value('waitlistEnabled') === 'on'} />{' '}
          <label htmlFor={fieldId('waitlistEnabled')}>{t('adminSeries.generate.waitlistEnabled')}</label>
        </div>
        {input('joinUrl', 'url')}
        {input('venueName', 'text')}
        {input('venueAddress', 'text')}
        {input('accessNotes', 'text')}
        <div>
          <label htmlFor={fieldId('status')}>{t('adminSeries.generate.sessionStatus')}</label>
          {hint('status', t('adminSeries.generate.sessionStatusHint'))}
          <select id={fieldId('status')} name="status" defaultValue={value('status')} aria-invalid={invalid('status')} aria-describedby={describedBy('status', true)}>
            {(['DRAFT', 'PUBLISHED'] as const).map((status) => (
              <option key={status} value={status}>
                {t(`adminSeries.sessionStatus.${status}`)}
              </option>
            ))}
          </select>
          {errorText('status')}
        </div>
      </fieldset>
      <p>
        <button type="submit" name="intent" value="preview">
          {t('adminSeries.generate.preview')}
        </button>
      </p>
    </Form>
  )
}

/** The sessions a rule would create, the dates it leaves out and why, and the button that creates them. */
export function AdminSeriesPreview({ preview, notice }: { preview: GenerationPreviewView; notice?: string | null }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="preview-title" className="stack">
      <h2 id="preview-title">{t('adminSeries.generate.previewTitle')}</h2>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {preview.tooMany ? <p className="warning">{t('adminSeries.generate.tooMany', { max: MAX_GENERATED_SESSIONS })}</p> : null}
      <p>{preview.newCount > 0 ? t('adminSeries.generate.previewIntro', { count: preview.newCount, zone: preview.timeZone }) : t('adminSeries.generate.previewNone')}</p>
      {preview.sessions.length ? (
        <ol className="series-preview">
          {preview.sessions.map((session) => (
            <li key={session.when} data-exists={session.exists ? 'true' : undefined}>
              <strong>{session.title}</strong>
              {` — ${session.when}${session.exists ? ` (${t('adminSeries.generate.alreadyThere')})` : ''}`}
            </li>
          ))}
        </ol>
      ) : null}
      {preview.nonexistent.length ? (
        <>
          <h3>{t('adminSeries.generate.nonexistentTitle')}</h3>
          <ul>
            {preview.nonexistent.map((item) => (
              <li key={item.date}>{t('adminSeries.generate.nonexistent', { date: item.date, time: item.time, zone: preview.timeZone })}</li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.excluded.length ? (
        <>
          <h3>{t('adminSeries.generate.excludedTitle')}</h3>
          <ul>
            {preview.excluded.map((date) => (
              <li key={date}>{date}</li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.newCount > 0 ? (
        <p>
          <input type="hidden" name="previewDigest" value={preview.digest} form={GENERATE_FORM_ID} />
          <button type="submit" name="intent" value="generate" form={GENERATE_FORM_ID}>
            {t('adminSeries.generate.confirm', { count: preview.newCount })}
          </button>
        </p>
      ) : null}
    </section>
  )
}
