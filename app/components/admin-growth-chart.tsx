// Owns the growth chart of a list: one bar per day as an SVG described for screen readers, and the same figures
// in a table (the accessible alternative, and what a reader who wants exact numbers looks at).
import { useTranslation } from 'react-i18next'

export function AdminGrowthChart({ days }: { days: { day: string; count: number }[] }) {
  const { t } = useTranslation()
  const total = days.reduce((sum, day) => sum + day.count, 0)
  const max = Math.max(1, ...days.map((day) => day.count))
  const barWidth = 6
  const height = 120
  const width = days.length * barWidth
  const summary = t('adminLists.growth.summary', { total, days: days.length, max })
  return (
    <figure className="admin-growth">
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height + 2}`} width="100%" height={height + 2} preserveAspectRatio="none">
        <line x1={0} y1={height} x2={width} y2={height} stroke="currentColor" strokeWidth={1} />
        {days.map((day, index) => {
          const barHeight = (day.count / max) * (height - 4)
          return (
            <rect key={day.day} x={index * barWidth + 1} y={height - barHeight} width={barWidth - 2} height={barHeight} fill="currentColor">
              <title>{t('adminLists.growth.bar', { day: day.day, count: day.count })}</title>
            </rect>
          )
        })}
      </svg>
      <figcaption>{summary}</figcaption>
      <details>
        <summary>{t('adminLists.growth.tableToggle')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adminLists.growth.day')}</th>
              <th scope="col">{t('adminLists.growth.count')}</th>
            </tr>
          </thead>
          <tbody>
            {days
              .filter((day) => day.count > 0)
              .map((day) => (
                <tr key={day.day}>
                  <td>{day.day}</td>
                  <td>{day.count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
