// Segments page: the saved segments, a link to create one, and deletion (audited).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { getOrganization } from '~/models/organization.server.ts'
import { deleteSegment, listSegments, SegmentError } from '~/models/segment.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'
import { ActionOutcome } from '~/components/form-errors.tsx'

export const meta: MetaFunction = () => [{ title: 'Segments · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [segments, locale, organization] = await Promise.all([listSegments(), getLocale(request), getOrganization()])
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: organization.timeZone })
  return { segments: segments.map((segment) => ({ ...segment, updatedAt: format.format(segment.updatedAt) })) }
}

const deleteSchema = z.object({ intent: z.literal('delete'), segmentId: z.coerce.number().int().positive() })

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const parsed = deleteSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ notice: null, error: 'segments.errors.notFound' }, { status: 400 })
  try {
    await deleteSegment(parsed.data.segmentId, staff)
    return { notice: 'segments.notices.deleted', error: null }
  } catch (error) {
    if (!(error instanceof SegmentError)) throw error
    return data({ notice: null, error: error.messageKey }, { status: 400 })
  }
}

export default function SegmentsPage() {
  const { segments } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation()
  const notice = actionData?.notice ?? (searchParams.get('saved') ? 'segments.notices.saved' : null)
  return (
    <>
      <h1>{t('segments.title')}</h1>
      <p>{t('segments.intro')}</p>
      <ActionOutcome notice={notice} error={actionData?.error} />
      <p>
        <Link to="/admin/segments/new" className="button">
          {t('segments.new')}
        </Link>
      </p>
      {segments.length === 0 ? (
        <p>{t('segments.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('segments.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('segments.name')}</th>
              <th scope="col">{t('segments.updatedAt')}</th>
              <th scope="col">{t('segments.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((segment) => (
              <tr key={segment.id}>
                <td>
                  <Link to={`/admin/segments/${segment.id}`}>{segment.name}</Link>
                  {segment.description ? <p>{segment.description}</p> : null}
                </td>
                <td>{segment.updatedAt}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="segmentId" value={segment.id} />
                    <button type="submit" name="intent" value="delete" className="danger" aria-label={t('segments.deleteOf', { name: segment.name })}>
                      {t('segments.delete')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
