// Owns the top of every page of one campaign: its name and state, and the links between composing, sending and
// results.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export type CampaignPage = 'compose' | 'send' | 'results'

export function CampaignHeader({ campaign, current }: { campaign: { id: number; name: string; status: string; isTemplate: boolean }; current: CampaignPage }) {
  const { t } = useTranslation()
  const base = `/admin/campaigns/${campaign.id}`
  const pages: Array<[CampaignPage, string, string]> = [
    ['compose', base, 'campaigns.tabs.compose'],
    ...(campaign.isTemplate
      ? []
      : ([
          ['send', `${base}/send`, 'campaigns.tabs.send'],
          ['results', `${base}/results`, 'campaigns.tabs.results'],
        ] as Array<[CampaignPage, string, string]>)),
  ]
  return (
    <>
      <p>
        <Link to="/admin/campaigns">{t('campaigns.back')}</Link>
      </p>
      <h1>{campaign.name}</h1>
      <p>
        <span className="campaign-status" data-campaign-status={campaign.status}>
          {campaign.isTemplate ? t('campaigns.templateBadge') : t(`campaigns.status.${campaign.status}`)}
        </span>
      </p>
      <nav aria-label={t('campaigns.tabs.label')}>
        <ul className="campaign-tabs">
          {pages.map(([page, to, label]) => (
            <li key={page}>
              <Link to={to} aria-current={page === current ? 'page' : undefined}>
                {t(label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </>
  )
}
