// Segment form (/admin/segments/new and /admin/segments/<id>): criteria as checkboxes and selects, a live count
// (a fetcher asks /admin/segments/count as criteria change; without JavaScript the "Compter" button does), save.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ZodIssue } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import {
  actorTypes,
  contactStatuses,
  filterFields as f,
  filterToSearchParams,
  readFilterFields,
  segmentDetailsSchema,
  segmentFilterSchema,
  subscriptionStatuses,
} from '~/models/segment-filter.ts'
import { countSegmentMatches, createSegment, getSegment, SegmentError, segmentFormChoices, updateSegment } from '~/models/segment.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import type { SegmentCountAnswer } from './admin.segments.count.tsx'
import { CsvExportLinks } from '~/components/csv-export-links.tsx'

export const meta: MetaFunction = () => [{ title: 'Segment · Relais' }]

/** "new" or a segment id; anything else is a 404. */
function segmentIdOf(param: string | undefined): number | null {
  if (param === 'new') return null
  const id = Number(param)
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Segment introuvable', { status: 404 })
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = segmentIdOf(params.id)
  const segment = id === null ? null : await getSegment(id).catch((error: unknown) => (error instanceof SegmentError ? null : Promise.reject(error)))
  if (id !== null && !segment) throw new Response('Segment introuvable', { status: 404 })
  const filter = segment?.filter ?? segmentFilterSchema.parse({})
  const [choices, count] = await Promise.all([segmentFormChoices(), countSegmentMatches(filter)])
  return {
    segment: segment ? { id: segment.id, name: segment.name, description: segment.description } : null,
    values: filterToSearchParams(filter).toString(),
    count,
    lists: choices.lists.map((list) => ({ id: list.id, name: list.name, archived: list.archivedAt !== null })),
    events: choices.events.map((event) => ({ id: event.id, label: `${event.title} (${event.startsAt.toISOString().slice(0, 10)})` })),
    series: choices.series,
  }
}

/** Zod issues as i18n keys per form field; a message that is not one of ours reads as the generic sentence. */
function fieldErrors(issues: ZodIssue[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form')
    const message = issue.message.startsWith('segments.') ? issue.message : 'segments.errors.invalid'
    errors[field] = [...(errors[field] ?? []), message]
  }
  return errors
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = segmentIdOf(params.id)
  const formData = await request.formData()
  formData.delete('csrf')
  // Sent back so that a page re-rendered without JavaScript keeps what was ticked.
  const values = new URLSearchParams([...formData].filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString()
  const filter = readFilterFields(formData)
  if (formData.get('intent') === 'count') {
    if (!filter.success) return data({ values, errors: fieldErrors(filter.error.issues), count: null }, { status: 400 })
    return { values, errors: {}, count: await countSegmentMatches(filter.data) }
  }
  const details = segmentDetailsSchema.safeParse({ name: formData.get('name') ?? '', description: formData.get('description') ?? '' })
  if (!filter.success || !details.success) {
    const issues = [...(filter.success ? [] : filter.error.issues), ...(details.success ? [] : details.error.issues)]
    return data({ values, errors: fieldErrors(issues), count: null }, { status: 400 })
  }
  try {
    if (id === null) await createSegment({ ...details.data, filter: filter.data }, staff)
    else await updateSegment(id, { ...details.data, filter: filter.data }, staff)
  } catch (error) {
    if (!(error instanceof SegmentError)) throw error
    return data({ values, errors: { form: [error.messageKey] }, count: null }, { status: 400 })
  }
  return redirect('/admin/segments?saved=1')
}

export default function SegmentPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const values = new URLSearchParams(actionData?.values ?? loaded.values)
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {}
  const name = actionData ? (values.get('name') ?? '') : (loaded.segment?.name ?? '')
  const description = actionData ? (values.get('description') ?? '') : (loaded.segment?.description ?? '')
  const summary = Object.keys(errors).length > 0 ? ['segments.errors.invalid', ...(errors.form ?? [])] : undefined
  const fetcher = useFetcher<SegmentCountAnswer>()
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const summaryRef = useRef<HTMLDivElement>(null)
  useEffect(() => summaryRef.current?.querySelector<HTMLElement>('.error-summary')?.focus(), [actionData])
  useEffect(() => () => clearTimeout(timer.current), [])

  // Criteria changed: ask for the count again after a short pause, so that typing a territory asks once.
  function recount() {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (!formRef.current) return
      const params = new URLSearchParams()
      for (const [key, value] of new FormData(formRef.current)) {
        if (typeof value === 'string' && Object.values<string>(f).includes(key)) params.append(key, value)
      }
      fetcher.load(`/admin/segments/count?${params}`)
    }, 300)
  }

  const live = fetcher.data
  const count = live ? (live.ok ? live : null) : (actionData?.count ?? loaded.count)
  const has = (field: string, value: string) => values.getAll(field).includes(value)
  const describedBy = (field: string) => (errors[field] ? `${field}-error` : undefined)
  return (
    <>
      <p>
        <Link to="/admin/segments">{t('segments.back')}</Link>
      </p>
      <h1>{loaded.segment ? t('segments.editTitle', { name: loaded.segment.name }) : t('segments.newTitle')}</h1>
      {loaded.segment ? <CsvExportLinks kind="segment" id={loaded.segment.id} /> : null}
      <div ref={summaryRef}>
        <FormErrors id="segment-errors" errors={summary} />
      </div>
      <Form method="post" className="stack" ref={formRef} onChange={recount} key={actionData?.values ?? loaded.values}>
        <CsrfInput />
        <div>
          <label htmlFor="segment-name">{t('segments.name')}</label>
          <input id="segment-name" name="name" type="text" required maxLength={120} defaultValue={name} aria-invalid={errors.name ? true : undefined} aria-describedby={describedBy('name')} />
          <FieldError id="name-error" errors={errors.name} />
        </div>
        <div>
          <label htmlFor="segment-description">{t('segments.description')}</label>
          <textarea id="segment-description" name="description" maxLength={500} defaultValue={description} aria-invalid={errors.description ? true : undefined} aria-describedby={describedBy('description')} />
          <FieldError id="description-error" errors={errors.description} />
        </div>
        <h2>{t('segments.criteria')}</h2>
        <fieldset aria-describedby={describedBy('lists')}>
          <legend>{t('segments.lists')}</legend>
          {loaded.lists.length === 0 ? <p>{t('segments.noLists')}</p> : null}
          {loaded.lists.map((list) => (
            <div key={list.id}>
              <input type="checkbox" id={`list-${list.id}`} name={f.listIds} value={list.id} defaultChecked={has(f.listIds, String(list.id))} />{' '}
              <label htmlFor={`list-${list.id}`}>
                {list.name} {list.archived ? t('segments.archived') : null}
              </label>
            </div>
          ))}
          <label htmlFor="list-match">{t('segments.listMatch')}</label>{' '}
          <select id="list-match" name={f.listMatch} defaultValue={values.get(f.listMatch) ?? 'any'}>
            <option value="any">{t('segments.listMatchAny')}</option>
            <option value="all">{t('segments.listMatchAll')}</option>
          </select>{' '}
          <label htmlFor="list-status">{t('segments.listStatus')}</label>{' '}
          <select id="list-status" name={f.listStatus} defaultValue={values.get(f.listStatus) ?? 'CONFIRMED'}>
            {subscriptionStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`segments.listStatuses.${status}`)}
              </option>
            ))}
          </select>
          <FieldError id="lists-error" errors={errors.lists} />
        </fieldset>
        <fieldset>
          <legend>{t('segments.actorTypes')}</legend>
          {actorTypes.map((type) => (
            <div key={type}>
              <input type="checkbox" id={`actor-${type}`} name={f.actorTypes} value={type} defaultChecked={has(f.actorTypes, type)} />{' '}
              <label htmlFor={`actor-${type}`}>{t(`segments.actorTypeLabels.${type}`)}</label>
            </div>
          ))}
        </fieldset>
        <div>
          <label htmlFor="territories">{t('segments.territories')}</label>
          <p id="territories-hint">{t('segments.territoriesHint')}</p>
          <input
            id="territories"
            name={f.territories}
            type="text"
            defaultValue={values.get(f.territories) ?? ''}
            aria-invalid={errors.territories ? true : undefined}
            aria-describedby={['territories-hint', describedBy('territories')].filter(Boolean).join(' ')}
          />
          <FieldError id="territories-error" errors={errors.territories} />
        </div>
        <fieldset aria-describedby="statuses-hint">
          <legend>{t('segments.contactStatuses')}</legend>
          <p id="statuses-hint">{t('segments.contactStatusesHint')}</p>
          {contactStatuses.map((status) => (
            <div key={status}>
              <input type="checkbox" id={`status-${status}`} name={f.contactStatuses} value={status} defaultChecked={has(f.contactStatuses, status)} />{' '}
              <label htmlFor={`status-${status}`}>{t(`segments.contactStatusLabels.${status}`)}</label>
            </div>
          ))}
        </fieldset>
        {([f.subscribedAfter, f.subscribedBefore] as const).map((field) => (
          <div key={field}>
            <label htmlFor={field}>{t(`segments.${field}`)}</label>
            <input id={field} name={field} type="date" defaultValue={values.get(field) ?? ''} aria-invalid={errors[field] ? true : undefined} aria-describedby={describedBy(field)} />
            <FieldError id={`${field}-error`} errors={errors[field]} />
          </div>
        ))}
        <div>
          <label htmlFor="attended">{t('segments.attended')}</label>
          <select id="attended" name={f.attended} defaultValue={values.get(f.attended) ?? 'none'} aria-describedby={describedBy('attended')}>
            <option value="none">{t('segments.attendedNone')}</option>
            <option value="any">{t('segments.attendedAny')}</option>
            {loaded.series.length > 0 ? (
              <optgroup label={t('segments.attendedSeries')}>
                {loaded.series.map((series) => (
                  <option key={series.id} value={`series:${series.id}`}>
                    {series.title}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {loaded.events.length > 0 ? (
              <optgroup label={t('segments.attendedEvents')}>
                {loaded.events.map((event) => (
                  <option key={event.id} value={`event:${event.id}`}>
                    {event.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <FieldError id="attended-error" errors={errors.attended} />
        </div>
        <div className="notice">
          <output id="segment-count" aria-live="polite">
            {fetcher.state === 'loading' ? t('segments.counting') : count ? t('segments.countResult', count) : t('segments.countInvalid')}
          </output>
          <p>{t('segments.countHint')}</p>
          <button type="submit" name="intent" value="count" className="secondary" formNoValidate>
            {t('segments.count')}
          </button>
        </div>
        <p>
          <button type="submit" name="intent" value="save">
            {t('segments.save')}
          </button>
        </p>
      </Form>
    </>
  )
}
