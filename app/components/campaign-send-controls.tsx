// Owns the sending controls of a campaign, by state: send now (with a confirmation step showing the recipient
// count) and schedule (date and time in the organisation's zone) before sending; reschedule and unschedule when
// scheduled; pause, resume and cancel (confirmed) while sending. Every button disables itself once pressed.
import { Form, Link, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

type Props = {
  campaign: { id: number; status: string; subject: string }
  problems: string[]
  estimate: number
  scheduledAt: string | null
  scheduleDefaults: { date: string; time: string }
  zoneLabel: string
  step: string | null
}

/** A POST button that disables itself while its own submission is under way (a double click starts one request). */
function ActionButton({ intent, label, busyLabel, className, disabled }: { intent: string; label: string; busyLabel?: string; className?: string; disabled?: boolean }) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent
  return (
    <button type="submit" name="intent" value={intent} className={className} disabled={disabled || busy} aria-disabled={disabled || busy || undefined}>
      {busy && busyLabel ? busyLabel : label}
    </button>
  )
}

export function CampaignSendControls({ campaign, problems, estimate, scheduledAt, scheduleDefaults, zoneLabel, step }: Props) {
  const { t } = useTranslation()
  const base = `/admin/campaigns/${campaign.id}/send`
  const blocked = problems.length > 0
  const { status } = campaign
  const confirmCancel = (
    <section aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t('campaigns.send.cancelTitle')}</h2>
      {step === 'confirm-cancel' ? (
        <div className="campaign-alert" role="alert">
          <p>{t('campaigns.send.cancelQuestion')}</p>
          <Form method="post" action={base} className="row-actions">
            <CsrfInput />
            <ActionButton intent="cancel" label={t('campaigns.send.cancelConfirm')} className="danger" />
            <Link to={base}>{t('campaigns.send.keep')}</Link>
          </Form>
        </div>
      ) : (
        <p>
          <Link className="button secondary" to={`${base}?step=confirm-cancel`}>
            {t('campaigns.send.cancel')}
          </Link>
        </p>
      )}
    </section>
  )
  if (status === 'SENDING' || status === 'PAUSED') {
    return (
      <>
        <section aria-labelledby="control-title">
          <h2 id="control-title">{t('campaigns.send.controlTitle')}</h2>
          <Form method="post" action={base}>
            <CsrfInput />
            {status === 'SENDING' ? <ActionButton intent="pause" label={t('campaigns.send.pause')} className="secondary" /> : <ActionButton intent="resume" label={t('campaigns.send.resume')} />}
          </Form>
        </section>
        {confirmCancel}
      </>
    )
  }
  if (status !== 'DRAFT' && status !== 'SCHEDULED') {
    return (
      <p>
        <Link to={`/admin/campaigns/${campaign.id}/results`}>{t('campaigns.send.seeResults')}</Link>
      </p>
    )
  }
  return (
    <>
      {status === 'SCHEDULED' && scheduledAt ? (
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title">{t('campaigns.send.scheduledTitle')}</h2>
          <p className="notice" data-scheduled-at>
            {t('campaigns.send.scheduledFor', { date: scheduledAt })}
          </p>
          <Form method="post" action={base}>
            <CsrfInput />
            <ActionButton intent="unschedule" label={t('campaigns.send.unschedule')} className="secondary" />
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="now-title">
        <h2 id="now-title">{t('campaigns.send.nowTitle')}</h2>
        {blocked ? <p id="send-fix-first">{t('campaigns.send.fixFirst')}</p> : null}
        {step === 'confirm-send' && !blocked ? (
          <div className="campaign-alert" role="alert">
            <p>{t('campaigns.send.question', { count: estimate, subject: campaign.subject })}</p>
            <Form method="post" action={base} className="row-actions">
              <CsrfInput />
              <ActionButton intent="send" label={t('campaigns.send.confirm', { count: estimate })} busyLabel={t('campaigns.send.starting')} />
              <Link to={base}>{t('campaigns.send.notNow')}</Link>
            </Form>
          </div>
        ) : blocked ? (
          <button type="button" disabled aria-describedby="send-fix-first">
            {t('campaigns.send.now')}
          </button>
        ) : (
          <p>
            <Link className="button" to={`${base}?step=confirm-send`}>
              {t('campaigns.send.now')}
            </Link>
          </p>
        )}
      </section>
      <section aria-labelledby="schedule-title">
        <h2 id="schedule-title">{t(status === 'SCHEDULED' ? 'campaigns.send.rescheduleTitle' : 'campaigns.send.scheduleTitle')}</h2>
        <Form method="post" action={base} className="admin-filters">
          <CsrfInput />
          <div>
            <label htmlFor="schedule-date">{t('campaigns.send.date')}</label>
            <input id="schedule-date" name="date" type="date" required defaultValue={scheduleDefaults.date} aria-describedby="schedule-zone" disabled={blocked} />
          </div>
          <div>
            <label htmlFor="schedule-time">{t('campaigns.send.time')}</label>
            <input id="schedule-time" name="time" type="time" required defaultValue={scheduleDefaults.time} aria-describedby="schedule-zone" disabled={blocked} />
          </div>
          <ActionButton intent="schedule" label={t(status === 'SCHEDULED' ? 'campaigns.send.reschedule' : 'campaigns.send.schedule')} disabled={blocked} />
          <p id="schedule-zone" className="hint" style={{ flexBasis: '100%' }}>
            {t('campaigns.send.zone', { zone: zoneLabel })}
          </p>
        </Form>
      </section>
    </>
  )
}
