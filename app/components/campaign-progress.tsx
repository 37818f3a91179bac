// Owns the live progress of a sending campaign: counts, rate, estimated end, why it is paused, and recipients taken
// back after a worker died. Polls /admin/campaigns/:id/progress every two seconds while the campaign may still
// move, and reloads the page's data when its state changes (so the right controls show).
import { useEffect, useRef, useState } from 'react'
import { useRevalidator } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { CampaignProgress } from '~/models/campaign-progress.server.ts'

/** The model's progress as it arrives here: dates become ISO strings through the loader's JSON and the poll's. */
type When = string | Date | null
export type ProgressView = { [K in keyof CampaignProgress]: CampaignProgress[K] extends Date | null ? When : CampaignProgress[K] }

const POLL_MS = 2000
const moving = new Set(['SCHEDULED', 'SENDING', 'PAUSED'])

export function CampaignProgressPanel({ campaignId, initial, timeZone }: { campaignId: number; initial: ProgressView; timeZone: string }) {
  const { t, i18n } = useTranslation()
  const revalidator = useRevalidator()
  const [polled, setPolled] = useState<ProgressView | null>(null)
  const progress = polled ?? initial
  const shownStatus = useRef(initial.status)

  useEffect(() => {
    if (!moving.has(progress.status)) return
    let controller: AbortController | null = null
    const timer = setInterval(() => {
      // A slow answer is dropped when the next tick starts: the newest figures win.
      controller?.abort()
      const current = new AbortController()
      controller = current
      fetch(`/admin/campaigns/${campaignId}/progress`, { signal: current.signal })
        .then((response) => (response.ok ? (response.json() as Promise<ProgressView>) : null))
        .then((next) => {
          if (next && !current.signal.aborted) setPolled(next)
        })
        .catch(() => undefined)
    }, POLL_MS)
    return () => {
      clearInterval(timer)
      controller?.abort()
    }
  }, [campaignId, progress.status])
  useEffect(() => {
    if (progress.status !== shownStatus.current) {
      shownStatus.current = progress.status
      revalidator.revalidate()
    }
  }, [progress.status, revalidator])

  const format = (value: When, options: Intl.DateTimeFormatOptions) => (value ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { ...options, timeZone }).format(new Date(value)) : null)
  const end = format(progress.estimatedEndAt, { timeStyle: 'short' })
  const finished = format(progress.finishedAt, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <div data-progress-status={progress.status}>
      <p role="status" aria-live="polite">
        <strong>{t(`campaigns.progress.state.${progress.status}`)}</strong>
        {progress.status === 'SENT' && finished ? ` — ${t('campaigns.progress.finishedAt', { date: finished })}` : null}
      </p>
      {/* Before the launch there is nothing to count yet. */}
      {progress.status === 'SCHEDULED' ? null : <ProgressFigures progress={progress} end={end} />}
    </div>
  )
}

function ProgressFigures({ progress, end }: { progress: ProgressView; end: string | null }) {
  const { t } = useTranslation()
  const counts: Array<[string, number]> = [
    ['sent', progress.sent],
    ['remaining', progress.remaining],
    ['failed', progress.failed],
    ['bounced', progress.bounced],
    ['skipped', progress.skipped],
    ['total', progress.total],
  ]
  return (
    <>
      {progress.pausedReason ? (
        <p className="campaign-alert" role="alert">
          {t('campaigns.progress.pausedReason', { reason: progress.pausedReason })}
        </p>
      ) : null}
      {progress.total > 0 ? (
        <progress value={progress.total - progress.remaining} max={progress.total} aria-label={t('campaigns.progress.bar', { done: progress.total - progress.remaining, total: progress.total })} style={{ width: '100%' }} />
      ) : null}
      <dl className="admin-counts">
        {counts.map(([name, value]) => (
          <div key={name}>
            <dt>{t(`campaigns.progress.counts.${name}`)}</dt>
            <dd data-count={name}>{value}</dd>
          </div>
        ))}
      </dl>
      {progress.status === 'SENDING' ? (
        <p>
          {t('campaigns.progress.rate', { count: Math.round(progress.perMinute) })}
          {end ? ` ${t('campaigns.progress.estimatedEnd', { time: end })}` : null}
        </p>
      ) : null}
      {progress.recoveredCount > 0 ? (
        <p className="notice" data-recovered={progress.recoveredCount}>
          {t('campaigns.progress.recovered', { count: progress.recoveredCount })}
        </p>
      ) : null}
    </>
  )
}
