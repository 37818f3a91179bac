// Staff page that creates a series (cycle), then opens it to add or generate its sessions.
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AdminSeriesForm } from '~/components/admin-series-form.tsx'
import { seriesSchema } from '~/models/series-schema.ts'
import { createSeries, SeriesError } from '~/models/series.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Nouveau cycle · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const submission = parseWithZod(await request.formData(), { schema: seriesSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const id = await createSeries(submission.value, staff)
    return redirect(`/admin/series/${id}?created=1`)
  } catch (error) {
    if (!(error instanceof SeriesError) || !error.field) throw error
    return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 })
  }
}

export default function NewSeriesPage() {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to="/admin/series">{t('adminSeries.back')}</Link>
      </p>
      <h1>{t('adminSeries.create')}</h1>
      <AdminSeriesForm lastResult={actionData?.result} submitLabel={t('adminSeries.form.create')} />
    </>
  )
}
