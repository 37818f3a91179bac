// Staff registrations of one event: search and status filter (GET, works without JavaScript), a paginated table
// with answers and attendance, row actions (approve, refuse, move, cancel), CSV export of the selection, adding
// someone by hand, and messaging all or the selected registrants after a confirmation step that shows the count.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RegistrationAddForm } from '~/components/registration-add-form.tsx'
import { RegistrationAnnounce } from '~/components/registration-announce.tsx'
import { RegistrationEventNav } from '~/components/registration-event-nav.tsx'
import { RegistrationOutcome } from '~/components/registration-outcome.tsx'
import registrationStyles from '~/components/registration-pages.css?url'
import { RegistrationTable } from '~/components/registration-table.tsx'
import { zoneLabel } from '~/i18n.ts'
import {
  addRegistrationByHand,
  announcementRequestKey,
  announcementSchema,
  previewAnnouncement,
  readAnnouncementRequestKey,
  rowActions,
  runRowAction,
  sendAnnouncement,
  type RowAction,
  type StaffOutcome,
} from '~/models/registration-staff.server.ts'
import {
  answerText,
  listAnnouncements,
  listRegistrations,
  readRegistrationFilter,
  registrationFilterParams,
  registrationStatusCounts,
  requireEventForRegistrations,
  staffDateTime,
  type RegistrationFilter,
} from '~/models/registration-table.server.ts'
import { readPageParam, registrationStatuses } from '~/models/registration-filter.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: registrationStyles }]

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.event.title ?? 'Inscriptions'} · Inscriptions · Relais` }]

function describeFilter(filter: RegistrationFilter, t: (key: string, values?: Record<string, string>) => string): string | null {
  const parts = filter.statuses.map((status) => t(`adminRegistrations.statuses.${status}`))
  if (filter.q) parts.push(t('adminRegistrations.announce.filterSearch', { q: filter.q }))
  return parts.length > 0 ? parts.join(', ') : null
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const url = new URL(request.url)
  const filter = readRegistrationFilter(url.searchParams)
  const [locale, t] = await Promise.all([getLocale(request), i18next.getFixedT(request)])
  const [list, counts, announcements] = await Promise.all([
    listRegistrations(event.id, filter, readPageParam(url.searchParams)),
    registrationStatusCounts(event.id),
    listAnnouncements(event.id),
  ])
  const yesNo = { yes: t('adminRegistrations.add.yes'), no: t('adminRegistrations.add.no') }
  const when = (date: Date) => staffDateTime(date, locale, event.timeZone)
  const filterParams = registrationFilterParams(filter)
  const pageHref = (page: number) => {
    const params = new URLSearchParams(filterParams)
    if (page > 1) params.set('page', String(page))
    return `?${params}`
  }
  const announced = Number(url.searchParams.get('announced'))
  const confirmed = url.searchParams.has('confirmed') ? Number(url.searchParams.get('confirmed')) : Number.NaN
  return {
    event: { id: event.id, title: event.title, when: `${when(event.startsAt)} (${zoneLabel(event.startsAt, locale, event.timeZone)})`, zone: zoneLabel(event.startsAt, locale, event.timeZone), capacity: event.capacity },
    questions: event.questions.map(({ id, label, type, required, options }) => ({ id, label, type, required, options })),
    filter: { statuses: filter.statuses, q: filter.q ?? '' },
    filterDescription: describeFilter(filter, t),
    counts,
    total: list.total,
    page: list.page,
    pageCount: list.pageCount,
    previousHref: list.page > 1 ? pageHref(list.page - 1) : null,
    nextHref: list.page < list.pageCount ? pageHref(list.page + 1) : null,
    exportHref: `/admin/events/${event.id}/registrations.csv${filterParams.size > 0 ? `?${filterParams}` : ''}`,
    exportSemicolonHref: `/admin/events/${event.id}/registrations.csv?${new URLSearchParams([...filterParams, ['delimiter', 'semicolon']])}`,
    rows: list.rows.map((row) => ({
      id: row.id,
      name: `${row.firstName} ${row.lastName}`.trim(),
      email: row.email,
      organization: row.organization,
      status: row.status,
      source: row.source,
      registeredAt: when(row.createdAt),
      cancelledAt: row.cancelledAt ? when(row.cancelledAt) : null,
      waitlistPosition: row.waitlistPosition,
      attendance: row.attendance,
      checkedInAt: row.checkedInAt ? when(row.checkedInAt) : null,
      answers: event.questions.map((question) => answerText(row.answers[question.id], yesNo)),
    })),
    history: announcements.map((row) => ({ id: row.id, subject: row.subject, recipientCount: row.recipientCount, sentAt: when(row.createdAt) })),
    announced: Number.isInteger(announced) && announced > 0 ? announced : null,
    // The count staff had confirmed, when the list changed before the send (the count above is the one sent).
    announcedConfirmed: Number.isInteger(confirmed) && confirmed >= 0 && confirmed !== announced ? confirmed : null,
    announcedRepeated: url.searchParams.get('repeated') === '1',
  }
}

type AddState = { errors: Record<string, string>; values: Record<string, string | string[]> }
type AnnounceState = { draft: { subject: string; body: string; scope: 'all' | 'filter' }; errors?: Record<string, string>; confirmCount?: number; requestKey?: string }
type ActionResult = { outcome?: StaffOutcome; add?: AddState; announce?: AnnounceState }

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const event = await requireEventForRegistrations(request, params.id)
  const form = await request.formData()
  const url = new URL(request.url)
  const filter = readRegistrationFilter(url.searchParams)
  const intent = form.get('intent')
  if (intent === 'row') {
    const rowAction = form.get('action')
    const registrationId = Number(form.get('registrationId'))
    if (!rowActions.includes(rowAction as RowAction) || !Number.isSafeInteger(registrationId) || registrationId < 1) {
      return data<ActionResult>({ outcome: { error: 'adminRegistrations.errors.unknownAction' } }, { status: 400 })
    }
    const outcome = await runRowAction(event.id, registrationId, rowAction as RowAction, staff)
    return data<ActionResult>({ outcome }, { status: outcome.error ? 409 : 200 })
  }
  if (intent === 'add') {
    const result = await addRegistrationByHand(event.id, event.questions, form, staff)
    if (result.ok) return data<ActionResult>({ outcome: result.outcome })
    return data<ActionResult>({ outcome: result.refusal, add: { errors: result.errors, values: result.values } }, { status: result.refusal ? 409 : 400 })
  }
  if (intent === 'announce-preview' || intent === 'announce-edit' || intent === 'announce-send') {
    const raw = { subject: String(form.get('subject') ?? ''), body: String(form.get('body') ?? ''), scope: form.get('scope') === 'filter' ? ('filter' as const) : ('all' as const) }
    const parsed = announcementSchema.safeParse(raw)
    if (!parsed.success || intent === 'announce-edit') {
      const errors: Record<string, string> = {}
      for (const issue of parsed.success ? [] : parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
      return data<ActionResult>({ announce: { draft: raw, errors } }, { status: parsed.success ? 200 : 400 })
    }
    const requestKey = readAnnouncementRequestKey(form.get('requestKey'))
    // The confirmation step hands out a one-time key; a send without one (an old page) goes back to that step.
    if (intent === 'announce-preview' || !requestKey) {
      return data<ActionResult>({ announce: { draft: parsed.data, confirmCount: await previewAnnouncement(event.id, parsed.data, filter), requestKey: announcementRequestKey() } })
    }
    const sent = await sendAnnouncement(event.id, parsed.data, filter, staff, requestKey)
    if ('error' in sent) return data<ActionResult>({ outcome: { error: sent.error }, announce: { draft: parsed.data } }, { status: 409 })
    // After a send, a reload must not send again: back to the page (same selection) with the count to announce.
    const next = registrationFilterParams(filter)
    next.set('announced', String(sent.recipients))
    const confirmed = Number(form.get('confirmed'))
    if (!sent.repeated && Number.isSafeInteger(confirmed) && confirmed >= 0 && confirmed !== sent.recipients) next.set('confirmed', String(confirmed))
    if (sent.repeated) next.set('repeated', '1')
    return redirect(`${url.pathname}?${next}#announce-title`)
  }
  return data<ActionResult>({ outcome: { error: 'adminRegistrations.errors.unknownAction' } }, { status: 400 })
}

function announcedNotice(
  loaded: { announced: number | null; announcedConfirmed: number | null; announcedRepeated: boolean },
  t: (key: string, values?: Record<string, string | number>) => string,
): string {
  const count = loaded.announced ?? 0
  if (loaded.announcedRepeated) return t('adminRegistrations.notices.announcedRepeated', { count })
  if (loaded.announcedConfirmed !== null) return t('adminRegistrations.notices.announcedChanged', { count, confirmed: loaded.announcedConfirmed })
  return t('adminRegistrations.notices.announced', { count })
}

export default function EventRegistrationsPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { event, filter, counts } = loaded
  const outcome = actionData?.outcome
  const notice = outcome?.notice ? t(outcome.notice, { ...outcome.values }) : loaded.announced ? announcedNotice(loaded, t) : null
  const error = outcome?.error ? t(outcome.error, { ...outcome.values }) : null
  const filterParams = new URLSearchParams(filter.q ? { q: filter.q } : {})
  return (
    <>
      <RegistrationEventNav event={event} page="registrations" />
      <RegistrationOutcome notice={notice} error={error} />
      <section aria-labelledby="counts-title">
        <h2 id="counts-title" className="sr-only">
          {t('adminRegistrations.counts.title')}
        </h2>
        <dl className="admin-counts">
          <div>
            <dt>{t('adminRegistrations.counts.capacity')}</dt>
            <dd>{event.capacity ?? t('adminRegistrations.counts.unlimited')}</dd>
          </div>
          {registrationStatuses.map((status) => (
            <div key={status}>
              <dt>
                <Link to={`?${new URLSearchParams([...filterParams, ['status', status]])}`}>{t(`adminRegistrations.statuses.${status}`)}</Link>
              </dt>
              <dd data-count={status}>{counts[status]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <Form method="get" className="admin-filters" role="search" aria-label={t('adminRegistrations.filters.title')}>
        <div>
          <label htmlFor="filter-q">{t('adminRegistrations.filters.q')}</label>
          <input id="filter-q" type="search" name="q" defaultValue={filter.q} />
        </div>
        <div>
          <label htmlFor="filter-status">{t('adminRegistrations.filters.status')}</label>
          <select id="filter-status" name="status" defaultValue={filter.statuses.length === 1 ? filter.statuses[0] : ''}>
            <option value="">{t('adminRegistrations.filters.any')}</option>
            {registrationStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`adminRegistrations.statuses.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit">{t('adminRegistrations.filters.submit')}</button> <Link to=".">{t('adminRegistrations.filters.reset')}</Link>
        </p>
      </Form>
      <p role="status">{t('adminRegistrations.table.total', { count: loaded.total })}</p>
      <p className="hint">{t('adminRegistrations.timesIn', { zone: event.zone })}</p>
      {loaded.rows.length === 0 ? (
        <p>{t('adminRegistrations.table.empty')}</p>
      ) : (
        <RegistrationTable rows={loaded.rows} questions={loaded.questions} caption={t('adminRegistrations.table.caption', { page: loaded.page, pageCount: loaded.pageCount })} />
      )}
      <nav className="pagination" aria-label={t('adminRegistrations.table.pagination')}>
        {loaded.previousHref ? <Link to={loaded.previousHref}>{t('adminRegistrations.table.previous')}</Link> : null}
        <span>{t('adminRegistrations.table.pageOf', { page: loaded.page, pageCount: loaded.pageCount })}</span>
        {loaded.nextHref ? <Link to={loaded.nextHref}>{t('adminRegistrations.table.next')}</Link> : null}
      </nav>
      <section aria-labelledby="export-title">
        <h2 id="export-title">{t('adminRegistrations.export.title')}</h2>
        <p className="hint">{t('adminRegistrations.export.hint')}</p>
        <p className="row-actions">
          {/* Plain links: a download is not a page of the app. */}
          <a href={loaded.exportHref} download>
            {t('adminRegistrations.export.comma')}
          </a>
          <a href={loaded.exportSemicolonHref} download>
            {t('adminRegistrations.export.semicolon')}
          </a>
        </p>
      </section>
      <section aria-labelledby="add-title">
        <h2 id="add-title">{t('adminRegistrations.add.title')}</h2>
        <p className="hint">{t('adminRegistrations.add.intro')}</p>
        <RegistrationAddForm key={outcome?.notice ? JSON.stringify(outcome.values) : 'add'} questions={loaded.questions} values={actionData?.add?.values} errors={actionData?.add?.errors} />
      </section>
      <RegistrationAnnounce
        draft={actionData?.announce?.draft}
        errors={actionData?.announce?.errors}
        confirmCount={actionData?.announce?.confirmCount}
        requestKey={actionData?.announce?.requestKey}
        filterDescription={loaded.filterDescription}
        history={loaded.history}
      />
    </>
  )
}
