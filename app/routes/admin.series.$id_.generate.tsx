// Staff page that generates a series' sessions from a rule: "preview" shows what would be created (nothing
// written); "generate" creates exactly the previewed sessions (a changed rule is previewed again instead), then
// goes back to the series page.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AdminSeriesGenerateForm, AdminSeriesPreview, defaultGenerationValues, type GenerationPreviewView } from '~/components/admin-series-generate.tsx'
import type { Locale } from '~/i18n.ts'
import { generationValues, parseGenerationForm } from '~/models/series-schema.ts'
import { createSessions, findSeriesHeading, formatLocalDate, formatSessionWhen, generationDigest, previewSessions, type GenerationPreview } from '~/models/series.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.series.title ?? 'Cycle'} · Générer des séances · Relais` }]

const idSchema = z.coerce.number().int().positive().max(2_147_483_647)

function seriesId(params: LoaderFunctionArgs['params']): number {
  const parsed = idSchema.safeParse(params.id)
  if (!parsed.success) throw new Response('Cycle introuvable', { status: 404 })
  return parsed.data
}

async function findSeries(id: number) {
  const series = await findSeriesHeading(id)
  if (!series) throw new Response('Cycle introuvable', { status: 404 })
  return series
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const series = await findSeries(seriesId(params))
  return { series, values: defaultGenerationValues(series.title) }
}

function previewView(preview: GenerationPreview, digest: string, locale: Locale): GenerationPreviewView {
  return {
    digest,
    timeZone: preview.timeZone,
    newCount: preview.sessions.filter((session) => !session.exists).length,
    sessions: preview.sessions.map((session) => ({ when: formatSessionWhen(session.startsAt, session.endsAt, locale, preview.timeZone), title: session.title, exists: session.exists })),
    excluded: preview.excluded.map((date) => formatLocalDate(date, locale)),
    nonexistent: preview.nonexistent.map((item) => ({ date: formatLocalDate(item.date, locale), time: item.time })),
    tooMany: preview.tooMany,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = seriesId(params)
  const [form, locale] = await Promise.all([request.formData(), getLocale(request)])
  const values = generationValues(form)
  const parsed = parseGenerationForm(form)
  if (!parsed.ok) return data({ values, errors: parsed.errors, preview: null, notice: null }, { status: 400 })
  const digest = generationDigest(parsed.value)
  if (form.get('intent') === 'generate' && form.get('previewDigest') === digest) {
    const result = await createSessions(id, parsed.value, staff)
    if (!result) throw new Response('Cycle introuvable', { status: 404 })
    const existing = result.preview.sessions.filter((session) => session.exists).length
    return redirect(`/admin/series/${id}?generated=${result.created.length}&existing=${existing}`)
  }
  const preview = await previewSessions(id, parsed.value)
  if (!preview) throw new Response('Cycle introuvable', { status: 404 })
  const notice = form.get('intent') === 'generate' ? 'adminSeries.generate.changed' : null
  return data({ values, errors: undefined, preview: previewView(preview, digest, locale), notice })
}

export default function GenerateSessionsPage() {
  const { series, values } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to={`/admin/series/${series.id}`}>{series.title}</Link>
      </p>
      <h1>{t('adminSeries.generate.title')}</h1>
      <p>{t('adminSeries.generate.intro')}</p>
      {actionData?.preview ? <AdminSeriesPreview preview={actionData.preview} notice={actionData.notice} /> : null}
      <AdminSeriesGenerateForm action={`/admin/series/${series.id}/generate`} values={actionData?.values ?? values} errors={actionData?.errors} timeZone={series.timeZone} />
    </>
  )
}
