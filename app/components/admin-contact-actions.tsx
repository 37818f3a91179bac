// Owns the staff actions on a contact's page: the subscriptions table with "remove from list", the "add to a
// list" form, and the erasure (a link to a confirmation step where the admin types the address; works without JS).
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

type SubscriptionRow = { listId: number; listName: string; status: 'PENDING' | 'CONFIRMED' | 'UNSUBSCRIBED'; since: string }

export function AdminContactSubscriptions({ subscriptions, addable }: { subscriptions: SubscriptionRow[]; addable: { id: number; name: string }[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title">{t('adminContacts.subscriptionsTitle')}</h2>
      {subscriptions.length === 0 ? (
        <p>{t('adminContacts.noSubscriptions')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adminContacts.list')}</th>
              <th scope="col">{t('adminContacts.status')}</th>
              <th scope="col">{t('adminContacts.since')}</th>
              <th scope="col">{t('staff.page.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((row) => (
              <tr key={row.listId} data-list-id={row.listId}>
                <td>
                  <Link to={`/admin/lists/${row.listId}`}>{row.listName}</Link>
                </td>
                <td>{t(`adminLists.statuses.${row.status}`)}</td>
                <td>{row.since}</td>
                <td>
                  {row.status === 'UNSUBSCRIBED' ? null : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="listId" value={row.listId} />
                      <button type="submit" name="intent" value="remove" className="secondary">
                        {t('adminContacts.remove', { list: row.listName })}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {addable.length > 0 ? (
        <Form method="post" className="row-actions" aria-labelledby="add-title">
          <h3 id="add-title">{t('adminContacts.addTitle')}</h3>
          <p className="hint" id="add-hint">
            {t('adminContacts.addHint')}
          </p>
          <CsrfInput />
          <label htmlFor="add-list">{t('adminContacts.addList')}</label>
          <select id="add-list" name="listId" aria-describedby="add-hint">
            {addable.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
          <button type="submit" name="intent" value="add">
            {t('adminContacts.add')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

export function AdminEraseContact({ canErase, asked, contactId }: { canErase: boolean; asked: boolean; contactId: number }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="erase-title">
      <h2 id="erase-title">{t('adminContacts.eraseTitle')}</h2>
      <p>{t('adminContacts.eraseHint')}</p>
      {!canErase ? (
        <p>{t('adminContacts.eraseAdminOnly')}</p>
      ) : asked ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <p id="erase-confirm-hint">{t('adminContacts.eraseConfirm')}</p>
          <div>
            <label htmlFor="erase-confirm">{t('adminContacts.eraseConfirmLabel')}</label>
            <input id="erase-confirm" name="confirmEmail" type="email" autoComplete="off" required aria-describedby="erase-confirm-hint" />
          </div>
          <p>
            <button type="submit" name="intent" value="erase" className="danger">
              {t('adminContacts.eraseSubmit')}
            </button>{' '}
            <Link to={`/admin/contacts/${contactId}`}>{t('adminContacts.eraseCancel')}</Link>
          </p>
        </Form>
      ) : (
        <p>
          <Link to="?erase=1#erase-title" className="button danger">
            {t('adminContacts.eraseStart')}
          </Link>
        </p>
      )}
    </section>
  )
}
