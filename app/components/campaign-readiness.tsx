// Owns how what blocks a campaign is shown: the French problems from campaignReadiness, or "ready".
import { useTranslation } from 'react-i18next'

export function CampaignReadiness({ problems, alert = false }: { problems: string[]; alert?: boolean }) {
  const { t } = useTranslation()
  if (problems.length === 0) return <p className="notice">{t('campaigns.readiness.ready')}</p>
  return (
    <div className="campaign-problems" role={alert ? 'alert' : undefined} data-readiness-problems>
      <p>
        <strong>{t('campaigns.readiness.blocked', { count: problems.length })}</strong>
      </p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  )
}
