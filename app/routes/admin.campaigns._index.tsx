// Campaigns page: every campaign (newest change first) with its state, the templates, and the forms that start a
// new campaign, blank or from a template. Editors and admins alike.
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { ActionOutcome, FieldError } from '~/components/form-errors.tsx'
import { newCampaignSchema } from '~/models/campaign-schema.ts'
import { CampaignError, createCampaign, createFromTemplate, listCampaigns } from '~/models/campaign.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { useStaffShell } from './admin.tsx'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction = () => [{ title: 'Campagnes · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [campaigns, templates, organization, locale] = await Promise.all([listCampaigns(), listCampaigns({ templates: true }), getOrganization(), getLocale(request)])
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: organization.timeZone })
  const when = (date: Date | null) => (date ? format.format(date) : null)
  const rows = (items: typeof campaigns) =>
    items.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      subject: campaign.subject,
      status: campaign.status,
      lists: campaign.lists.map((entry) => entry.list.name),
      scheduledAt: when(campaign.scheduledAt),
      finishedAt: when(campaign.finishedAt),
      updatedAt: when(campaign.updatedAt),
    }))
  return { campaigns: rows(campaigns), templates: rows(templates) }
}

const fromTemplateSchema = z.object({ templateId: z.coerce.number().int().positive().max(2_147_483_647) })

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'from-template') {
    const parsed = fromTemplateSchema.safeParse(Object.fromEntries(formData))
    try {
      if (!parsed.success) throw new CampaignError('campaigns.errors.notFound')
      return redirect(`/admin/campaigns/${await createFromTemplate(parsed.data.templateId, staff)}?created=1`)
    } catch (error) {
      if (!(error instanceof CampaignError)) throw error
      return data({ error: error.messageKey, result: undefined }, { status: 400 })
    }
  }
  const submission = parseWithZod(formData, { schema: newCampaignSchema })
  if (submission.status !== 'success') return data({ error: undefined, result: submission.reply() }, { status: 400 })
  const id = await createCampaign({ name: submission.value.name }, staff)
  return redirect(`/admin/campaigns/${id}?created=1`)
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['campaigns'][number]

export default function CampaignsPage() {
  const { campaigns, templates } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const staff = useStaffShell()
  const { t } = useTranslation()
  const nameErrors = actionData?.result?.error?.name ?? undefined
  const when = (row: Row) =>
    row.status === 'SCHEDULED' && row.scheduledAt
      ? t('campaigns.list.scheduledFor', { date: row.scheduledAt })
      : row.finishedAt
        ? t('campaigns.list.finishedAt', { date: row.finishedAt })
        : t('campaigns.list.updatedAt', { date: row.updatedAt })
  return (
    <>
      <h1>{t('campaigns.title')}</h1>
      <p>{t('campaigns.intro')}</p>
      {staff.role === 'ADMIN' ? (
        <p>
          <Link to="/admin/senders">{t('campaigns.senders.link')}</Link>
        </p>
      ) : null}
      <ActionOutcome error={actionData?.error} />
      <section aria-labelledby="new-title">
        <h2 id="new-title">{t('campaigns.new.title')}</h2>
        <Form method="post" className="admin-filters" noValidate>
          <CsrfInput />
          <div>
            <label htmlFor="new-name">{t('campaigns.new.name')}</label>
            <input id="new-name" name="name" type="text" required maxLength={200} aria-invalid={nameErrors ? true : undefined} aria-describedby={nameErrors ? 'new-name-error' : undefined} />
            <FieldError id="new-name-error" errors={nameErrors} />
          </div>
          <button type="submit" name="intent" value="create" disabled={navigation.state === 'submitting'}>
            {t('campaigns.new.submit')}
          </button>
        </Form>
      </section>
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('campaigns.list.title')}</h2>
        {campaigns.length === 0 ? (
          <p>{t('campaigns.list.empty')}</p>
        ) : (
          <table>
            <caption className="sr-only">{t('campaigns.list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.list.name')}</th>
                <th scope="col">{t('campaigns.list.status')}</th>
                <th scope="col">{t('campaigns.list.lists')}</th>
                <th scope="col">{t('campaigns.list.when')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link to={`/admin/campaigns/${row.id}`}>{row.name}</Link>
                    {row.subject ? <p className="hint">{row.subject}</p> : null}
                  </td>
                  <td data-status={row.status}>{t(`campaigns.status.${row.status}`)}</td>
                  <td>{row.lists.join(', ') || t('campaigns.list.noList')}</td>
                  <td>{when(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="templates-title">
        <h2 id="templates-title">{t('campaigns.templates.title')}</h2>
        <p>{t('campaigns.templates.intro')}</p>
        {templates.length === 0 ? (
          <p>{t('campaigns.templates.empty')}</p>
        ) : (
          <table>
            <caption className="sr-only">{t('campaigns.templates.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.list.name')}</th>
                <th scope="col">{t('campaigns.list.when')}</th>
                <th scope="col">{t('campaigns.templates.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link to={`/admin/campaigns/${row.id}`}>{row.name}</Link>
                  </td>
                  <td>{when(row)}</td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="templateId" value={row.id} />
                      <button type="submit" name="intent" value="from-template" className="secondary">
                        {t('campaigns.templates.use')}
                        <span className="sr-only">{` ${t('campaigns.templates.useNamed', { name: row.name })}`}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
