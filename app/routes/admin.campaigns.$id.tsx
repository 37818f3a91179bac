// Composing one campaign: its settings (a plain form, works without JS), the block editor with autosave, the live
// preview at two widths and as text, what still blocks a send, the test send, and duplicate / template / delete.
// A campaign already sent (or sending) is shown read-only here; its controls live on /send and /results.
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CampaignBlockEditor } from '~/components/campaign-editor/block-editor.tsx'
import editorStyles from '~/components/campaign-editor/editor.css?url'
import { CampaignHeader } from '~/components/campaign-header.tsx'
import { CampaignPreview } from '~/components/campaign-preview.tsx'
import { CampaignReadiness } from '~/components/campaign-readiness.tsx'
import { CampaignSettingsForm } from '~/components/campaign-settings-form.tsx'
import { CampaignTestSend } from '~/components/campaign-test-send.tsx'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { ActionOutcome } from '~/components/form-errors.tsx'
import { assetNames } from '~/models/asset.server.ts'
import { previewCampaign, sendCampaignTest } from '~/models/campaign-render.server.ts'
import { campaignReadiness } from '~/models/campaign-readiness.server.ts'
import { campaignIdParam, campaignSettingsSchema } from '~/models/campaign-schema.ts'
import * as campaigns from '~/models/campaign.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'
import { requireStaffCampaign, saveContentForm } from '~/utils/staff-campaign.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.campaign.name ?? 'Campagne'} · Relais` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, id, campaign } = await requireStaffCampaign(request, params)
  const [choices, organization, locale, problems, estimate, names, recipients, preview] = await Promise.all([
    campaigns.campaignFormChoices(),
    getOrganization(),
    getLocale(request),
    campaignReadiness(id),
    campaigns.estimateRecipients(campaign.listIds, campaign.segmentId),
    assetNames(campaign.content.flatMap((block) => ('assetId' in block && block.assetId ? [block.assetId] : []))),
    campaigns.testRecipientChoices(),
    previewCampaign(id).catch(() => null),
  ])
  const kinds = { ONLINE: 'online', IN_PERSON: 'inPerson', HYBRID: 'hybrid' } as const
  const t = await i18next.getFixedT(request)
  const events = choices.events.map((event) => {
    const when = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timeZone }).format(event.startsAt)
    return { id: event.id, label: `${event.title} — ${when} (${t(`campaigns.editor.eventKinds.${kinds[event.kind]}`)})` }
  })
  const { content: _content, editorBlocks, updatedAt, ...rest } = campaign
  return {
    campaign: { ...rest, editable: campaigns.isEditable(campaign), version: updatedAt.toISOString() },
    content: editorBlocks,
    choices: { senders: choices.senders, lists: choices.lists, segments: choices.segments },
    events,
    assetNames: names,
    problems,
    estimate,
    recipients,
    preview: preview ? { subject: preview.subject, text: preview.text } : null,
    staffEmail: staff.email,
    organization: { name: organization.name, postalAddress: organization.postalAddress, timeZone: organization.timeZone },
    created: new URL(request.url).searchParams.get('created') === '1',
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const id = campaignIdParam(params.id)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const t = await i18next.getFixedT(request)
  try {
    switch (intent) {
      case 'content': {
        const { status, answer } = await saveContentForm(id, formData, t)
        return data(answer, { status })
      }
      case 'settings': {
        const submission = parseWithZod(formData, { schema: campaignSettingsSchema })
        if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
        try {
          await campaigns.updateCampaignSettings(id, submission.value, staff)
        } catch (error) {
          if (!(error instanceof campaigns.CampaignError) || !error.field) throw error
          return data({ intent, result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 })
        }
        return { intent, result: submission.reply(), notice: 'campaigns.notices.saved' }
      }
      case 'test': {
        const problems = await campaignReadiness(id)
        if (problems.length > 0) return data({ intent, problems }, { status: 400 })
        const to = await campaigns.checkTestRecipients(formData.getAll('to').map(String))
        const { queued } = await sendCampaignTest(id, to, staff.id)
        return { intent, notice: 'campaigns.test.queued', count: queued }
      }
      case 'duplicate':
        return redirect(`/admin/campaigns/${await campaigns.duplicateCampaign(id, staff)}?created=1`)
      case 'template':
        return redirect(`/admin/campaigns/${await campaigns.saveAsTemplate(id, staff)}?created=1`)
      case 'delete':
        await campaigns.deleteDraft(id, staff)
        return redirect('/admin/campaigns')
      default:
        return data({ intent, error: 'campaigns.errors.unknownAction' }, { status: 400 })
    }
  } catch (error) {
    if (!(error instanceof campaigns.CampaignError)) throw error
    if (error.messageKey === 'campaigns.errors.notFound') throw new Response('Campagne introuvable', { status: 404 })
    return data({ intent, error: error.messageKey }, { status: 400 })
  }
}

export default function CampaignPage() {
  const loaded = useLoaderData<typeof loader>()
  const { campaign, organization } = loaded
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const reply = actionData && actionData.intent !== 'content' ? actionData : null
  const notice = reply && 'notice' in reply ? reply.notice : loaded.created ? 'campaigns.notices.created' : null
  return (
    <>
      <CampaignHeader campaign={campaign} current="compose" />
      {notice ? (
        <p className="notice" role="status">
          {t(notice, { count: reply && 'count' in reply ? reply.count : undefined })}
        </p>
      ) : null}
      <ActionOutcome error={reply && 'error' in reply ? reply.error : null} />
      {reply && 'problems' in reply ? <CampaignReadiness problems={reply.problems} alert /> : null}
      {!campaign.editable ? (
        <p className="notice">
          {t('campaigns.readOnly')} <Link to={`/admin/campaigns/${campaign.id}/send`}>{t('campaigns.tabs.send')}</Link>
        </p>
      ) : null}
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">{t('campaigns.sections.settings')}</h2>
        <CampaignSettingsForm
          lastResult={reply && 'result' in reply ? reply.result : undefined}
          defaults={campaign}
          choices={loaded.choices}
          estimate={loaded.estimate}
          disabled={!campaign.editable}
        />
      </section>
      <section aria-labelledby="content-title">
        <h2 id="content-title">{t('campaigns.sections.content')}</h2>
        {campaign.editable ? (
          <>
            <noscript>
              <p className="notice">{t('campaigns.editor.needsScript')}</p>
            </noscript>
            <CampaignBlockEditor
              key={campaign.id}
              campaignId={campaign.id}
              initialBlocks={loaded.content}
              events={loaded.events}
              initialAssetNames={loaded.assetNames}
              timeZone={organization.timeZone}
              footerNote={t('campaigns.editor.footer', { organization: organization.name, address: organization.postalAddress || '—' })}
            />
          </>
        ) : (
          <p>{t('campaigns.editor.locked')}</p>
        )}
      </section>
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t('campaigns.sections.preview')}</h2>
        <CampaignPreview campaignId={campaign.id} version={campaign.version} text={loaded.preview?.text ?? null} subject={loaded.preview?.subject ?? null} />
      </section>
      {campaign.editable ? (
        <section aria-labelledby="ready-title">
          <h2 id="ready-title">{t('campaigns.sections.readiness')}</h2>
          <CampaignReadiness problems={loaded.problems} />
          {!campaign.isTemplate && loaded.problems.length === 0 ? (
            <p>
              <Link className="button" to={`/admin/campaigns/${campaign.id}/send`}>
                {t('campaigns.readiness.goSend')}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="test-title">
        <h2 id="test-title">{t('campaigns.sections.test')}</h2>
        <p>{t('campaigns.test.intro')}</p>
        <CampaignTestSend recipients={loaded.recipients} currentEmail={loaded.staffEmail} disabled={false} />
      </section>
      <section aria-labelledby="more-title">
        <h2 id="more-title">{t('campaigns.sections.more')}</h2>
        <Form method="post" className="row-actions">
          <CsrfInput />
          <button type="submit" name="intent" value="duplicate" className="secondary">
            {t('campaigns.actions.duplicate')}
          </button>
          {campaign.isTemplate ? null : (
            <button type="submit" name="intent" value="template" className="secondary">
              {t('campaigns.actions.saveAsTemplate')}
            </button>
          )}
        </Form>
        {campaign.isTemplate || campaign.status === 'DRAFT' ? (
          <details>
            <summary>{t(campaign.isTemplate ? 'campaigns.actions.deleteTemplate' : 'campaigns.actions.delete')}</summary>
            <p>{t('campaigns.actions.deleteWarning')}</p>
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="delete" className="danger">
                {t('campaigns.actions.deleteConfirm')}
              </button>
            </Form>
          </details>
        ) : null}
      </section>
    </>
  )
}
