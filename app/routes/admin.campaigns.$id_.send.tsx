// Sending one campaign: send now (after a confirmation showing the recipient count), schedule at a date and time of
// the organisation's zone, reschedule, unschedule; while sending, live progress with pause, resume and cancel (after
// confirmation). The rules (one run only, states) belong to app/models/campaign-send.server.ts.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import editorStyles from '~/components/campaign-editor/editor.css?url'
import { CampaignHeader } from '~/components/campaign-header.tsx'
import { CampaignProgressPanel } from '~/components/campaign-progress.tsx'
import { CampaignReadiness } from '~/components/campaign-readiness.tsx'
import { CampaignSendControls } from '~/components/campaign-send-controls.tsx'
import { ActionOutcome } from '~/components/form-errors.tsx'
import { campaignProgress } from '~/models/campaign-progress.server.ts'
import { campaignIdParam, instantToWallClock, wallClockToInstant } from '~/models/campaign-schema.ts'
import * as sending from '~/models/campaign-send.server.ts'
import { campaignReadiness } from '~/models/campaign-readiness.server.ts'
import { estimateRecipients } from '~/models/campaign.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { requireStaffCampaign } from '~/utils/staff-campaign.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.campaign.name ?? 'Campagne'} · Envoi · Relais` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, campaign } = await requireStaffCampaign(request, params, { templates: false })
  const [organization, locale] = await Promise.all([getOrganization(), getLocale(request)])
  const beforeSend = campaign.status === 'DRAFT' || campaign.status === 'SCHEDULED'
  const [problems, estimate, progress] = await Promise.all([
    beforeSend ? campaignReadiness(id) : Promise.resolve([]),
    beforeSend ? estimateRecipients(campaign.listIds, campaign.segmentId) : Promise.resolve(0),
    beforeSend && campaign.status === 'DRAFT'
      ? Promise.resolve(null)
      : campaignProgress(id).catch((error: unknown) => {
          logger.warn({ campaignId: id, err: error instanceof Error ? error.message : String(error) }, 'campaign progress unavailable')
          return null
        }),
  ])
  const zone = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { timeZone: organization.timeZone, timeZoneName: 'long' }).formatToParts(new Date()).find((part) => part.type === 'timeZoneName')?.value
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: organization.timeZone })
  const tomorrowMorning = instantToWallClock(new Date(Date.now() + 86_400_000), organization.timeZone)
  return {
    campaign: { id: campaign.id, name: campaign.name, status: campaign.status, isTemplate: campaign.isTemplate, lists: campaign.lists.map((entry) => entry.list.name), segment: campaign.segment?.name ?? null, subject: campaign.subject },
    scheduledAt: campaign.scheduledAt ? format.format(campaign.scheduledAt) : null,
    scheduleDefaults: campaign.scheduledAt ? instantToWallClock(campaign.scheduledAt, organization.timeZone) : { date: tomorrowMorning.date, time: '09:00' },
    timeZone: organization.timeZone,
    zoneLabel: zone ? `${organization.timeZone} (${zone})` : organization.timeZone,
    problems,
    estimate,
    progress,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = campaignIdParam(params.id)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const t = await i18next.getFixedT(request)
  let result: sending.ControlResult
  switch (intent) {
    case 'send':
      result = await sending.launchCampaign(id, staff.id)
      break
    case 'schedule': {
      const { timeZone } = await getOrganization()
      const at = wallClockToInstant({ date: String(formData.get('date') ?? ''), time: String(formData.get('time') ?? '') }, timeZone)
      if (!at) return data({ intent, error: t('campaigns.send.invalidWhen') }, { status: 400 })
      if (at.getTime() <= Date.now()) return data({ intent, error: t('campaigns.send.pastWhen') }, { status: 400 })
      result = await sending.scheduleCampaign(id, at, staff.id)
      break
    }
    case 'unschedule':
      result = await sending.unscheduleCampaign(id, staff.id)
      break
    case 'pause':
      result = await sending.pauseCampaign(id, staff.id)
      break
    case 'resume':
      result = await sending.resumeCampaign(id, staff.id)
      break
    case 'cancel':
      result = await sending.cancelCampaign(id, staff.id)
      break
    default:
      return data({ intent, error: t('campaigns.errors.unknownAction') }, { status: 400 })
  }
  if (!result.ok) return data({ intent, error: result.message }, { status: 409 })
  // Back to the page without the confirmation step; a reload does not post again.
  return redirect(`/admin/campaigns/${id}/send?done=${intent}`)
}

export default function CampaignSendPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation()
  const done = searchParams.get('done')
  const { campaign } = loaded
  const beforeSend = campaign.status === 'DRAFT' || campaign.status === 'SCHEDULED'
  return (
    <>
      <CampaignHeader campaign={campaign} current="send" />
      {/* The models' refusals arrive as French sentences; the notices are i18n keys. */}
      <ActionOutcome notice={done && !actionData ? `campaigns.send.done.${done}` : null} />
      {actionData?.error ? (
        <div className="error-summary" role="alert">
          <p>{actionData.error}</p>
        </div>
      ) : null}
      <section aria-labelledby="audience-title">
        <h2 id="audience-title">{t('campaigns.send.audience')}</h2>
        <dl>
          <dt>{t('campaigns.form.subject')}</dt>
          <dd>{campaign.subject || '—'}</dd>
          <dt>{t('campaigns.form.lists')}</dt>
          <dd>{campaign.lists.join(', ') || '—'}</dd>
          <dt>{t('campaigns.form.segment')}</dt>
          <dd>{campaign.segment ?? t('campaigns.form.noSegment')}</dd>
          {beforeSend ? (
            <>
              <dt>{t('campaigns.send.recipients')}</dt>
              <dd data-recipients={loaded.estimate}>{t('campaigns.form.estimate', { count: loaded.estimate })}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {beforeSend ? (
        <section aria-labelledby="readiness-title">
          <h2 id="readiness-title">{t('campaigns.sections.readiness')}</h2>
          <CampaignReadiness problems={loaded.problems} />
        </section>
      ) : null}
      {loaded.progress ? (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">{t('campaigns.progress.title')}</h2>
          {/* Keyed by the state: after pause, resume or cancel the panel starts from the page's fresh figures. */}
          <CampaignProgressPanel key={campaign.status} campaignId={campaign.id} initial={loaded.progress} timeZone={loaded.timeZone} />
        </section>
      ) : null}
      <CampaignSendControls
        campaign={campaign}
        problems={loaded.problems}
        estimate={loaded.estimate}
        scheduledAt={loaded.scheduledAt}
        scheduleDefaults={loaded.scheduleDefaults}
        zoneLabel={loaded.zoneLabel}
        step={searchParams.get('step')}
      />
    </>
  )
}
