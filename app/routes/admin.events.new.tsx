// Staff page that creates an event (draft or published), then shows its page.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import editorStyles from '~/components/campaign-editor/editor.css?url'
import { EventForm } from '~/components/event-form.tsx'
import eventStyles from '~/components/event-form.css?url'
import { fieldError, newEventFormValues, newSessionFormValues, type EventFormValues } from '~/models/event-form-schema.ts'
import { readEventForm } from '~/models/event-form.server.ts'
import { createEvent, EventError, listSeriesChoices, seriesSessionDefaults } from '~/models/event.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { i18next } from '~/utils/i18n.server.ts'

// The rich-text field's look comes with the newsletter editor's sheet.
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }, { rel: 'stylesheet', href: eventStyles }]

export const meta: MetaFunction = () => [{ title: 'Nouvel événement · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  // "Add a session" on a series page: that series preselected with its zone; an unknown or cancelled one is ignored.
  const seriesParam = new URL(request.url).searchParams.get('seriesId')
  const [series, session] = await Promise.all([listSeriesChoices(), seriesParam && /^\d+$/.test(seriesParam) ? seriesSessionDefaults(Number(seriesParam)) : null])
  const t = await i18next.getFixedT(request)
  const values = session ? newSessionFormValues(session, t('adminEvents.sessionTitle', { series: session.seriesTitle })) : newEventFormValues
  return { series, values, timeZones: Intl.supportedValuesOf('timeZone') }
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const form = await readEventForm(await request.formData(), staff)
  if (!form.ok) return data({ result: form.reply }, { status: 400 })
  try {
    const event = await createEvent(form.value, { staffUserId: staff.id })
    return redirect(`/admin/events/${event.id}?notice=created`)
  } catch (error) {
    if (!(error instanceof EventError)) throw error
    return data({ result: form.submission.reply({ fieldErrors: { [error.field ?? '']: [fieldError(error.messageKey, error.values)] } }) }, { status: 400 })
  }
}

export default function NewEventPage() {
  const { series, values, timeZones } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()?.result
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to="/admin/events">{t('adminEvents.back')}</Link>
      </p>
      <h1>{t('adminEvents.createTitle')}</h1>
      <EventForm
        values={(result?.initialValue as EventFormValues | null | undefined) ?? values}
        errors={result?.error ?? {}}
        timeZones={timeZones}
        series={series}
        submitLabel={t('adminEvents.form.create')}
      />
    </>
  )
}
