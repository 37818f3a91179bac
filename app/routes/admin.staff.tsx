// Team page (admins only): who has access, invitations with a role, disabling and enabling, role changes.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { ActionOutcome, FieldError, FormErrors } from '~/components/form-errors.tsx'
import { getOrganization } from '~/models/organization.server.ts'
import { emailSchema, nameSchema, roleSchema, staffRoles } from '~/models/staff-schema.ts'
import {
  changeStaffRole,
  disableStaff,
  enableStaff,
  inviteStaff,
  listStaff,
  reinviteStaff,
  StaffError,
  type Invitation,
} from '~/models/staff.server.ts'
import { requireAdmin } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'
import { useStaffShell } from './admin.tsx'

const inviteSchema = z.object({ intent: z.literal('invite'), email: emailSchema, name: nameSchema, role: roleSchema })
const userId = z.coerce.number().int().positive()
const rowSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('disable'), userId }),
  z.object({ intent: z.literal('enable'), userId }),
  z.object({ intent: z.literal('reinvite'), userId }),
  z.object({ intent: z.literal('role'), userId, role: roleSchema }),
])

export const meta: MetaFunction = () => [{ title: 'Équipe · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const [members, locale, organization] = await Promise.all([listStaff(), getLocale(request), getOrganization()])
  // Formatted here, in the organisation's time zone, so that server and browser render the same text.
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: organization.timeZone })
  return {
    members: members.map((member) => ({
      id: member.id,
      email: member.email,
      name: member.name,
      role: member.role,
      status: member.status,
      lastLoginAt: member.lastLoginAt ? format.format(member.lastLoginAt) : null,
      inviteExpiresAt: member.inviteExpiresAt ? format.format(member.inviteExpiresAt) : null,
    })),
    dateFormat: { locale, timeZone: organization.timeZone },
  }
}

/** One shape for every outcome, so that the page can show whichever part is there. */
type StaffActionData = { intent: string; result?: SubmissionResult<string[]>; invitation?: Invitation; notice?: string; error?: string }

function reply(body: StaffActionData, status = 200) {
  return data(body, { status })
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'invite') {
    const submission = parseWithZod(formData, { schema: inviteSchema })
    if (submission.status !== 'success') return reply({ intent: 'invite', result: submission.reply() }, 400)
    try {
      const invitation = await inviteStaff(submission.value, admin)
      return reply({ intent: 'invite', result: submission.reply({ resetForm: true }), invitation })
    } catch (error) {
      if (!(error instanceof StaffError)) throw error
      const fieldErrors = error.field ? { [error.field]: [error.messageKey] } : undefined
      return reply({ intent: 'invite', result: submission.reply(fieldErrors ? { fieldErrors } : { formErrors: [error.messageKey] }) }, 400)
    }
  }
  const row = rowSchema.safeParse(Object.fromEntries(formData))
  if (!row.success) return reply({ intent: 'row', error: 'staff.form.invalid' }, 400)
  const change = row.data
  try {
    if (change.intent === 'disable') await disableStaff(change.userId, admin)
    if (change.intent === 'enable') await enableStaff(change.userId, admin)
    if (change.intent === 'role') await changeStaffRole(change.userId, change.role, admin)
    if (change.intent === 'reinvite') return reply({ intent: 'reinvite', invitation: await reinviteStaff(change.userId, admin) })
    return reply({ intent: change.intent, notice: `staff.notices.${change.intent}` })
  } catch (error) {
    if (!(error instanceof StaffError)) throw error
    return reply({ intent: change.intent, error: error.messageKey }, 400)
  }
}

export default function StaffPage() {
  const { members, dateFormat } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const me = useStaffShell()
  const { t } = useTranslation()
  const invitation = actionData?.invitation
  const expires = invitation
    ? new Intl.DateTimeFormat(dateFormat.locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: dateFormat.timeZone }).format(
        new Date(invitation.expiresAt),
      )
    : ''
  return (
    <>
      <h1>{t('admin.staff')}</h1>
      <p>{t('staff.page.intro')}</p>
      {invitation ? (
        <div className="notice" role="status">
          <p>{t('staff.notices.invited', { email: invitation.email, expiresAt: expires })}</p>
          <p>
            <label htmlFor="invitation-link">{t(invitation.emailQueued ? 'staff.notices.inviteLink' : 'staff.notices.inviteLinkNoMail')}</label>
            <input id="invitation-link" type="text" readOnly value={invitation.acceptUrl} />
          </p>
        </div>
      ) : null}
      <ActionOutcome notice={actionData?.notice} error={actionData?.error} />
      <MembersTable members={members} myId={me.id} />
      <InviteForm lastResult={actionData?.result} />
    </>
  )
}

type Member = ReturnType<typeof useLoaderData<typeof loader>>['members'][number]

function MembersTable({ members, myId }: { members: Member[]; myId: number }) {
  const { t } = useTranslation()
  return (
    <table>
      <caption className="sr-only">{t('staff.page.tableCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('staff.page.name')}</th>
          <th scope="col">{t('staff.page.email')}</th>
          <th scope="col">{t('staff.page.role')}</th>
          <th scope="col">{t('staff.page.status')}</th>
          <th scope="col">{t('staff.page.lastLogin')}</th>
          <th scope="col">{t('staff.page.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((member) => (
          <tr key={member.id}>
            <td>
              {member.name} {member.id === myId ? t('staff.page.you') : null}
            </td>
            <td>{member.email}</td>
            <td>{t(`staff.roles.${member.role}`)}</td>
            <td>
              {t(`staff.statuses.${member.status}`)}
              {member.status === 'INVITED' && member.inviteExpiresAt ? ` (${t('staff.page.until', { date: member.inviteExpiresAt })})` : null}
            </td>
            <td>{member.lastLoginAt ?? t('staff.page.never')}</td>
            <td>{member.id === myId ? null : <MemberActions member={member} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function MemberActions({ member }: { member: Member }) {
  const { t } = useTranslation()
  const roleId = `role-${member.id}`
  return (
    <div className="row-actions">
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="userId" value={member.id} />
        <label htmlFor={roleId} className="sr-only">
          {t('staff.page.roleOf', { name: member.name })}
        </label>
        <select id={roleId} name="role" defaultValue={member.role}>
          {staffRoles.map((role) => (
            <option key={role} value={role}>
              {t(`staff.roles.${role}`)}
            </option>
          ))}
        </select>{' '}
        <button type="submit" name="intent" value="role" className="secondary">
          {t('staff.page.changeRole')}
        </button>
      </Form>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="userId" value={member.id} />
        {member.status === 'INVITED' ? (
          <button type="submit" name="intent" value="reinvite" className="secondary">
            {t('staff.page.reinvite')}
          </button>
        ) : null}{' '}
        {member.status === 'DISABLED' ? (
          <button type="submit" name="intent" value="enable" className="secondary">
            {t('staff.page.enable')}
          </button>
        ) : (
          <button type="submit" name="intent" value="disable" className="danger">
            {t('staff.page.disable')}
          </button>
        )}
      </Form>
    </div>
  )
}

function InviteForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation()
  const [form, fields] = useForm<z.input<typeof inviteSchema>>({
    id: 'invite',
    lastResult,
    constraint: getZodConstraint(inviteSchema),
    // Not on blur: an error appearing or vanishing then would move the button from under the pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: { role: 'EDITOR' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  })
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('staff.page.inviteTitle')}</h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="invite" />
        <div>
          <label htmlFor={fields.email.id}>{t('staff.page.email')}</label>
          <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="off" />
          <FieldError id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <div>
          <label htmlFor={fields.name.id}>{t('staff.page.name')}</label>
          <input {...getInputProps(fields.name, { type: 'text' })} autoComplete="off" />
          <FieldError id={fields.name.errorId} errors={fields.name.errors} />
        </div>
        <div>
          <label htmlFor={fields.role.id}>{t('staff.page.role')}</label>
          <select {...getSelectProps(fields.role)}>
            {staffRoles.map((role) => (
              <option key={role} value={role}>
                {t(`staff.roles.${role}`)}
              </option>
            ))}
          </select>
          <FieldError id={fields.role.errorId} errors={fields.role.errors} />
        </div>
        <p>
          <button type="submit">{t('staff.page.inviteSubmit')}</button>
        </p>
      </Form>
    </section>
  )
}
