// Staff page of one event: what it is and where it stands (seats, waitlist, approvals, registrations per day), its
// messages to attendees (reminders, updates, follow-up, feedback), links to its registrations, check-in and
// attendance pages, the actions (publish, duplicate, cancel after confirmation) and the edit form.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import editorStyles from '~/components/campaign-editor/editor.css?url'
import { EventForm } from '~/components/event-form.tsx'
import eventStyles from '~/components/event-form.css?url'
import { ActionOutcome } from '~/components/form-errors.tsx'
import { EventMessagesSummary } from '~/components/event-messages-summary.tsx'
import { EventRegistrationsChart } from '~/components/event-registrations-chart.tsx'
import { formatDateTime } from '~/i18n.ts'
import { eventRegistrationFigures, registrationsPerDay } from '~/models/event-dashboard.server.ts'
import { eventToFormValues, fieldError, type EventFormValues } from '~/models/event-form-schema.ts'
import { readEventForm } from '~/models/event-form.server.ts'
import { eventScheduleSummary, scheduleSummaryView } from '~/models/event-schedule-summary.server.ts'
import { duplicateEvent, EventError, getEventForStaff, listSeriesChoices, setEventPublished, updateEvent } from '~/models/event.server.ts'
import { cancelEvent } from '~/models/registration.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

// The rich-text field's look comes with the newsletter editor's sheet.
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }, { rel: 'stylesheet', href: eventStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.event.title ?? 'Événement'} · Relais` }]

const notices = ['created', 'saved', 'savedSequence', 'savedNotified', 'duplicated', 'published', 'unpublished', 'cancelledNotice', 'nothingChanged'] as const

/** A count carried in the address after a redirect (anything else reads as 0). */
function readCount(value: string | null): number {
  return value && /^\d{1,7}$/.test(value) ? Number(value) : 0
}

function eventId(params: LoaderFunctionArgs['params']): number {
  const id = Number(params.id)
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 })
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = eventId(params)
  const [event, locale, series] = await Promise.all([getEventForStaff(id), getLocale(request), listSeriesChoices()])
  if (!event) throw new Response('Not Found', { status: 404 })
  const [figures, days, schedule] = await Promise.all([eventRegistrationFigures(event), registrationsPerDay(event), eventScheduleSummary(event)])
  const search = new URL(request.url).searchParams
  const notice = notices.find((key) => key === search.get('notice')) ?? null
  const dayLabel = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
  return {
    // The edit form starts afresh after each save (its rows and fields from the stored event).
    version: event.updatedAt.toISOString(),
    event: { id: event.id, title: event.title, slug: event.slug, kind: event.kind, status: event.status, capacity: event.capacity, joinUrl: event.joinUrl, venueName: event.venueName, venueAddress: event.venueAddress, icalSequence: event.icalSequence, series: event.series },
    when: { start: formatDateTime(event.startsAt, locale, event.timeZone), end: formatDateTime(event.endsAt, locale, event.timeZone) },
    values: eventToFormValues(event),
    figures,
    days: days.map((day) => ({ ...day, label: dayLabel.format(new Date(`${day.day}T00:00:00Z`)) })),
    notice: notice ? { key: notice, count: readCount(search.get('count')), updates: notice.startsWith('saved') ? readCount(search.get('updates')) : null } : null,
    journey: {
      reminderOffsets: event.reminderOffsets,
      joinOpensMinutes: event.joinOpensMinutes,
      followUpDelayMinutes: event.followUpDelayMinutes,
      ownAttendedText: event.followUpAttendedMessage.trim() !== '',
      ownAbsentText: event.followUpAbsentMessage.trim() !== '',
      online: event.kind !== 'IN_PERSON',
    },
    schedule: scheduleSummaryView(schedule, locale, event.timeZone),
    series,
    timeZones: Intl.supportedValuesOf('timeZone'),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = eventId(params)
  const formData = await request.formData()
  const actor = { staffUserId: staff.id }
  const intent = formData.get('intent')
  if (intent === 'publish' || intent === 'unpublish') {
    const { changed } = await setEventPublished(id, intent === 'publish', actor)
    return redirect(`/admin/events/${id}?notice=${changed ? `${intent}ed` : 'nothingChanged'}`)
  }
  if (intent === 'duplicate') {
    const t = await i18next.getFixedT(request)
    const copy = await duplicateEvent(id, actor, t('adminEvents.copyPrefix'))
    return redirect(`/admin/events/${copy.id}?notice=duplicated`)
  }
  if (intent === 'cancel') {
    if (formData.get('confirm') !== 'on') return data({ cancelError: 'adminEvents.page.cancelConfirmRequired', result: null }, { status: 400 })
    const { notified } = await cancelEvent(id, actor)
    return redirect(`/admin/events/${id}?notice=cancelledNotice&count=${notified}`)
  }
  const form = await readEventForm(formData, staff)
  if (!form.ok) return data({ result: form.reply, cancelError: null }, { status: 400 })
  try {
    const outcome = await updateEvent(id, form.value, actor, { notify: formData.get('notify') === 'on' })
    const notice = outcome.calendarChanged ? 'savedSequence' : outcome.sequenceBumped ? 'savedNotified' : 'saved'
    return redirect(`/admin/events/${id}?notice=${notice}&updates=${outcome.updatesQueued}`)
  } catch (error) {
    if (!(error instanceof EventError)) throw error
    if (error.messageKey === 'adminEvents.errors.notFound') throw new Response('Not Found', { status: 404 })
    return data({ result: form.submission.reply({ fieldErrors: { [error.field ?? '']: [fieldError(error.messageKey, error.values)] } }), cancelError: null }, { status: 400 })
  }
}

/** The notice after an action; after a save, who is told about it (the confirmed attendees updated, or nobody). */
function noticeText(t: TFunction, notice: { key: (typeof notices)[number]; count: number; updates: number | null }, sequence: number): string {
  const text = t(`adminEvents.page.${notice.key}`, { count: notice.count, sequence })
  if (notice.updates === null) return text
  return `${text} ${notice.updates > 0 ? t('adminEvents.page.updatesQueued', { count: notice.updates }) : t('adminEvents.page.nobodyNotified')}`
}

export default function EventPage() {
  const { event, version, when, values, figures, days, notice, series, timeZones, journey, schedule } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const result = actionData?.result
  const { t } = useTranslation()
  const base = `/admin/events/${event.id}`
  const cancelled = event.status === 'CANCELLED'
  return (
    <>
      <p>
        <Link to="/admin/events">{t('adminEvents.back')}</Link>
      </p>
      <h1>{event.title}</h1>
      <ActionOutcome notice={notice ? noticeText(t, notice, event.icalSequence) : null} error={actionData?.cancelError ?? null} />
      {cancelled ? <p className="notice">{t('adminEvents.page.cancelled')}</p> : null}
      <section aria-labelledby="event-summary-title" className="event-summary">
        <h2 id="event-summary-title">{t('adminEvents.page.summary')}</h2>
        <dl>
          <dt>{t('adminEvents.page.when')}</dt>
          <dd>
            {when.start} → {when.end}
          </dd>
          <dt>{t('adminEvents.page.kind')}</dt>
          <dd>{t(`adminEvents.kind.${event.kind}`)}</dd>
          <dt>{t('adminEvents.page.status')}</dt>
          <dd>{t(`adminEvents.status.${event.status}`)}</dd>
          {event.venueAddress ? (
            <>
              <dt>{t('adminEvents.page.venue')}</dt>
              <dd>{[event.venueName, event.venueAddress].filter(Boolean).join(', ')}</dd>
            </>
          ) : null}
          {event.kind !== 'IN_PERSON' ? (
            <>
              <dt>{t('adminEvents.page.joinUrl')}</dt>
              <dd>{event.joinUrl ? <code>{event.joinUrl}</code> : t('adminEvents.page.noJoinUrl')}</dd>
            </>
          ) : null}
          <dt>{t('adminEvents.page.capacity')}</dt>
          <dd>
            {event.capacity === null ? t('adminEvents.page.registrationsNoCapacity', { confirmed: figures.confirmed }) : t('adminEvents.page.registrations', { confirmed: figures.confirmed, capacity: event.capacity })}
            <br />
            {t('adminEvents.page.waitlist', { count: figures.waitlisted })}
            <br />
            {t('adminEvents.page.pending', { count: figures.pending })}
          </dd>
          {event.series ? (
            <>
              <dt>{t('adminEvents.page.series')}</dt>
              <dd>
                <Link to={`/admin/series/${event.series.id}`}>{event.series.title}</Link>
              </dd>
            </>
          ) : null}
          <dt>{t('adminEvents.page.publicPage')}</dt>
          <dd>
            <a href={`/events/${event.slug}`}>/events/{event.slug}</a>
          </dd>
        </dl>
        <p className="hint">{t('adminEvents.page.sequence', { sequence: event.icalSequence })}</p>
      </section>
      <nav aria-labelledby="event-manage-title">
        <h2 id="event-manage-title">{t('adminEvents.page.manage')}</h2>
        <ul>
          <li>
            <Link to={`${base}/registrations`}>{t('adminEvents.page.registrationsLink')}</Link>
          </li>
          <li>
            <Link to={`${base}/checkin`}>{t('adminEvents.page.checkinLink')}</Link>
          </li>
          <li>
            <Link to={`${base}/attendance`}>{t('adminEvents.page.attendanceLink')}</Link>
          </li>
        </ul>
      </nav>
      <EventMessagesSummary eventId={event.id} settings={journey} summary={schedule} />
      <EventRegistrationsChart days={days} />
      <section aria-labelledby="event-actions-title">
        <h2 id="event-actions-title">{t('adminEvents.page.actions')}</h2>
        {!cancelled ? (
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value={event.status === 'DRAFT' ? 'publish' : 'unpublish'}>
              {t(event.status === 'DRAFT' ? 'adminEvents.page.publish' : 'adminEvents.page.unpublish')}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <CsrfInput />
          <p className="hint" id="duplicate-hint">
            {t('adminEvents.page.duplicateHint')}
          </p>
          <button type="submit" name="intent" value="duplicate" className="secondary" aria-describedby="duplicate-hint">
            {t('adminEvents.page.duplicate')}
          </button>
        </Form>
        {!cancelled ? (
          <Form method="post">
            <CsrfInput />
            <fieldset>
              <legend>{t('adminEvents.page.cancel')}</legend>
              <p className="hint">{t('adminEvents.page.cancelHint')}</p>
              <input type="checkbox" id="cancel-confirm" name="confirm" value="on" required aria-describedby={actionData?.cancelError ? 'cancel-error' : undefined} />{' '}
              <label htmlFor="cancel-confirm">{t('adminEvents.page.cancelConfirm')}</label>
              {actionData?.cancelError ? (
                <p id="cancel-error" className="field-error">
                  {t(actionData.cancelError)}
                </p>
              ) : null}
              <p>
                <button type="submit" name="intent" value="cancel" className="danger">
                  {t('adminEvents.page.cancel')}
                </button>
              </p>
            </fieldset>
          </Form>
        ) : null}
      </section>
      <section aria-labelledby="event-edit-title">
        <h2 id="event-edit-title">{t('adminEvents.page.edit')}</h2>
        <EventForm
          key={version}
          values={(result?.initialValue as EventFormValues | null | undefined) ?? values}
          errors={result?.error ?? {}}
          timeZones={timeZones}
          series={series}
          submitLabel={t('adminEvents.form.save')}
          cancelled={cancelled}
          editing
          followUpSentAt={schedule.followUp.state === 'sent' ? schedule.followUp.at : null}
        />
      </section>
    </>
  )
}
