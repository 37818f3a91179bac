// Staff sign-in page: email + password, rate limited, protected against login CSRF, back to the page asked for.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput, CsrfProvider } from '~/components/csrf-input.tsx'
import { FieldError, FormErrors } from '~/components/form-errors.tsx'
import { emailSchema } from '~/models/staff-schema.ts'
import { useRootData } from '~/root.tsx'
import { clientIp, getStaff, login, safeRedirect } from '~/utils/auth.server.ts'
import { checkCsrf, getCsrfToken } from '~/utils/csrf.server.ts'

const schema = z.object({
  email: emailSchema,
  password: z.string({ required_error: 'auth.login.passwordRequired' }),
  redirectTo: z.string().optional(),
})

export const meta: MetaFunction = () => [{ title: 'Connexion · Relais' }, { name: 'robots', content: 'noindex' }]

// Remix keeps only cookies from an action's headers unless the route says which others to send.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'))
  if (await getStaff(request)) throw redirect(redirectTo)
  const csrf = await getCsrfToken(request)
  return data({ csrf: csrf.token, redirectTo }, { headers: csrf.setCookie ? { 'Set-Cookie': csrf.setCookie } : undefined })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema })
  // The password is never sent back to the page.
  const reply = (formErrors?: string[]) => submission.reply({ formErrors, hideFields: ['password'] })
  if (await checkCsrf(request, formData)) return data({ result: reply(['auth.csrfRejected']), retryMinutes: 0 }, { status: 403 })
  if (submission.status !== 'success') return data({ result: reply(), retryMinutes: 0 }, { status: 400 })
  const outcome = await login({ email: submission.value.email, password: submission.value.password, ip: clientIp(request, context) })
  if (outcome.status === 'rate-limited') {
    const retryMinutes = Math.ceil(outcome.retryAfterSeconds / 60)
    return data(
      { result: reply(['auth.login.rateLimited']), retryMinutes },
      { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } },
    )
  }
  if (outcome.status === 'invalid') return data({ result: reply(['auth.login.invalid']), retryMinutes: 0 }, { status: 400 })
  return redirect(safeRedirect(submission.value.redirectTo), { headers: { 'Set-Cookie': outcome.setCookie } })
}

export default function Login() {
  const { csrf, redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const root = useRootData()
  const navigation = useNavigation()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    constraint: getZodConstraint(schema),
    // Not on blur: an error appearing or vanishing then would move the button from under the pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  return (
    <main id="contenu" className="page login-page">
      <section className="hero">
        <p className="card-kicker">{root?.organization.name ?? 'Relais'}</p>
        <h1>{t('auth.login.title')}</h1>
        <p>{t('auth.login.intro')}</p>
        <FormErrors id={form.errorId} errors={form.errors} values={{ count: actionData?.retryMinutes ?? 0 }} />
        <CsrfProvider token={csrf}>
          <Form method="post" className="stack" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <div>
              <label htmlFor={fields.email.id}>{t('auth.login.email')}</label>
              <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="username" autoFocus />
              <FieldError id={fields.email.errorId} errors={fields.email.errors} />
            </div>
            <div>
              <label htmlFor={fields.password.id}>{t('auth.login.password')}</label>
              <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="current-password" />
              <FieldError id={fields.password.errorId} errors={fields.password.errors} />
            </div>
            <p>
              <button type="submit" disabled={navigation.state === 'submitting'}>
                {t('auth.login.submit')}
              </button>
            </p>
          </Form>
        </CsrfProvider>
      </section>
    </main>
  )
}
