// A count per day drawn as one SVG bar per day (server rendered, each bar titled), described for screen readers by
// its caption, with the same figures in a table under a disclosure for a reader who wants exact numbers. Presentational:
// the caller words the description, the bar titles and the table, so each chart keeps its own sentences.

export interface DailyBarChartDay {
  /** Stable per day (React key). */
  key: string
  /** How the day reads in the bar titles and the table. */
  label: string
  count: number
}

export interface DailyBarChartProps {
  days: DailyBarChartDay[]
  /** One sentence that says what the chart shows: the SVG's accessible name and the visible caption. */
  description: string
  barTitle: (day: DailyBarChartDay) => string
  tableToggle: string
  /** The table's caption, for screen readers only; none when omitted. */
  tableCaption?: string
  dayHeader: string
  countHeader: string
  className: string
  /** Width of one day's slot in SVG units; a third of it is the gap between bars. */
  barWidth: number
  /** Room kept for at least this many days, so that a short span draws narrow bars rather than stretched ones. */
  minSlots?: number
  /** Whether days with no count get a table row (the bars always show every day). */
  listZeroDays?: boolean
}

const height = 120

export function DailyBarChart({
  days,
  description,
  barTitle,
  tableToggle,
  tableCaption,
  dayHeader,
  countHeader,
  className,
  barWidth,
  minSlots = 0,
  listZeroDays = true,
}: DailyBarChartProps) {
  const scale = Math.max(1, ...days.map((day) => day.count))
  const width = Math.max(days.length, minSlots) * barWidth
  const gap = barWidth / 3
  const rows = listZeroDays ? days : days.filter((day) => day.count > 0)
  return (
    <figure className={className}>
      <svg role="img" aria-label={description} viewBox={`0 0 ${width} ${height + 2}`} width="100%" height={height + 2} preserveAspectRatio="none">
        <line x1={0} y1={height} x2={width} y2={height} stroke="currentColor" strokeWidth={1} />
        {days.map((day, index) => {
          const barHeight = (day.count / scale) * (height - 4)
          return (
            <rect key={day.key} x={index * barWidth + gap / 2} y={height - barHeight} width={barWidth - gap} height={barHeight} fill="currentColor">
              <title>{barTitle(day)}</title>
            </rect>
          )
        })}
      </svg>
      <figcaption>{description}</figcaption>
      <details>
        <summary>{tableToggle}</summary>
        <table>
          {tableCaption ? <caption className="sr-only">{tableCaption}</caption> : null}
          <thead>
            <tr>
              <th scope="col">{dayHeader}</th>
              <th scope="col">{countHeader}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((day) => (
              <tr key={day.key}>
                <td>{day.label}</td>
                <td>{day.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
