// Staff contacts table: search (email, name, organisation), filters (list, subscription status, contact status,
// actor type, territory) in a GET form that works without JavaScript, and keyset pages ("plus anciens").
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { actorTypes, contactStatuses, subscriptionStatuses } from '~/models/contact-directory-schema.ts'
import { searchContacts } from '~/models/contact-directory.server.ts'
import { listListChoices } from '~/models/list.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Contacts · Relais' }]

const id = z.coerce.number().int().positive().max(2_147_483_647)
/** Each parameter parsed on its own: an unreadable one is ignored rather than failing the whole page. */
const params = {
  q: z.string().max(200),
  list: id,
  subscription: z.enum(subscriptionStatuses),
  status: z.enum(contactStatuses),
  actorType: z.enum(actorTypes),
  territory: z.string().max(60),
  before: id,
}

function read<K extends keyof typeof params>(url: URL, key: K): z.output<(typeof params)[K]> | undefined {
  const raw = url.searchParams.get(key)
  if (raw === null || raw === '') return undefined
  const parsed = params[key].safeParse(raw)
  return parsed.success ? (parsed.data as z.output<(typeof params)[K]>) : undefined
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const url = new URL(request.url)
  const filter = {
    search: read(url, 'q'),
    listId: read(url, 'list'),
    subscriptionStatus: read(url, 'subscription'),
    status: read(url, 'status'),
    actorType: read(url, 'actorType'),
    territory: read(url, 'territory'),
  }
  const before = read(url, 'before')
  const [page, lists] = await Promise.all([searchContacts({ filter, before }), listListChoices()])
  // The next page keeps every filter and changes only the cursor.
  const next = new URLSearchParams(url.searchParams)
  if (page.nextBefore !== null) next.set('before', String(page.nextBefore))
  const first = new URLSearchParams(url.searchParams)
  first.delete('before')
  return {
    contacts: page.contacts.map((contact) => ({ ...contact, createdAt: contact.createdAt.toISOString().slice(0, 10) })),
    nextHref: page.nextBefore !== null ? `?${next}` : null,
    firstHref: before !== undefined ? `?${first}` : null,
    lists: lists.map((list) => ({ id: list.id, name: list.name, archived: list.archivedAt !== null })),
    values: {
      q: filter.search ?? '',
      list: filter.listId ? String(filter.listId) : '',
      subscription: filter.subscriptionStatus ?? '',
      status: filter.status ?? '',
      actorType: filter.actorType ?? '',
      territory: filter.territory ?? '',
    },
  }
}

export default function ContactsPage() {
  const { contacts, nextHref, firstHref, lists, values } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const select = (name: 'list' | 'subscription' | 'status' | 'actorType', options: { value: string; label: string }[]) => (
    <div>
      <label htmlFor={`filter-${name}`}>{t(`adminContacts.filters.${name}`)}</label>
      <select id={`filter-${name}`} name={name} defaultValue={values[name]}>
        <option value="">{t('adminContacts.filters.any')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
  return (
    <>
      <h1>{t('admin.contacts')}</h1>
      <Form method="get" className="admin-filters" role="search" aria-label={t('adminContacts.filters.title')}>
        <div>
          <label htmlFor="filter-q">{t('adminContacts.filters.q')}</label>
          <input id="filter-q" type="search" name="q" defaultValue={values.q} />
        </div>
        {select('list', lists.map((list) => ({ value: String(list.id), label: list.archived ? `${list.name} (${t('adminLists.archived')})` : list.name })))}
        {select('subscription', subscriptionStatuses.map((status) => ({ value: status, label: t(`adminLists.statuses.${status}`) })))}
        {select('status', contactStatuses.map((status) => ({ value: status, label: t(`adminContacts.statuses.${status}`) })))}
        {select('actorType', actorTypes.map((type) => ({ value: type, label: t(`adminContacts.actorTypes.${type}`) })))}
        <div>
          <label htmlFor="filter-territory">{t('adminContacts.filters.territory')}</label>
          <input id="filter-territory" type="text" name="territory" defaultValue={values.territory} size={6} />
        </div>
        <p>
          <button type="submit">{t('adminContacts.filters.submit')}</button> <Link to="/admin/contacts">{t('adminContacts.filters.reset')}</Link>
        </p>
      </Form>
      {contacts.length === 0 ? (
        <p>{t('adminContacts.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('adminContacts.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminContacts.email')}</th>
              <th scope="col">{t('adminContacts.name')}</th>
              <th scope="col">{t('adminContacts.organization')}</th>
              <th scope="col">{t('adminContacts.actorType')}</th>
              <th scope="col">{t('adminContacts.territory')}</th>
              <th scope="col">{t('adminContacts.status')}</th>
              <th scope="col">{t('adminContacts.createdAt')}</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((contact) => (
              <tr key={contact.id} data-contact-id={contact.id}>
                <td>
                  <Link to={`/admin/contacts/${contact.id}`}>{contact.email ?? t('adminContacts.erased', { id: contact.id })}</Link>
                </td>
                <td>{[contact.firstName, contact.lastName].filter(Boolean).join(' ')}</td>
                <td>{contact.organization}</td>
                <td>{contact.actorType ? t(`adminContacts.actorTypes.${contact.actorType}`) : null}</td>
                <td>{contact.territory}</td>
                <td>{t(`adminContacts.statuses.${contact.status}`)}</td>
                <td>{contact.createdAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pagination" aria-label={t('adminContacts.pagination')}>
        {nextHref ? <Link to={nextHref}>{t('adminContacts.older')}</Link> : null}
        {nextHref && firstHref ? ' · ' : null}
        {firstHref ? <Link to={firstHref}>{t('adminContacts.newest')}</Link> : null}
      </nav>
    </>
  )
}
