// Owns the repeated rows of the staff event form: custom questions (ids kept across edits through a hidden field)
// speakers and resources (documents, links). Without JavaScript the saved rows come with two blank ones; with it, a button adds a row.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldMessage, fieldProps, type FormErrorMap } from '~/components/event-form-fields.tsx'
import { questionTypes } from '~/models/event-schema.ts'
import type { EventFormValues } from '~/models/event-form-schema.ts'

type QuestionValues = NonNullable<EventFormValues['questions']>[number]
type SpeakerValues = NonNullable<EventFormValues['speakers']>[number]
type ResourceValues = NonNullable<EventFormValues['resources']>[number]

const BLANK_ROWS = 2

export function EventQuestionsFieldset({ questions, errors, enhanced }: { questions: QuestionValues[]; errors: FormErrorMap; enhanced: boolean }) {
  const { t } = useTranslation()
  const [count, setCount] = useState(questions.length + BLANK_ROWS)
  return (
    <fieldset id="event-questions">
      <legend>{t('adminEvents.form.questions')}</legend>
      <p className="hint" id="event-questions-hint">
        {t('adminEvents.form.questionsHint')}
      </p>
      <FieldMessage name="questions" errors={errors} />
      {Array.from({ length: count }, (_, index) => {
        const question = questions[index]
        const name = (field: string) => `questions[${index}].${field}`
        return (
          <fieldset key={index} className="event-form-row">
            <legend>{t('adminEvents.form.question', { number: index + 1 })}</legend>
            {question?.id ? <input type="hidden" name={name('id')} value={question.id} /> : null}
            <div>
              <label htmlFor={fieldProps(name('label'), errors).id}>{t('adminEvents.form.questionLabel')}</label>
              <input {...fieldProps(name('label'), errors)} type="text" maxLength={300} defaultValue={question?.label ?? ''} />
              <FieldMessage name={name('label')} errors={errors} />
            </div>
            <div>
              <label htmlFor={fieldProps(name('type'), errors).id}>{t('adminEvents.form.questionType')}</label>
              <select {...fieldProps(name('type'), errors)} defaultValue={question?.type ?? 'short_text'}>
                {questionTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`adminEvents.form.questionTypes.${type}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <input {...fieldProps(name('required'), errors)} type="checkbox" defaultChecked={question?.required === 'on'} />{' '}
              <label htmlFor={fieldProps(name('required'), errors).id}>{t('adminEvents.form.questionRequired')}</label>
            </div>
            <div>
              <label htmlFor={fieldProps(name('options'), errors).id}>{t('adminEvents.form.questionOptions')}</label>
              <textarea {...fieldProps(name('options'), errors)} rows={3} defaultValue={question?.options ?? ''} />
              <FieldMessage name={name('options')} errors={errors} />
            </div>
            {question?.id ? (
              <div>
                <input {...fieldProps(name('remove'), errors)} type="checkbox" />{' '}
                <label htmlFor={fieldProps(name('remove'), errors).id}>{t('adminEvents.form.questionRemove')}</label>
              </div>
            ) : null}
          </fieldset>
        )
      })}
      {enhanced ? (
        <button type="button" className="secondary" onClick={() => setCount((value) => Math.min(value + 1, 22))}>
          {t('adminEvents.form.addQuestion')}
        </button>
      ) : null}
    </fieldset>
  )
}

export function EventSpeakersFieldset({ speakers, errors, enhanced }: { speakers: SpeakerValues[]; errors: FormErrorMap; enhanced: boolean }) {
  const { t } = useTranslation()
  const [count, setCount] = useState(speakers.length + BLANK_ROWS)
  return (
    <fieldset id="event-speakers">
      <legend>{t('adminEvents.form.speakers')}</legend>
      <FieldMessage name="speakers" errors={errors} />
      {Array.from({ length: count }, (_, index) => {
        const speaker = speakers[index]
        const name = (field: string) => `speakers[${index}].${field}`
        return (
          <fieldset key={index} className="event-form-row">
            <legend>{t('adminEvents.form.speaker', { number: index + 1 })}</legend>
            {(['name', 'role'] as const).map((field) => (
              <div key={field}>
                <label htmlFor={fieldProps(name(field), errors).id}>{t(field === 'name' ? 'adminEvents.form.speakerName' : 'adminEvents.form.speakerRole')}</label>
                <input {...fieldProps(name(field), errors)} type="text" maxLength={field === 'name' ? 120 : 200} defaultValue={speaker?.[field] ?? ''} />
                <FieldMessage name={name(field)} errors={errors} />
              </div>
            ))}
          </fieldset>
        )
      })}
      {enhanced ? (
        <button type="button" className="secondary" onClick={() => setCount((value) => Math.min(value + 1, 22))}>
          {t('adminEvents.form.addSpeaker')}
        </button>
      ) : null}
    </fieldset>
  )
}

export function EventResourcesFieldset({ resources, errors, enhanced }: { resources: ResourceValues[]; errors: FormErrorMap; enhanced: boolean }) {
  const { t } = useTranslation()
  const [count, setCount] = useState(resources.length + BLANK_ROWS)
  return (
    <fieldset id="event-resources">
      <legend>{t('adminEvents.form.resources')}</legend>
      <p className="hint" id="event-resources-hint">
        {t('adminEvents.form.resourcesHint')}
      </p>
      <FieldMessage name="resources" errors={errors} />
      {Array.from({ length: count }, (_, index) => {
        const resource = resources[index]
        const name = (field: string) => `resources[${index}].${field}`
        return (
          <fieldset key={index} className="event-form-row">
            <legend>{t('adminEvents.form.resource', { number: index + 1 })}</legend>
            {(['label', 'url'] as const).map((field) => (
              <div key={field}>
                <label htmlFor={fieldProps(name(field), errors).id}>{t(field === 'label' ? 'adminEvents.form.resourceLabel' : 'adminEvents.form.resourceUrl')}</label>
                <input {...fieldProps(name(field), errors)} type={field === 'url' ? 'url' : 'text'} maxLength={field === 'label' ? 200 : 2000} defaultValue={resource?.[field] ?? ''} />
                <FieldMessage name={name(field)} errors={errors} />
              </div>
            ))}
          </fieldset>
        )
      })}
      {enhanced ? (
        <button type="button" className="secondary" onClick={() => setCount((value) => Math.min(value + 1, 12))}>
          {t('adminEvents.form.addResource')}
        </button>
      ) : null}
    </fieldset>
  )
}
