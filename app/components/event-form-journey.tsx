// Owns the attendee-journey fieldsets of the staff event form: reminder boxes and one other delay, the opening of the
// personal join link, the follow-up delay and texts, and (on edit) the "tell attendees" box. Plain fields: the form
// posts them without JavaScript, each error tied to its field.
import { useTranslation } from 'react-i18next'
import { durationText } from '~/components/event-durations.ts'
import { FieldMessage, fieldProps, Hint, type FormErrorMap } from '~/components/event-form-fields.tsx'
import { journeyLimits, reminderChoices, reminderUnits } from '~/models/event-journey-form.ts'
import type { EventFormValues } from '~/models/event-form-schema.ts'

type Props = { values: EventFormValues; errors: FormErrorMap }

/** aria-describedby of a field: its hint, then its error when it has one. */
function describedBy(name: string, errors: FormErrorMap, hint: boolean): string | undefined {
  return fieldProps(name, errors, hint)['aria-describedby']
}

function NumberField({ name, values, errors, min, max, step }: Props & { name: 'joinOpensMinutes' | 'followUpDelayHours'; min: number; max: number; step?: string }) {
  const { t } = useTranslation()
  const props = fieldProps(name, errors, true)
  return (
    <div>
      <label htmlFor={props.id}>{t(`adminEvents.form.${name}`)}</label>
      <Hint name={name} text={t(`adminEvents.form.${name}Hint`)} />
      <input {...props} type="number" inputMode={step ? 'decimal' : 'numeric'} min={min} max={max} step={step} defaultValue={values[name] ?? ''} />
      <FieldMessage name={name} errors={errors} />
    </div>
  )
}

/** "Rappels" (boxes in minutes before the start, one other delay) and "Lien de connexion personnel". */
export function EventRemindersFieldsets({ values, errors }: Props) {
  const { t } = useTranslation()
  const boxesDescribedBy = describedBy('reminders', errors, true)
  const other = fieldProps('reminderOther', errors, true)
  return (
    <>
      {/* Marks the journey fields as sent: without it (an older form) the event's settings stay as they are. */}
      <input type="hidden" name="journeyFields" value="on" />
      <fieldset id="event-reminders">
        <legend>{t('adminEvents.form.reminders')}</legend>
        <Hint name="reminders" text={t('adminEvents.form.remindersHint')} />
        <FieldMessage name="reminders" errors={errors} />
        {reminderChoices(values.reminders).map(({ minutes, checked }) => (
          <div key={minutes}>
            <input type="checkbox" id={`event-reminders-${minutes}`} name="reminders" value={String(minutes)} defaultChecked={checked} aria-describedby={boxesDescribedBy} />{' '}
            <label htmlFor={`event-reminders-${minutes}`}>{t('adminEvents.form.reminderBefore', { duration: durationText(t, minutes) })}</label>
          </div>
        ))}
        <div>
          <label htmlFor={other.id}>{t('adminEvents.form.reminderOther')}</label>
          <Hint name="reminderOther" text={t('adminEvents.form.reminderOtherHint')} />
          <input {...other} type="number" inputMode="numeric" min={1} defaultValue={values.reminderOther ?? ''} />{' '}
          <label htmlFor="event-reminderOtherUnit" className="sr-only">
            {t('adminEvents.form.reminderOtherUnit')}
          </label>
          <select id="event-reminderOtherUnit" name="reminderOtherUnit" defaultValue={values.reminderOtherUnit === 'minutes' ? 'minutes' : 'hours'}>
            {[...reminderUnits].reverse().map((unit) => (
              <option key={unit} value={unit}>
                {t(`adminEvents.form.units.${unit}`)}
              </option>
            ))}
          </select>
          <FieldMessage name="reminderOther" errors={errors} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('adminEvents.form.joinLink')}</legend>
        <NumberField name="joinOpensMinutes" values={values} errors={errors} min={0} max={journeyLimits.joinOpensMax} />
      </fieldset>
    </>
  )
}

/**
 * "Suivi après l'événement": the delay after the end and staff's own texts for those present and absent (read when
 * the follow-up goes out, so editable until then; once it is sent, a note says changing them no longer matters).
 */
export function EventFollowUpFieldset({ values, errors, sentAt }: Props & { sentAt?: string | null }) {
  const { t } = useTranslation()
  const area = (name: 'followUpAttendedMessage' | 'followUpAbsentMessage') => (
    <div>
      <label htmlFor={fieldProps(name, errors).id}>{t(`adminEvents.form.${name}`)}</label>
      <Hint name={name} text={t(`adminEvents.form.${name}Hint`)} />
      <textarea {...fieldProps(name, errors, true)} rows={5} maxLength={journeyLimits.followUpMessage} defaultValue={values[name] ?? ''} />
      <FieldMessage name={name} errors={errors} />
    </div>
  )
  return (
    <fieldset id="event-follow-up">
      <legend>{t('adminEvents.form.followUp')}</legend>
      {sentAt ? <p className="notice">{t('adminEvents.form.followUpSentNote', { at: sentAt })}</p> : null}
      <NumberField name="followUpDelayHours" values={values} errors={errors} min={0} max={journeyLimits.followUpDelayMax / 60} step="any" />
      {area('followUpAttendedMessage')}
      {area('followUpAbsentMessage')}
    </fieldset>
  )
}

/** On edit, by the save button: tell confirmed attendees about a change that would not tell them by itself. */
export function NotifyAttendeesField({ values }: { values: EventFormValues }) {
  const { t } = useTranslation()
  return (
    <div>
      <input type="checkbox" id="event-notify" name="notify" value="on" defaultChecked={values.notify === 'on'} aria-describedby="event-notify-hint" />{' '}
      <label htmlFor="event-notify">{t('adminEvents.form.notify')}</label>
      <Hint name="notify" text={t('adminEvents.form.notifyHint')} />
    </div>
  )
}
