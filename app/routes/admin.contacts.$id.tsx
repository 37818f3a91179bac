// Staff page of one contact: profile and its edit, subscriptions (add to / remove from lists, consent source
// STAFF), consent history, emails received, registrations, and the RGPD erasure behind a typed confirmation.
// Editors and admins manage contacts; only admins may erase one (it cannot be undone).
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AdminConsentHistory, AdminContactEmails, AdminContactRegistrations } from '~/components/admin-contact-history.tsx'
import { AdminContactProfileForm } from '~/components/admin-contact-profile-form.tsx'
import { AdminContactSubscriptions, AdminEraseContact } from '~/components/admin-contact-actions.tsx'
import { getContactDetail, updateContactByStaff } from '~/models/contact-directory.server.ts'
import { contactProfileSchema } from '~/models/contact.server.ts'
import { addToListByStaff, ListError, listListChoices, removeFromListByStaff } from '~/models/list.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { eraseContact } from '~/models/privacy.server.ts'
import { requireAdmin, requireStaff } from '~/utils/auth.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import { useStaffShell } from './admin.tsx'
import { ActionOutcome } from '~/components/form-errors.tsx'

export const meta: MetaFunction = () => [{ title: 'Contact · Relais' }]

const positiveId = z.coerce.number().int().positive().max(2_147_483_647)

function contactId(params: LoaderFunctionArgs['params']): number {
  const parsed = positiveId.safeParse(params.id)
  if (!parsed.success) throw new Response('Contact introuvable', { status: 404 })
  return parsed.data
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [contact, organization, lists] = await Promise.all([getContactDetail(contactId(params)), getOrganization(), listListChoices()])
  if (!contact) throw new Response('Contact introuvable', { status: 404 })
  const format = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: organization.timeZone })
  const when = (date: Date | null) => (date ? format.format(date) : '')
  const url = new URL(request.url)
  const confirmed = new Set(contact.subscriptions.filter((row) => row.status === 'CONFIRMED').map((row) => row.listId))
  return {
    contact: {
      id: contact.id,
      email: contact.email,
      firstName: contact.firstName,
      lastName: contact.lastName,
      organization: contact.organization,
      actorType: contact.actorType,
      territory: contact.territory,
      locale: contact.locale,
      status: contact.status,
      createdAt: when(contact.createdAt),
    },
    subscriptions: contact.subscriptions.map((row) => ({
      listId: row.listId,
      listName: row.list.name,
      status: row.status,
      since: when(row.unsubscribedAt ?? row.confirmedAt ?? row.createdAt),
    })),
    addable: lists.filter((list) => !list.archivedAt && !confirmed.has(list.id)).map((list) => ({ id: list.id, name: list.name })),
    consent: contact.consentRecords.map((record) => ({ ...record, createdAt: when(record.createdAt) })),
    emails: contact.outboundEmails.map((email) => ({ ...email, createdAt: when(email.createdAt) })),
    registrations: contact.registrations.map((row) => ({
      id: row.id,
      createdAt: when(row.createdAt),
      eventId: row.event.id,
      eventTitle: row.event.title,
      eventStartsAt: when(row.event.startsAt),
      status: row.status,
    })),
    askErase: url.searchParams.get('erase') === '1',
    notice: url.searchParams.get('erased') === '1' ? 'adminContacts.notices.erased' : null,
  }
}

const listChange = z.object({ listId: positiveId })
const eraseSchema = z.object({ confirmEmail: z.string().max(320) })

type Reply = { notice?: string; error?: string; result?: SubmissionResult<string[]> }

function reply(body: Reply, status = 200) {
  return data(body, { status })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = contactId(params)
  // Read from a copy: the admin-only intents check the role with requireAdmin, which reads the body again.
  const formData = await request.clone().formData()
  const intent = formData.get('intent')
  if (intent === 'profile') {
    const submission = parseWithZod(formData, { schema: contactProfileSchema })
    if (submission.status !== 'success') return reply({ result: submission.reply() }, 400)
    const outcome = await updateContactByStaff(id, submission.value, staff)
    if (outcome === 'not-found') throw new Response('Contact introuvable', { status: 404 })
    if (outcome === 'erased') return reply({ error: 'adminContacts.alreadyErased' }, 409)
    return reply({ notice: 'adminContacts.notices.saved', result: submission.reply() })
  }
  if (intent === 'add' || intent === 'remove') {
    const change = listChange.safeParse(Object.fromEntries(formData))
    if (!change.success) return reply({ error: 'adminContacts.invalid' }, 400)
    const input = { contactId: id, listId: change.data.listId }
    try {
      if (intent === 'add') {
        const added = await addToListByStaff(input, staff)
        return added ? reply({ notice: 'adminContacts.notices.added' }) : reply({ error: 'adminContacts.alreadyOnList' }, 409)
      }
      const removed = await removeFromListByStaff(input, staff)
      return removed ? reply({ notice: 'adminContacts.notices.removed' }) : reply({ error: 'adminContacts.notOnList' }, 409)
    } catch (error) {
      if (error instanceof ListError) return reply({ error: error.messageKey }, 409)
      throw error
    }
  }
  if (intent === 'erase') {
    const admin = await requireAdmin(request)
    const confirmation = eraseSchema.safeParse(Object.fromEntries(formData))
    const contact = await getContactDetail(id)
    if (!contact) throw new Response('Contact introuvable', { status: 404 })
    if (!confirmation.success || !contact.email || normalizeEmail(confirmation.data.confirmEmail) !== contact.email) {
      return reply({ error: 'adminContacts.eraseMismatch' }, 400)
    }
    await eraseContact(id, { kind: 'staff', staffId: admin.id })
    return redirect(`/admin/contacts/${id}?erased=1`)
  }
  return reply({ error: 'adminContacts.invalid' }, 400)
}

export default function ContactPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const me = useStaffShell()
  const { t } = useTranslation()
  const { contact } = loaded
  const erased = contact.status === 'ERASED'
  const notice = actionData?.notice ?? loaded.notice
  const fullName = [contact.firstName, contact.lastName].filter(Boolean).join(' ')
  return (
    <>
      <p>
        <Link to="/admin/contacts">{t('adminContacts.back')}</Link>
      </p>
      <h1>{contact.email ?? t('adminContacts.erased', { id: contact.id })}</h1>
      <ActionOutcome notice={notice} error={actionData?.error} />
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t('adminContacts.profileTitle')}</h2>
        <dl>
          <dt>{t('adminContacts.name')}</dt>
          <dd>{fullName || '—'}</dd>
          <dt>{t('adminContacts.organization')}</dt>
          <dd>{contact.organization ?? '—'}</dd>
          <dt>{t('adminContacts.actorType')}</dt>
          <dd>{contact.actorType ? t(`adminContacts.actorTypes.${contact.actorType}`) : '—'}</dd>
          <dt>{t('adminContacts.territory')}</dt>
          <dd>{contact.territory ?? '—'}</dd>
          <dt>{t('adminContacts.status')}</dt>
          <dd>{t(`adminContacts.statuses.${contact.status}`)}</dd>
          <dt>{t('adminContacts.createdAt')}</dt>
          <dd>{contact.createdAt}</dd>
        </dl>
      </section>
      <AdminContactSubscriptions subscriptions={loaded.subscriptions} addable={erased ? [] : loaded.addable} />
      <AdminConsentHistory records={loaded.consent} />
      <AdminContactEmails emails={loaded.emails} />
      <AdminContactRegistrations registrations={loaded.registrations} />
      {erased ? null : (
        <>
          <section aria-labelledby="edit-title">
            <h2 id="edit-title">{t('adminContacts.editTitle')}</h2>
            <AdminContactProfileForm key={JSON.stringify(contact)} defaults={contact} lastResult={actionData?.result} />
          </section>
          <AdminEraseContact canErase={me.role === 'ADMIN'} asked={loaded.askErase} contactId={contact.id} />
        </>
      )}
    </>
  )
}

