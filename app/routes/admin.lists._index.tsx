// Staff list of mailing lists: every list with its subscriptions counted by status, archived ones marked.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listListsForStaff } from '~/models/list.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Listes · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const lists = await listListsForStaff()
  return {
    lists: lists.map((list) => ({ id: list.id, name: list.name, slug: list.slug, isPublic: list.isPublic, doubleOptIn: list.doubleOptIn, archived: list.archivedAt !== null, counts: list.counts })),
  }
}

export default function ListsPage() {
  const { lists } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('admin.lists')}</h1>
      <p>
        <Link className="button" to="/admin/lists/new">
          {t('adminLists.create')}
        </Link>
      </p>
      {lists.length === 0 ? (
        <p>{t('adminLists.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('adminLists.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminLists.form.name')}</th>
              <th scope="col">{t('adminLists.visibility')}</th>
              <th scope="col">{t('adminLists.statuses.CONFIRMED')}</th>
              <th scope="col">{t('adminLists.statuses.PENDING')}</th>
              <th scope="col">{t('adminLists.statuses.UNSUBSCRIBED')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((list) => (
              <tr key={list.id}>
                <td>
                  <Link to={`/admin/lists/${list.id}`}>{list.name}</Link> <code>{list.slug}</code>
                  {list.archived ? ` (${t('adminLists.archived')})` : null}
                </td>
                <td>
                  {t(list.isPublic ? 'adminLists.public' : 'adminLists.private')}
                  {list.doubleOptIn ? '' : ` · ${t('adminLists.singleOptIn')}`}
                </td>
                <td data-count="CONFIRMED">{list.counts.CONFIRMED}</td>
                <td data-count="PENDING">{list.counts.PENDING}</td>
                <td data-count="UNSUBSCRIBED">{list.counts.UNSUBSCRIBED}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
