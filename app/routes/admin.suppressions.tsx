// Staff page of the suppression list: newest first in keyset pages (erased addresses show only their hash),
// adding an address by hand (any staff member) and removing one (admins only). Every change is audited.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { ActionOutcome, FieldError, FormErrors } from '~/components/form-errors.tsx'
import { listSuppressions, removeSuppression, suppressAddressByStaff } from '~/models/suppression.server.ts'
import { requireAdmin, requireStaff } from '~/utils/auth.server.ts'
import { useStaffShell } from './admin.tsx'

export const meta: MetaFunction = () => [{ title: 'Liste d’exclusion · Relais' }]

const id = z.coerce.number().int().positive().max(2_147_483_647)
const addSchema = z.object({
  email: z.string({ required_error: 'adminSuppressions.emailInvalid' }).trim().toLowerCase().max(254, 'adminSuppressions.emailInvalid').email('adminSuppressions.emailInvalid'),
  detail: z.string().trim().max(500, 'adminSuppressions.detailTooLong').optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const cursor = id.safeParse(new URL(request.url).searchParams.get('before'))
  const before = cursor.success ? cursor.data : undefined
  const page = await listSuppressions({ before })
  return {
    items: page.items.map((item) => ({
      id: item.id,
      email: item.email,
      hashPrefix: item.emailHash.slice(0, 16),
      reason: item.reason,
      detail: item.detail,
      createdAt: item.createdAt.toISOString().slice(0, 10),
    })),
    nextBefore: page.nextBefore,
    isFirstPage: before === undefined,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  // Read from a copy: the admin-only intents check the role with requireAdmin, which reads the body again.
  const formData = await request.clone().formData()
  if (formData.get('intent') === 'remove') {
    // Re-checked here: an editor's hand-made POST is refused like the page refuses to show the button.
    const admin = await requireAdmin(request)
    const target = id.safeParse(formData.get('suppressionId'))
    if (!target.success) return data({ notice: undefined, error: 'adminContacts.invalid', result: undefined }, { status: 400 })
    const removed = await removeSuppression(target.data, admin)
    if (!removed) return data({ notice: undefined, error: 'adminSuppressions.notFound', result: undefined }, { status: 404 })
    return data({ notice: 'adminSuppressions.notices.removed', error: undefined, result: undefined })
  }
  const submission = parseWithZod(formData, { schema: addSchema })
  if (submission.status !== 'success') return data({ notice: undefined, error: undefined, result: submission.reply() }, { status: 400 })
  await suppressAddressByStaff(submission.value, staff)
  return data({ notice: 'adminSuppressions.notices.added', error: undefined, result: submission.reply({ resetForm: true }) })
}

export default function SuppressionsPage() {
  const { items, nextBefore, isFirstPage } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const me = useStaffShell()
  const { t } = useTranslation()
  const [form, fields] = useForm<z.input<typeof addSchema>>({
    id: 'suppression-add',
    lastResult: actionData?.result,
    constraint: getZodConstraint(addSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addSchema }),
  })
  return (
    <>
      <h1>{t('adminSuppressions.title')}</h1>
      <p>{t('adminSuppressions.intro')}</p>
      <ActionOutcome notice={actionData?.notice} error={actionData?.error} />
      <section aria-labelledby="suppression-add-title">
        <h2 id="suppression-add-title">{t('adminSuppressions.addTitle')}</h2>
        <FormErrors id={form.errorId} errors={form.errors} />
        <Form method="post" className="stack" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <div>
            <label htmlFor={fields.email.id}>{t('adminSuppressions.address')}</label>
            <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="off" />
            <FieldError id={fields.email.errorId} errors={fields.email.errors} />
          </div>
          <div>
            <label htmlFor={fields.detail.id}>{t('adminSuppressions.detail')}</label>
            <input {...getInputProps(fields.detail, { type: 'text' })} />
            <FieldError id={fields.detail.errorId} errors={fields.detail.errors} />
          </div>
          <p>
            <button type="submit">{t('adminSuppressions.addSubmit')}</button>
          </p>
        </Form>
      </section>
      {items.length === 0 ? (
        <p>{t('adminSuppressions.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('adminSuppressions.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminSuppressions.address')}</th>
              <th scope="col">{t('adminSuppressions.reason')}</th>
              <th scope="col">{t('adminSuppressions.detail')}</th>
              <th scope="col">{t('adminSuppressions.createdAt')}</th>
              {me.role === 'ADMIN' ? <th scope="col">{t('staff.page.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-suppression-id={item.id}>
                <td>{item.email ?? <code>{t('adminSuppressions.hashOnly', { hash: item.hashPrefix })}</code>}</td>
                <td>{t(`adminSuppressions.reasons.${item.reason}`)}</td>
                <td>{item.detail}</td>
                <td>{item.createdAt}</td>
                {me.role === 'ADMIN' ? (
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="suppressionId" value={item.id} />
                      <button type="submit" name="intent" value="remove" className="danger">
                        {t('adminSuppressions.remove', { address: item.email ?? item.hashPrefix })}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pagination" aria-label={t('adminSuppressions.tableCaption')}>
        {nextBefore ? <Link to={`?before=${nextBefore}`}>{t('adminSuppressions.older')}</Link> : null}
        {nextBefore && !isFirstPage ? ' · ' : null}
        {!isFirstPage ? <Link to="/admin/suppressions">{t('adminSuppressions.newest')}</Link> : null}
      </nav>
    </>
  )
}
