// The invitee's page: choose a name and password, the account becomes active and the invitee is signed in.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput, CsrfProvider } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import { invitationAcceptSchema as schema, PASSWORD_MIN_LENGTH } from '~/models/staff-schema.ts'
import { acceptInvitation, findInvitation, StaffError } from '~/models/staff.server.ts'
import { useRootData } from '~/root.tsx'
import { signIn } from '~/utils/auth.server.ts'
import { checkCsrf, getCsrfToken } from '~/utils/csrf.server.ts'

// The token is in the address: never let it leak to another site through the Referer header. Not "no-referrer",
// which would make the browser send `Origin: null` with the page's own forms, refused as cross-site.
export const meta: MetaFunction = () => [
  { title: 'Invitation · Relais' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token ?? '')
  const csrf = await getCsrfToken(request)
  const headers = csrf.setCookie ? { 'Set-Cookie': csrf.setCookie } : undefined
  if (!invitation) return data({ invitation: null, csrf: csrf.token }, { status: 404, headers })
  return data({ invitation: { email: invitation.email, name: invitation.name }, csrf: csrf.token }, { headers })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema })
  const reply = (formErrors?: string[]) => submission.reply({ formErrors, hideFields: ['password', 'confirmPassword'] })
  if (await checkCsrf(request, formData)) return data(reply(['auth.csrfRejected']), { status: 403 })
  if (submission.status !== 'success') return data(reply(), { status: 400 })
  try {
    const staff = await acceptInvitation(params.token ?? '', submission.value)
    return redirect('/admin', { headers: { 'Set-Cookie': await signIn(staff) } })
  } catch (error) {
    if (!(error instanceof StaffError)) throw error
    return data(reply([error.messageKey]), { status: 400 })
  }
}

export default function InvitationPage() {
  const { invitation, csrf } = useLoaderData<typeof loader>()
  const root = useRootData()
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page login-page">
      <section className="hero">
        <p className="card-kicker">{root?.organization.name ?? 'Relais'}</p>
        {invitation ? (
          <>
            <h1>{t('auth.invitation.title')}</h1>
            <p>{t('auth.invitation.intro', { email: invitation.email })}</p>
            <CsrfProvider token={csrf}>
              <AcceptForm defaultName={invitation.name} />
            </CsrfProvider>
          </>
        ) : (
          <>
            <h1>{t('auth.invitation.invalidTitle')}</h1>
            <p>{t('auth.invitation.invalid')}</p>
            <p>
              <Link to="/login">{t('auth.invitation.toLogin')}</Link>
            </p>
          </>
        )}
      </section>
    </main>
  )
}

function AcceptForm({ defaultName }: { defaultName: string }) {
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'invitation',
    lastResult,
    constraint: getZodConstraint(schema),
    // Not on blur: an error appearing or vanishing then would move the button from under the pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: { name: defaultName },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  return (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <div>
          <label htmlFor={fields.name.id}>{t('auth.invitation.name')}</label>
          <input {...getInputProps(fields.name, { type: 'text' })} autoComplete="name" />
          <FieldError id={fields.name.errorId} errors={fields.name.errors} />
        </div>
        <div>
          <label htmlFor={fields.password.id}>{t('auth.invitation.password', { min: PASSWORD_MIN_LENGTH })}</label>
          <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="new-password" />
          <FieldError id={fields.password.errorId} errors={fields.password.errors} values={{ min: PASSWORD_MIN_LENGTH }} />
        </div>
        <div>
          <label htmlFor={fields.confirmPassword.id}>{t('auth.invitation.confirmPassword')}</label>
          <input {...getInputProps(fields.confirmPassword, { type: 'password' })} autoComplete="new-password" />
          <FieldError id={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors} />
        </div>
        <p>
          <button type="submit">{t('auth.invitation.submit')}</button>
        </p>
      </Form>
    </>
  )
}
