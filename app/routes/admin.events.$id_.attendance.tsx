// Attendance of an event: who joined live through their personal link (online and hybrid events, refreshed every
// 15 s while the join window is open), present / absent per confirmed registration (editable, works without
// JavaScript), "mark the others absent", the attendance rate (present / confirmed, once the event is over), and the
// attendees' feedback (count, average, distribution, comments).
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AttendanceJoins } from '~/components/attendance-joins.tsx'
import { FeedbackSummary } from '~/components/feedback-summary.tsx'
import { MarkOthersAbsent, RegistrationAttendanceForm } from '~/components/registration-attendance-form.tsx'
import { RegistrationEventNav } from '~/components/registration-event-nav.tsx'
import { RegistrationOutcome } from '~/components/registration-outcome.tsx'
import registrationStyles from '~/components/registration-pages.css?url'
import { zoneLabel } from '~/i18n.ts'
import { Attendance } from '~/generated/prisma/enums.ts'
import { eventAttendance, eventJoins, listAttendance, liveJoinsShown, markRemainingAbsent, setAttendance, type AttendanceChange } from '~/models/attendance.server.ts'
import { eventFeedbackSummary } from '~/models/feedback.server.ts'
import { readPageParam } from '~/models/registration-filter.ts'
import { requireEventForRegistrations, staffDateTime, staffTime } from '~/models/registration-table.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: registrationStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Présence · ${loaded?.event.title ?? ''} · Relais` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').slice(0, 200)
  const locale = await getLocale(request)
  const now = new Date()
  const [stats, list, joins, feedback] = await Promise.all([
    eventAttendance([event.id], now),
    listAttendance(event.id, { q, page: readPageParam(url.searchParams) }),
    eventJoins(event.id, now),
    eventFeedbackSummary(event.id),
  ])
  const eventStats = stats.get(event.id)!
  const pageHref = (page: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), ...(page > 1 ? { page: String(page) } : {}) })}`
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB'
  return {
    event: { id: event.id, title: event.title, when: `${staffDateTime(event.startsAt, locale, event.timeZone)} (${zoneLabel(event.startsAt, locale, event.timeZone)})`, over: event.endsAt <= now, started: event.startsAt <= now },
    stats: eventStats,
    ratePercent: eventStats.rate === null ? null : new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(eventStats.rate),
    q,
    page: list.page,
    pageCount: list.pageCount,
    previousHref: list.page > 1 ? pageHref(list.page - 1) : null,
    nextHref: list.page < list.pageCount ? pageHref(list.page + 1) : null,
    rows: list.rows.map((row) => ({
      id: row.id,
      name: `${row.firstName} ${row.lastName}`.trim(),
      email: row.email,
      organization: row.organization,
      attendance: row.attendance,
      checkedInTime: row.checkedInAt ? staffTime(row.checkedInAt, locale, event.timeZone) : null,
      joinedTime: row.joinedAt ? staffTime(row.joinedAt, locale, event.timeZone) : null,
    })),
    joins: joins.online
      ? {
          live: joins.live,
          count: joins.count,
          joiners: joins.joiners.map((joiner) => ({ id: joiner.id, name: joiner.name, time: staffTime(joiner.joinedAt, locale, event.timeZone) })),
          checkedAt: new Intl.DateTimeFormat(tag, { timeStyle: 'medium', timeZone: event.timeZone }).format(now),
          shown: liveJoinsShown,
        }
      : null,
    // The same page (search and page kept): without JavaScript, this link is how the live list refreshes.
    refreshHref: `/admin/events/${event.id}/attendance${pageHref(list.page).replace(/^\?$/, '')}`,
    feedback: {
      count: feedback.count,
      average: feedback.average === null ? null : new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(feedback.average),
      distribution: feedback.distribution,
      comments: feedback.comments.map((comment) => ({ id: comment.id, name: comment.name, rating: comment.rating, comment: comment.comment, date: staffDateTime(comment.updatedAt, locale, event.timeZone) })),
    },
  }
}

const attendanceValues = new Set<string>(Object.values(Attendance))

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const form = await request.formData()
  if (form.get('intent') === 'remaining-absent') {
    if (event.startsAt > new Date()) return data({ error: 'adminRegistrations.attendancePage.notStarted', count: 0 }, { status: 409 })
    const count = await markRemainingAbsent(event.id, staff)
    return data({ notice: 'adminRegistrations.attendancePage.markedAbsent', count })
  }
  const changes: AttendanceChange[] = []
  for (const [name, value] of form) {
    const match = /^a-(\d{1,10})$/.exec(name)
    if (match && typeof value === 'string' && attendanceValues.has(value)) changes.push({ registrationId: Number(match[1]), attendance: value as Attendance })
  }
  const count = await setAttendance(event.id, changes, staff)
  return data({ notice: count > 0 ? 'adminRegistrations.attendancePage.saved' : 'adminRegistrations.attendancePage.unchanged', count })
}

export default function AttendancePage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { event, stats } = loaded
  const percent = loaded.ratePercent
  // Staff changing choices stop the live refresh (it would reset the radios); the answer to a save starts it again.
  const [editing, setEditing] = useState(false)
  useEffect(() => setEditing(false), [actionData])
  return (
    <>
      <RegistrationEventNav event={event} page="attendance" />
      <RegistrationOutcome
        notice={actionData && 'notice' in actionData ? t(actionData.notice, { count: actionData.count }) : null}
        error={actionData && 'error' in actionData ? t(actionData.error) : null}
      />
      <p>{t('adminRegistrations.attendancePage.intro')}</p>
      <dl className="admin-counts">
        <div>
          <dt>{t('adminRegistrations.attendancePage.rate')}</dt>
          <dd className="registration-rate" data-testid="attendance-rate">
            {percent === null ? t('adminRegistrations.attendancePage.noRate') : t('adminRegistrations.attendancePage.rateValue', { rate: percent, present: stats.present, confirmed: stats.confirmed })}
          </dd>
        </div>
        {(['present', 'absent', 'unknown'] as const).map((key) => (
          <div key={key}>
            <dt>{t(`adminRegistrations.attendancePage.${key}`)}</dt>
            <dd data-count={key}>{stats[key]}</dd>
          </div>
        ))}
      </dl>
      {!event.over ? <p className="hint">{t('adminRegistrations.attendancePage.notOver')}</p> : null}
      {loaded.joins ? <AttendanceJoins joins={loaded.joins} refreshHref={loaded.refreshHref} editing={editing} /> : null}
      <Form method="get" className="admin-filters" role="search" aria-label={t('adminRegistrations.filters.title')}>
        <div>
          <label htmlFor="attendance-q">{t('adminRegistrations.filters.q')}</label>
          <input id="attendance-q" type="search" name="q" defaultValue={loaded.q} />
        </div>
        <p>
          <button type="submit">{t('adminRegistrations.filters.submit')}</button>
        </p>
      </Form>
      {loaded.rows.length === 0 ? (
        <p>{t('adminRegistrations.attendancePage.empty')}</p>
      ) : (
        <>
          <RegistrationAttendanceForm
            key={JSON.stringify(loaded.rows.map((row) => [row.id, row.attendance]))}
            rows={loaded.rows}
            caption={t('adminRegistrations.attendancePage.caption', { page: loaded.page, pageCount: loaded.pageCount })}
            onEdit={() => setEditing(true)}
          />
          <nav className="pagination" aria-label={t('adminRegistrations.table.pagination')}>
            {loaded.previousHref ? <Link to={loaded.previousHref}>{t('adminRegistrations.table.previous')}</Link> : null}
            <span>{t('adminRegistrations.table.pageOf', { page: loaded.page, pageCount: loaded.pageCount })}</span>
            {loaded.nextHref ? <Link to={loaded.nextHref}>{t('adminRegistrations.table.next')}</Link> : null}
          </nav>
          {/* Before the event nobody can be absent yet. */}
          {event.started ? <MarkOthersAbsent /> : null}
        </>
      )}
      {event.started ? <FeedbackSummary feedback={loaded.feedback} /> : null}
    </>
  )
}
