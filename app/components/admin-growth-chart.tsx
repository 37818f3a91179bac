// Owns the growth chart of a list: its wording around the shared daily bar chart (one bar per day, described for
// screen readers, the days with confirmations in a table).
import { useTranslation } from 'react-i18next'
import { DailyBarChart } from '~/components/daily-bar-chart.tsx'

export function AdminGrowthChart({ days }: { days: { day: string; count: number }[] }) {
  const { t } = useTranslation()
  const total = days.reduce((sum, day) => sum + day.count, 0)
  const max = Math.max(1, ...days.map((day) => day.count))
  const summary = t('adminLists.growth.summary', { total, days: days.length, max })
  return (
    <DailyBarChart
      className="admin-growth"
      days={days.map((day) => ({ key: day.day, label: day.day, count: day.count }))}
      description={summary}
      barTitle={(day) => t('adminLists.growth.bar', { day: day.label, count: day.count })}
      tableToggle={t('adminLists.growth.tableToggle')}
      dayHeader={t('adminLists.growth.day')}
      countHeader={t('adminLists.growth.count')}
      barWidth={6}
      listZeroDays={false}
    />
  )
}
