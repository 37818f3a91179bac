// Results of one campaign: delivered, bounced (with reasons), unsubscribed from it, clicks per link, measurement as
// aggregate numbers only, and the failed recipients with the SMTP answer and a "retry failed" action.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import editorStyles from '~/components/campaign-editor/editor.css?url'
import { CampaignHeader } from '~/components/campaign-header.tsx'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { campaignResults } from '~/models/campaign-progress.server.ts'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { retryFailedDeliveries } from '~/models/campaign-send.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { requireStaffCampaign } from '~/utils/staff-campaign.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.campaign.name ?? 'Campagne'} · Résultats · Relais` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, campaign } = await requireStaffCampaign(request, params, { templates: false })
  const results = campaign.status === 'DRAFT' ? null : await campaignResults(id)
  return { campaign: { id: campaign.id, name: campaign.name, status: campaign.status, isTemplate: campaign.isTemplate }, results }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = campaignIdParam(params.id)
  const formData = await request.formData()
  if (formData.get('intent') !== 'retry') return data({ error: 'Action inconnue.' }, { status: 400 })
  const result = await retryFailedDeliveries(id, staff.id)
  if (!result.ok) return data({ error: result.message }, { status: 409 })
  return redirect(`/admin/campaigns/${id}/results?retried=${result.retried ?? 0}`)
}

export default function CampaignResultsPage() {
  const { campaign, results } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation()
  const retried = searchParams.get('retried')
  const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0)
  return (
    <>
      <CampaignHeader campaign={campaign} current="results" />
      {retried !== null && !actionData ? (
        <p className="notice" role="status">
          {t('campaigns.results.retried', { count: Number(retried) })}
        </p>
      ) : null}
      {actionData?.error ? (
        <div className="error-summary" role="alert">
          <p>{actionData.error}</p>
        </div>
      ) : null}
      {!results ? (
        <p>{t('campaigns.results.notSent')}</p>
      ) : (
        <>
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">{t('campaigns.results.summary')}</h2>
            <dl className="admin-counts">
              {(
                [
                  ['delivered', results.delivered],
                  ['bounced', results.bounced],
                  ['unsubscribed', results.unsubscribed],
                  ['failed', results.failedTotal],
                ] as const
              ).map(([name, value]) => (
                <div key={name}>
                  <dt>{t(`campaigns.results.counts.${name}`)}</dt>
                  <dd data-result={name}>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-labelledby="bounces-title">
            <h2 id="bounces-title">{t('campaigns.results.bouncesTitle')}</h2>
            {results.bounceReasons.length === 0 ? (
              <p>{t('campaigns.results.noBounces')}</p>
            ) : (
              <table>
                <caption className="sr-only">{t('campaigns.results.bouncesTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.results.reason')}</th>
                    <th scope="col">{t('campaigns.results.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.bounceReasons.map((row) => (
                    <tr key={row.reason}>
                      <td>{row.reason}</td>
                      <td>{row.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="clicks-title">
            <h2 id="clicks-title">{t('campaigns.results.clicksTitle')}</h2>
            <p className="hint">{t('campaigns.results.clicksHint')}</p>
            {results.clicks.length === 0 ? (
              <p>{t('campaigns.results.noClicks')}</p>
            ) : (
              <table>
                <caption className="sr-only">{t('campaigns.results.clicksTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.results.link')}</th>
                    <th scope="col">{t('campaigns.results.clicks')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.clicks.map((row) => (
                    <tr key={row.url}>
                      <td style={{ wordBreak: 'break-all' }}>{row.url}</td>
                      <td>{row.clicks}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="measured-title">
            <h2 id="measured-title">{t('campaigns.results.measuredTitle')}</h2>
            <p>
              {results.measured.recipients === 0
                ? t('campaigns.results.measuredNone')
                : t('campaigns.results.measured', {
                    count: results.measured.recipients,
                    opened: results.measured.opened,
                    openedPercent: percent(results.measured.opened, results.measured.recipients),
                    clicked: results.measured.clicked,
                    clickedPercent: percent(results.measured.clicked, results.measured.recipients),
                  })}
            </p>
          </section>
          <section aria-labelledby="failed-title">
            <h2 id="failed-title">{t('campaigns.results.failedTitle')}</h2>
            {results.failedTotal === 0 ? (
              <p>{t('campaigns.results.noFailures')}</p>
            ) : (
              <>
                <p>{t('campaigns.results.failedShown', { shown: results.failed.length, count: results.failedTotal })}</p>
                <table>
                  <caption className="sr-only">{t('campaigns.results.failedTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('campaigns.results.email')}</th>
                      <th scope="col">{t('campaigns.results.status')}</th>
                      <th scope="col">{t('campaigns.results.smtp')}</th>
                      <th scope="col">{t('campaigns.results.attempts')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.failed.map((row) => (
                      <tr key={row.deliveryId}>
                        <td>{row.email ?? t('campaigns.results.erased')}</td>
                        <td>{t(`campaigns.results.deliveryStatus.${row.status}`, { defaultValue: row.status })}</td>
                        <td>
                          <code>{row.smtpResponse ?? '—'}</code>
                        </td>
                        <td>{row.attempts}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Form method="post">
                  <CsrfInput />
                  <button type="submit" name="intent" value="retry" disabled={navigation.state !== 'idle'}>
                    {t('campaigns.results.retry')}
                  </button>
                </Form>
              </>
            )}
          </section>
        </>
      )}
    </>
  )
}
