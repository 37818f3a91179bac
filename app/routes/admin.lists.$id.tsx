// Staff page of one mailing list: counts by status, growth over 90 days, sign-up snippets, the edit form and
// archiving. Editors and admins alike manage lists.
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AdminEmbedSnippets } from '~/components/admin-embed-snippets.tsx'
import { AdminGrowthChart } from '~/components/admin-growth-chart.tsx'
import { CsvExportLinks } from '~/components/csv-export-links.tsx'
import { AdminListForm } from '~/components/admin-list-form.tsx'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { listSchema } from '~/models/list-schema.ts'
import { getListForStaff, ListError, setListArchived, updateList } from '~/models/list.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { ActionOutcome } from '~/components/form-errors.tsx'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.list.name ?? 'Liste'} · Relais` }]

const idSchema = z.coerce.number().int().positive().max(2_147_483_647)

function listId(params: LoaderFunctionArgs['params']): number {
  const parsed = idSchema.safeParse(params.id)
  if (!parsed.success) throw new Response('Liste introuvable', { status: 404 })
  return parsed.data
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const organization = await getOrganization()
  const list = await getListForStaff(listId(params), organization.timeZone)
  if (!list) throw new Response('Liste introuvable', { status: 404 })
  const saved = new URL(request.url).searchParams.get('saved') === '1'
  return { list: { ...list, archived: list.archivedAt !== null }, appUrl: getEnv().APP_URL, saved }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = listId(params)
  const formData = await request.formData()
  const intent = formData.get('intent')
  try {
    if (intent === 'archive' || intent === 'unarchive') {
      await setListArchived(id, intent === 'archive', staff)
      return data({ notice: `adminLists.notices.${intent}`, result: undefined })
    }
    const submission = parseWithZod(formData, { schema: listSchema })
    if (submission.status !== 'success') return data({ notice: undefined, result: submission.reply() }, { status: 400 })
    try {
      await updateList(id, submission.value, staff)
      return data({ notice: 'adminLists.notices.saved', result: submission.reply() })
    } catch (error) {
      if (!(error instanceof ListError) || !error.field) throw error
      return data({ notice: undefined, result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 })
    }
  } catch (error) {
    if (error instanceof ListError) throw new Response('Liste introuvable', { status: 404 })
    throw error
  }
}

export default function ListPage() {
  const { list, appUrl, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const notice = actionData?.notice ?? (saved ? 'adminLists.notices.created' : undefined)
  return (
    <>
      <p>
        <Link to="/admin/lists">{t('adminLists.back')}</Link>
      </p>
      <h1>
        {list.name} {list.archived ? `(${t('adminLists.archived')})` : null}
      </h1>
      <ActionOutcome notice={notice} />
      <section aria-labelledby="counts-title">
        <h2 id="counts-title">{t('adminLists.countsTitle')}</h2>
        <dl className="admin-counts">
          {(['CONFIRMED', 'PENDING', 'UNSUBSCRIBED'] as const).map((status) => (
            <div key={status}>
              <dt>{t(`adminLists.statuses.${status}`)}</dt>
              <dd data-count={status}>{list.counts[status]}</dd>
            </div>
          ))}
        </dl>
        <p>
          <Link to={`/admin/contacts?list=${list.id}`}>{t('adminLists.seeContacts')}</Link>
        </p>
        <CsvExportLinks kind="list" id={list.id} />
      </section>
      <section aria-labelledby="growth-title">
        <h2 id="growth-title">{t('adminLists.growth.title')}</h2>
        <AdminGrowthChart days={list.growth} />
      </section>
      {list.isPublic && !list.archived ? <AdminEmbedSnippets appUrl={appUrl} slug={list.slug} listName={list.name} /> : null}
      <section aria-labelledby="edit-title">
        <h2 id="edit-title">{t('adminLists.editTitle')}</h2>
        <AdminListForm key={String(list.updatedAt)} lastResult={actionData?.result} defaults={list} submitLabel={t('adminLists.form.save')} />
      </section>
      <section aria-labelledby="archive-title">
        <h2 id="archive-title">{t(list.archived ? 'adminLists.unarchiveTitle' : 'adminLists.archiveTitle')}</h2>
        <p>{t(list.archived ? 'adminLists.unarchiveHint' : 'adminLists.archiveHint')}</p>
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value={list.archived ? 'unarchive' : 'archive'} className={list.archived ? 'secondary' : 'danger'}>
            {t(list.archived ? 'adminLists.unarchive' : 'adminLists.archive')}
          </button>
        </Form>
      </section>
    </>
  )
}
