// Owns the test-send form: staff addresses only (the signed-in person's ticked), sent after the readiness check.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

export function CampaignTestSend({ recipients, currentEmail, disabled }: { recipients: Array<{ id: number; name: string; email: string }>; currentEmail: string; disabled: boolean }) {
  const { t } = useTranslation()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'test'
  return (
    <Form method="post" className="stack">
      <CsrfInput />
      <fieldset>
        <legend>{t('campaigns.test.recipients')}</legend>
        {recipients.map((person) => (
          <div key={person.id}>
            <input type="checkbox" id={`test-to-${person.id}`} name="to" value={person.email} defaultChecked={person.email === currentEmail} />
            <label htmlFor={`test-to-${person.id}`}>{`${person.name} <${person.email}>`}</label>
          </div>
        ))}
      </fieldset>
      <div>
        <button type="submit" name="intent" value="test" disabled={disabled || busy}>
          {busy ? t('campaigns.test.sending') : t('campaigns.test.submit')}
        </button>
      </div>
    </Form>
  )
}
