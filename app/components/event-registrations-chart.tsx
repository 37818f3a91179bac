// Owns the registrations-per-day chart of an event page: its heading and wording around the shared daily bar chart
// (one bar per day, described for screen readers, the figures in a table).
import { useTranslation } from 'react-i18next'
import { DailyBarChart } from '~/components/daily-bar-chart.tsx'

export function EventRegistrationsChart({ days }: { days: { day: string; label: string; count: number }[] }) {
  const { t } = useTranslation()
  if (days.length === 0) return null
  const total = days.reduce((sum, day) => sum + day.count, 0)
  const max = Math.max(0, ...days.map((day) => day.count))
  const description = t('adminEvents.chart.description', { from: days[0]?.label, to: days.at(-1)?.label, total, max })
  return (
    <section aria-labelledby="event-chart-title">
      <h2 id="event-chart-title">{t('adminEvents.chart.title')}</h2>
      <DailyBarChart
        className="event-chart"
        days={days.map((day) => ({ key: day.day, label: day.label, count: day.count }))}
        description={description}
        barTitle={(day) => `${day.label} : ${day.count}`}
        tableToggle={t('adminEvents.chart.table')}
        tableCaption={t('adminEvents.chart.caption')}
        dayHeader={t('adminEvents.chart.day')}
        countHeader={t('adminEvents.chart.count')}
        barWidth={12}
        minSlots={30}
      />
    </section>
  )
}
