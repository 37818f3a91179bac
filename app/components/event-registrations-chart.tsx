// Owns the registrations-per-day chart of an event page: one SVG bar per day (server rendered), described for
// screen readers, and the same figures in a table for exact numbers.
import { useTranslation } from 'react-i18next'

export function EventRegistrationsChart({ days }: { days: { day: string; label: string; count: number }[] }) {
  const { t } = useTranslation()
  if (days.length === 0) return null
  const total = days.reduce((sum, day) => sum + day.count, 0)
  const max = Math.max(0, ...days.map((day) => day.count))
  const scale = Math.max(1, max)
  const barWidth = 12
  const height = 120
  // Room for 30 days whatever the span, so that a few days draw narrow bars rather than stretched ones.
  const width = Math.max(days.length, 30) * barWidth
  const description = t('adminEvents.chart.description', { from: days[0]?.label, to: days.at(-1)?.label, total, max })
  return (
    <section aria-labelledby="event-chart-title">
      <h2 id="event-chart-title">{t('adminEvents.chart.title')}</h2>
      <figure className="event-chart">
        <svg role="img" aria-label={description} viewBox={`0 0 ${width} ${height + 2}`} preserveAspectRatio="none">
          <line x1={0} y1={height} x2={width} y2={height} stroke="currentColor" strokeWidth={1} />
          {days.map((day, index) => {
            const barHeight = (day.count / scale) * (height - 4)
            return (
              <rect key={day.day} x={index * barWidth + 2} y={height - barHeight} width={barWidth - 4} height={barHeight} fill="currentColor">
                <title>{`${day.label} : ${day.count}`}</title>
              </rect>
            )
          })}
        </svg>
        <figcaption>{description}</figcaption>
        <details>
          <summary>{t('adminEvents.chart.table')}</summary>
          <table>
            <caption className="sr-only">{t('adminEvents.chart.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('adminEvents.chart.day')}</th>
                <th scope="col">{t('adminEvents.chart.count')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day) => (
                <tr key={day.day}>
                  <td>{day.label}</td>
                  <td>{day.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
    </section>
  )
}
