// Retention page (admins only): what the 3-year policy would do now (dry run), whether it is on, its last run, and
// the switch that turns it on or off (audited).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { getOrganization } from '~/models/organization.server.ts'
import { getRetentionSetting, retentionDryRun, setRetentionEnabled } from '~/models/retention.server.ts'
import { requireAdmin } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'
import { ActionOutcome } from '~/components/form-errors.tsx'

export const meta: MetaFunction = () => [{ title: 'Conservation des données · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const [counts, setting, locale, organization] = await Promise.all([retentionDryRun(), getRetentionSetting(), getLocale(request), getOrganization()])
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: organization.timeZone })
  return {
    counts,
    enabledAt: setting.enabledAt ? format.format(setting.enabledAt) : null,
    lastRun: setting.lastRun ? { ...setting.lastRun, at: format.format(setting.lastRun.at) } : null,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request)
  const enabled = (await request.formData()).get('intent') === 'enable'
  await setRetentionEnabled(enabled, admin)
  return { notice: enabled ? 'retention.notices.enabled' : 'retention.notices.disabled' }
}

export default function RetentionPage() {
  const { counts, enabledAt, lastRun } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('retention.title')}</h1>
      <p>{t('retention.intro')}</p>
      <p>{t('retention.unreachable')}</p>
      <ActionOutcome notice={actionData?.notice} />
      <div className="notice">
        <p id="retention-dry-run">
          <strong>{t('retention.dryRun', { repermission: counts.repermission, erase: counts.erase })}</strong>
        </p>
        <p>{t('retention.dryRunNote')}</p>
      </div>
      <p id="retention-state">{enabledAt ? t('retention.enabled', { date: enabledAt }) : t('retention.disabled')}</p>
      <p>{lastRun ? t('retention.lastRun', { date: lastRun.at, sent: lastRun.sent, erased: lastRun.erased }) : t('retention.neverRun')}</p>
      <Form method="post">
        <CsrfInput />
        {enabledAt ? (
          <button type="submit" name="intent" value="disable" className="secondary">
            {t('retention.disable')}
          </button>
        ) : (
          <button type="submit" name="intent" value="enable">
            {t('retention.enable')}
          </button>
        )}
      </Form>
    </>
  )
}
