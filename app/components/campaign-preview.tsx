// Owns the preview of a campaign on its page: the HTML at desktop (600 px) and mobile (375 px) widths in sandboxed
// frames (served by /admin/campaigns/:id/preview with a strict CSP), and the plain-text part.
import { useTranslation } from 'react-i18next'

export function CampaignPreview({ campaignId, version, text, subject }: { campaignId: number; version: string; text: string | null; subject: string | null }) {
  const { t } = useTranslation()
  const src = `/admin/campaigns/${campaignId}/preview?format=html&v=${encodeURIComponent(version)}`
  const frames: Array<[string, number]> = [
    ['desktop', 600],
    ['mobile', 375],
  ]
  return (
    <>
      {subject ? (
        <p>
          <strong>{t('campaigns.preview.subject')}</strong> <span data-preview-subject>{subject}</span>
        </p>
      ) : null}
      <div className="campaign-previews">
        {frames.map(([name, width]) => (
          <figure key={name}>
            <figcaption>{t(`campaigns.preview.${name}`, { width })}</figcaption>
            {/* sandbox="": no scripts, no forms, no top navigation, an opaque origin out of the staff cookies' reach. */}
            <iframe key={src} sandbox="" src={src} width={width} title={t('campaigns.preview.frameTitle', { width })} data-preview={name} style={{ width }} />
          </figure>
        ))}
      </div>
      <h3>{t('campaigns.preview.textTitle')}</h3>
      {text === null ? <p>{t('campaigns.preview.unavailable')}</p> : <pre className="campaign-text-preview" data-preview-text tabIndex={0} aria-label={t('campaigns.preview.textTitle')}>{text}</pre>}
    </>
  )
}
