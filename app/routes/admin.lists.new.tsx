// Staff page that creates a mailing list, then shows it.
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AdminListForm } from '~/components/admin-list-form.tsx'
import { listSchema } from '~/models/list-schema.ts'
import { createList, ListError } from '~/models/list.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Nouvelle liste · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const submission = parseWithZod(await request.formData(), { schema: listSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const id = await createList(submission.value, staff)
    return redirect(`/admin/lists/${id}?saved=1`)
  } catch (error) {
    if (!(error instanceof ListError) || !error.field) throw error
    return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 })
  }
}

export default function NewListPage() {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <p>
        <Link to="/admin/lists">{t('adminLists.back')}</Link>
      </p>
      <h1>{t('adminLists.create')}</h1>
      <AdminListForm lastResult={actionData?.result} submitLabel={t('adminLists.form.create')} />
    </>
  )
}
