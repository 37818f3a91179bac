// Staff page of one series (cycle): its sessions (date in the series' zone, status, seats, attendance), a link to
// add one by hand, the generation form, the whole-series registrations (cancel one), the attendance rate and the
// details form. Editors and admins alike manage series.
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AdminSeriesForm } from '~/components/admin-series-form.tsx'
import { AdminSeriesGenerateForm, defaultGenerationValues } from '~/components/admin-series-generate.tsx'
import { AdminSeriesRegistrations, AdminSeriesSessions, type SessionRow } from '~/components/admin-series-tables.tsx'
import { ActionOutcome } from '~/components/form-errors.tsx'
import { formatDateTime } from '~/i18n.ts'
import { seriesSchema } from '~/models/series-schema.ts'
import {
  cancelSeriesRegistrationByStaff,
  formatSessionWhen,
  getSeriesForStaff,
  listSeriesRegistrations,
  SeriesError,
  seriesAttendanceOverview,
  updateSeries,
} from '~/models/series.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.series.title ?? 'Cycle'} · Relais` }]

const idSchema = z.coerce.number().int().positive().max(2_147_483_647)

function seriesId(params: LoaderFunctionArgs['params']): number {
  const parsed = idSchema.safeParse(params.id)
  if (!parsed.success) throw new Response('Cycle introuvable', { status: 404 })
  return parsed.data
}

const countParam = (value: string | null) => (value !== null && /^\d{1,3}$/.test(value) ? Number(value) : null)

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = seriesId(params)
  const [locale, series, registrations] = await Promise.all([getLocale(request), getSeriesForStaff(id), listSeriesRegistrations(id)])
  if (!series) throw new Response('Cycle introuvable', { status: 404 })
  const attendance = await seriesAttendanceOverview(id, series.sessions.map((session) => session.id))
  const url = new URL(request.url)
  const sessions: SessionRow[] = series.sessions.map((session) => ({
    id: session.id,
    title: session.title,
    when: formatSessionWhen(session.startsAt, session.endsAt, locale, session.timeZone),
    status: session.status,
    confirmed: session.confirmed,
    capacity: session.capacity,
    attendanceRate: attendance.sessions.get(session.id)?.rate ?? null,
  }))
  return {
    series: { id: series.id, title: series.title, slug: series.slug, status: series.status, timeZone: series.timeZone, description: series.description },
    sessions,
    registrations: registrations.map((registration) => ({
      id: registration.id,
      name: `${registration.firstName} ${registration.lastName}`.trim() || registration.email,
      email: registration.email,
      organization: registration.organization,
      status: registration.status,
      createdAt: formatDateTime(registration.createdAt, locale, series.timeZone),
    })),
    attendance: { rate: attendance.series.rate, present: attendance.series.present, counted: attendance.series.confirmed },
    created: url.searchParams.get('created') === '1',
    generated: countParam(url.searchParams.get('generated')),
    existing: countParam(url.searchParams.get('existing')),
    generationValues: defaultGenerationValues(series.title),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = seriesId(params)
  const formData = await request.formData()
  if (formData.get('intent') === 'cancel-registration') {
    const registrationId = idSchema.safeParse(formData.get('registrationId'))
    const result = registrationId.success ? await cancelSeriesRegistrationByStaff(id, registrationId.data, staff) : null
    if (!result) return data({ notice: null, error: 'adminSeries.notices.registrationNotFound', count: 0, result: undefined }, { status: 404 })
    return data({ notice: 'adminSeries.notices.registrationCancelled', error: null, count: result.cancelledSessions, result: undefined })
  }
  const submission = parseWithZod(formData, { schema: seriesSchema })
  if (submission.status !== 'success') return data({ notice: null, error: null, count: 0, result: submission.reply() }, { status: 400 })
  try {
    await updateSeries(id, submission.value, staff)
    return data({ notice: 'adminSeries.notices.saved', error: null, count: 0, result: submission.reply() })
  } catch (error) {
    if (!(error instanceof SeriesError)) throw error
    if (!error.field) throw new Response('Cycle introuvable', { status: 404 })
    return data({ notice: null, error: null, count: 0, result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 })
  }
}

export default function SeriesPage() {
  const { series, sessions, registrations, attendance, created, generated, existing, generationValues } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const generationNotice =
    generated === null
      ? null
      : [generated > 0 ? t('adminSeries.generate.created', { count: generated }) : t('adminSeries.generate.createdNone'), existing ? t('adminSeries.generate.skippedExisting', { count: existing }) : '']
          .filter(Boolean)
          .join(' ')
  return (
    <>
      <p>
        <Link to="/admin/series">{t('adminSeries.back')}</Link>
      </p>
      <h1>
        {`${series.title} (${t(`adminSeries.status.${series.status}`)})`}
      </h1>
      <p>
        {t('adminSeries.publicPage')} <a href={`/series/${series.slug}`}>{`/series/${series.slug}`}</a>
      </p>
      {actionData?.notice ? (
        <p className="notice" role="status">
          {t(actionData.notice, { count: actionData.count })}
        </p>
      ) : null}
      <ActionOutcome notice={!actionData && created ? 'adminSeries.notices.created' : null} error={actionData?.error} />
      {generationNotice && !actionData ? (
        <p className="notice" role="status">
          {generationNotice}
        </p>
      ) : null}

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('adminSeries.sessions.title')}</h2>
        <p>
          <Link className="button" to={`/admin/events/new?seriesId=${series.id}`}>
            {t('adminSeries.sessions.add')}
          </Link>
        </p>
        <AdminSeriesSessions sessions={sessions} timeZone={series.timeZone} />
      </section>

      <section aria-labelledby="attendance-title">
        <h2 id="attendance-title">{t('adminSeries.attendance.title')}</h2>
        <p>
          {attendance.rate === null
              ? t('adminSeries.attendance.none')
              : t('adminSeries.attendance.rate', { rate: `${Math.round(attendance.rate * 100)} %`, present: attendance.present, counted: attendance.counted })}
        </p>
      </section>

      <section aria-labelledby="generate-title">
        <h2 id="generate-title">{t('adminSeries.generate.title')}</h2>
        <p>{t('adminSeries.generate.intro')}</p>
        <AdminSeriesGenerateForm action={`/admin/series/${series.id}/generate`} values={generationValues} timeZone={series.timeZone} />
      </section>

      <section aria-labelledby="registrations-title">
        <h2 id="registrations-title">{t('adminSeries.registrations.title')}</h2>
        <AdminSeriesRegistrations registrations={registrations} />
      </section>

      <section aria-labelledby="details-title">
        <h2 id="details-title">{t('adminSeries.details')}</h2>
        <AdminSeriesForm
          lastResult={actionData?.result}
          defaults={{ title: series.title, slug: series.slug, description: series.description, timeZone: series.timeZone, status: series.status }}
          submitLabel={t('adminSeries.form.save')}
        />
      </section>
    </>
  )
}
