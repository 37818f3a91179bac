// Owns the staff event form (create and edit): plain fields posted as multipart (the cover image travels with the
// form, so it works without JavaScript), errors tied to their field and summarised with links; with JavaScript the
// description gets the newsletter editor's rich-text field and rows can be added to questions and speakers. The
// attendee-journey fieldsets (reminders, join link, follow-up, "tell attendees") come from event-form-journey.tsx.
import { Form } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { RichTextField } from '~/components/campaign-editor/rich-text.tsx'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { EventQuestionsFieldset, EventResourcesFieldset, EventSpeakersFieldset } from '~/components/event-form-lists.tsx'
import { errorText, FieldMessage, fieldProps, Hint, type FormErrorMap } from '~/components/event-form-fields.tsx'
import { EventFollowUpFieldset, EventRemindersFieldsets, NotifyAttendeesField } from '~/components/event-form-journey.tsx'
import { eventKinds, eventLimits, type EventFormValues } from '~/models/event-form-schema.ts'

type Props = {
  values: EventFormValues
  errors: FormErrorMap
  timeZones: string[]
  series: { id: number; title: string }[]
  submitLabel: string
  /** The event is cancelled: its status can no longer change here. */
  cancelled?: boolean
  /** Editing a saved event: offer to tell its attendees about the change. */
  editing?: boolean
  /** When the follow-up went out (its texts no longer matter), as the page shows it. */
  followUpSentAt?: string | null
}

export function EventForm({ values, errors, timeZones, series, submitLabel, cancelled = false, editing = false, followUpSentAt = null }: Props) {
  const { t } = useTranslation()
  const summary = useRef<HTMLDivElement>(null)
  const [enhanced, setEnhanced] = useState(false)
  const [description, setDescription] = useState(values.description ?? '')
  const errorNames = Object.keys(errors).filter((name) => errors[name]?.length)
  useEffect(() => setEnhanced(true), [])
  useEffect(() => {
    if (errorNames.length > 0) summary.current?.focus()
  }, [errors, errorNames.length])

  const text = (name: keyof EventFormValues, options: { hint?: string; required?: boolean; maxLength?: number; type?: string; sharedHintId?: string } = {}) => {
    const props = fieldProps(name, errors, Boolean(options.hint))
    const describedBy = [options.sharedHintId, props['aria-describedby']].filter(Boolean).join(' ') || undefined
    return (
      <div>
        <label htmlFor={props.id}>
          {t(`adminEvents.form.${name}`)}
          {options.required ? ' *' : ''}
        </label>
        {options.hint ? <Hint name={name} text={options.hint} /> : null}
        <input {...props} aria-describedby={describedBy} type={options.type ?? 'text'} defaultValue={String(values[name] ?? '')} required={options.required} maxLength={options.maxLength} />
        <FieldMessage name={name} errors={errors} />
      </div>
    )
  }
  const area = (name: 'summary' | 'accessNotes', maxLength: number, hint?: string) => (
    <div>
      <label htmlFor={fieldProps(name, errors).id}>{t(`adminEvents.form.${name}`)}</label>
      {hint ? <Hint name={name} text={hint} /> : null}
      <textarea {...fieldProps(name, errors, Boolean(hint))} rows={3} maxLength={maxLength} defaultValue={values[name] ?? ''} />
      <FieldMessage name={name} errors={errors} />
    </div>
  )
  const checkbox = (name: 'waitlistEnabled' | 'approvalRequired') => (
    <div>
      <input {...fieldProps(name, errors)} type="checkbox" defaultChecked={values[name] === 'on'} />{' '}
      <label htmlFor={fieldProps(name, errors).id}>{t(`adminEvents.form.${name}`)}</label>
    </div>
  )
  const zones = timeZones.includes(values.timeZone ?? '') || !values.timeZone ? timeZones : [values.timeZone, ...timeZones]

  return (
    <>
      {errorNames.length > 0 ? (
        <div ref={summary} className="error-summary" role="alert" tabIndex={-1} aria-labelledby="event-form-error-title">
          <p id="event-form-error-title">{t('adminEvents.errors.summary')}</p>
          <ul>
            {errorNames.map((name) => (
              <li key={name}>
                <a href={`#${fieldProps(name, errors).id}`}>{(errors[name] ?? []).map((message) => errorText(t, message)).join(' ')}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack" id="event-form" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        <fieldset>
          <legend>{t('adminEvents.form.general')}</legend>
          <fieldset id="event-kind">
            <legend>{t('adminEvents.form.kind')} *</legend>
            {eventKinds.map((kind) => (
              <div key={kind}>
                <input type="radio" id={`event-kind-${kind}`} name="kind" value={kind} defaultChecked={values.kind === kind} aria-describedby={errors.kind?.length ? 'event-kind-error' : undefined} />{' '}
                <label htmlFor={`event-kind-${kind}`}>{t(`adminEvents.kind.${kind}`)}</label>
              </div>
            ))}
            <FieldMessage name="kind" errors={errors} />
          </fieldset>
          {text('title', { required: true, maxLength: eventLimits.title })}
          {area('summary', eventLimits.summary, t('adminEvents.form.summaryHint'))}
          <div>
            {enhanced ? (
              <>
                <RichTextField id="event-description" label={t('adminEvents.form.description')} html={description} describedBy={errors.description?.length ? 'event-description-error' : undefined} invalid={Boolean(errors.description?.length)} onChange={setDescription} />
                <input type="hidden" name="description" value={description} />
              </>
            ) : (
              <>
                <label htmlFor="event-description">{t('adminEvents.form.description')}</label>
                <Hint name="description" text={t('adminEvents.form.descriptionHint')} />
                <textarea {...fieldProps('description', errors, true)} rows={8} defaultValue={values.description ?? ''} />
              </>
            )}
            <FieldMessage name="description" errors={errors} />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('adminEvents.form.when')}</legend>
          {text('startDate', { type: 'date', required: true })}
          {text('startTime', { type: 'time', required: true, hint: t('adminEvents.form.timeHint') })}
          {text('endDate', { type: 'date', hint: t('adminEvents.form.endDateHint') })}
          {text('endTime', { type: 'time', required: true, hint: t('adminEvents.form.timeHint') })}
          <div>
            <label htmlFor="event-timeZone">{t('adminEvents.form.timeZone')}</label>
            <Hint name="timeZone" text={t('adminEvents.form.timeZoneHint')} />
            <select {...fieldProps('timeZone', errors, true)} defaultValue={values.timeZone ?? 'Europe/Paris'}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
            <FieldMessage name="timeZone" errors={errors} />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('adminEvents.form.place')}</legend>
          {text('venueName', { maxLength: eventLimits.venueName })}
          {text('venueAddress', { maxLength: eventLimits.venueAddress, hint: t('adminEvents.form.venueAddressHint') })}
          {area('accessNotes', eventLimits.accessNotes)}
          {text('joinUrl', { type: 'url', maxLength: eventLimits.joinUrl, hint: t('adminEvents.form.joinUrlHint') })}
        </fieldset>

        <fieldset>
          <legend>{t('adminEvents.form.registration')}</legend>
          {text('capacity', { type: 'number', hint: t('adminEvents.form.capacityHint') })}
          {checkbox('waitlistEnabled')}
          {checkbox('approvalRequired')}
          <Hint name="window" text={t('adminEvents.form.windowHint')} />
          {text('opensDate', { type: 'date', sharedHintId: 'event-window-hint' })}
          {text('opensTime', { type: 'time', sharedHintId: 'event-window-hint' })}
          {text('closesDate', { type: 'date', sharedHintId: 'event-window-hint' })}
          {text('closesTime', { type: 'time', sharedHintId: 'event-window-hint' })}
        </fieldset>

        <EventRemindersFieldsets values={values} errors={errors} />

        <EventQuestionsFieldset questions={values.questions ?? []} errors={errors} enhanced={enhanced} />
        <EventSpeakersFieldset speakers={values.speakers ?? []} errors={errors} enhanced={enhanced} />

        <fieldset>
          <legend>{t('adminEvents.form.after')}</legend>
          {text('replayUrl', { type: 'url', maxLength: eventLimits.replayUrl, hint: t('adminEvents.form.replayUrlHint') })}
          <EventResourcesFieldset resources={values.resources ?? []} errors={errors} enhanced={enhanced} />
        </fieldset>
        <EventFollowUpFieldset values={values} errors={errors} sentAt={followUpSentAt} />

        <fieldset>
          <legend>{t('adminEvents.form.presentation')}</legend>
          {text('tags', { hint: t('adminEvents.form.tagsHint') })}
          <div>
            <label htmlFor="event-coverImage">{t('adminEvents.form.cover')}</label>
            <Hint name="coverImage" text={t('adminEvents.form.coverHint')} />
            {values.coverImageUrl ? (
              <p>
                {t('adminEvents.form.coverCurrent')} : <img src={values.coverImageUrl} alt={values.title ?? ''} width={160} />{' '}
                <input type="checkbox" id="event-removeCover" name="removeCover" value="on" /> <label htmlFor="event-removeCover">{t('adminEvents.form.coverRemove')}</label>
              </p>
            ) : null}
            <input type="hidden" id="event-coverImageUrl" name="coverImageUrl" value={values.coverImageUrl ?? ''} />
            <input {...fieldProps('coverImage', errors, true)} type="file" accept="image/png,image/jpeg,image/gif,image/webp" />
            <FieldMessage name="coverImage" errors={errors} />
            <FieldMessage name="coverImageUrl" errors={errors} />
          </div>
          <div>
            <label htmlFor="event-seriesId">{t('adminEvents.form.series')}</label>
            <select {...fieldProps('seriesId', errors)} defaultValue={values.seriesId ?? ''}>
              <option value="">{t('adminEvents.form.noSeries')}</option>
              {series.map((item) => (
                <option key={item.id} value={String(item.id)}>
                  {item.title}
                </option>
              ))}
            </select>
            <FieldMessage name="seriesId" errors={errors} />
          </div>
          <div>
            <label htmlFor="event-status">{t('adminEvents.form.status')}</label>
            <Hint name="status" text={t('adminEvents.form.statusHint')} />
            <select {...fieldProps('status', errors, true)} defaultValue={values.status ?? 'DRAFT'}>
              {(cancelled ? (['CANCELLED'] as const) : (['DRAFT', 'PUBLISHED'] as const)).map((status) => (
                <option key={status} value={status}>
                  {t(`adminEvents.status.${status}`)}
                </option>
              ))}
            </select>
            <FieldMessage name="status" errors={errors} />
          </div>
        </fieldset>
        {editing ? <NotifyAttendeesField values={values} /> : null}
        <p>
          <button type="submit">{submitLabel}</button>
        </p>
      </Form>
    </>
  )
}
