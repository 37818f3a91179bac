// POST /newsletters/resend (token): a new confirmation email for an expired (but authentic) link. The page says
// the same whatever happened (nothing pending, daily cap reached): the address's owner reads their mail.
import { data, type ActionFunctionArgs } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { resendConfirmation } from '~/models/subscription.server.ts'
import { readConfirmLink } from '~/utils/links.server.ts'

export async function action({ request }: ActionFunctionArgs) {
  const token = (await request.formData()).get('token')
  const link = readConfirmLink(typeof token === 'string' ? token : undefined)
  if (link.state === 'invalid') return data({ ok: false }, { status: 400 })
  await resendConfirmation(link)
  return data({ ok: true })
}

export default function ResendConfirmation() {
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <main id="contenu" className="page">
      <section className="hero">
        <h1>{result?.ok ? t('signup.confirm.resentTitle') : t('signup.confirm.invalidTitle')}</h1>
        <p>{result?.ok ? t('signup.confirm.resentBody') : t('signup.confirm.invalidBody')}</p>
        <p>
          <Link to="/newsletters">{t('signup.confirm.signupAgain')}</Link>
        </p>
      </section>
    </main>
  )
}
