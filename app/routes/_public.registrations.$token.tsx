// /registrations/:token: an attendee's own page, from the signed link in the emails — the event, the status (waitlist
// position included), the check-in QR code for in-person attendance, the edit form and the cancellation. The signed
// link is the only credential (no session, no CSRF token); writes are POST and cross-site posts are refused upstream
// (refuseCrossSiteWrites checks the Origin of every public write). A confirmed attendee also gets the add-to-calendar
// links: their own .ics (with their personal join link) and Google / Outlook (the event page only).
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AddToCalendar } from '~/components/add-to-calendar.tsx'
import { EventWhen } from '~/components/event-public-card.tsx'
import { CancelSection, RegistrationEditForm, RegistrationLinkError } from '~/components/event-public-manage.tsx'
import { registrationCalendarLinks } from '~/models/event-calendar.server.ts'
import { eventWhen, getManagedRegistration } from '~/models/event-page.server.ts'
import { parseAnswers, type Answers } from '~/models/event-schema.ts'
import { cancelRegistration, updateRegistrationDetails } from '~/models/registration.server.ts'
import { registrationEditSchema } from '~/utils/event-registration-form.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { checkinQrDataUrl } from '~/utils/qr.server.ts'

// The token is in the address: never let it leak through the Referer header (same-origin keeps our own forms' Origin).
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Relais' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

async function registrationFromLink(token: string | undefined) {
  const id = token ? readRegistrationToken(token, 'registration') : null
  return id === null ? null : getManagedRegistration(id)
}

/** Stored answers as the form posts them. */
function answerDefaults(answers: unknown): Record<string, string | string[]> {
  if (typeof answers !== 'object' || answers === null) return {}
  return Object.fromEntries(
    Object.entries(answers as Answers).map(([id, answer]) => [`q-${id}`, typeof answer === 'boolean' ? (answer ? 'yes' : 'no') : answer]),
  )
}

const activeStatuses = new Set(['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'])

/** The links only while a confirmed seat in a published event lies ahead (the .ics refuses anything else). */
function showCalendar(status: string, event: { status: string; endsAt: Date }, now: Date): boolean {
  return status === 'CONFIRMED' && event.status === 'PUBLISHED' && event.endsAt > now
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [registration, locale, t] = await Promise.all([registrationFromLink(params.token), getLocale(request), i18next.getFixedT(request)])
  if (!registration) return data({ ok: false as const, title: t('events.manage.linkInvalidTitle') }, { status: 404 })
  const { event } = registration
  const now = new Date()
  const active = activeStatuses.has(registration.status) && event.status !== 'CANCELLED' && event.endsAt > now
  const showQr = registration.status === 'CONFIRMED' && event.kind !== 'ONLINE' && event.status !== 'CANCELLED' && event.endsAt > now
  return data({
    ok: true as const,
    title: `${t('events.manage.title')} · ${event.title}`,
    name: `${registration.firstName} ${registration.lastName}`.trim(),
    status: registration.status,
    waitlistPosition: registration.waitlistPosition,
    active,
    qrDataUrl: showQr ? await checkinQrDataUrl(registration.id) : null,
    calendar: showCalendar(registration.status, event, now) ? registrationCalendarLinks(event, params.token ?? '', locale) : null,
    questions: registration.questions,
    defaults: {
      firstName: registration.firstName,
      lastName: registration.lastName,
      organization: registration.organization ?? '',
      territory: registration.territory ?? '',
      ...answerDefaults(registration.answers),
    },
    event: {
      slug: event.slug,
      title: event.title,
      kind: event.kind,
      cancelled: event.status === 'CANCELLED',
      when: eventWhen(event, locale),
      venue: [event.venueName, event.venueAddress].filter(Boolean).join(', '),
      accessNotes: event.accessNotes,
    },
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const registration = await registrationFromLink(params.token)
  if (!registration) return data({ result: null, refused: true }, { status: 404 })
  const base = new URL(request.url).pathname
  const formData = await request.formData()
  const intent = formData.get('intent')
  const editable = activeStatuses.has(registration.status) && registration.event.status !== 'CANCELLED' && registration.event.endsAt > new Date()
  if (!editable) return data({ result: null, refused: true }, { status: 409 })
  if (intent === 'cancel') {
    const { promotedRegistrationIds } = await cancelRegistration({ registrationId: registration.id, by: 'attendee' })
    logger.info({ registrationId: registration.id, promoted: promotedRegistrationIds.length }, 'registration cancelled by the attendee')
    return redirect(`${base}?annulee=1`, 303)
  }
  if (intent === 'edit') {
    const submission = parseWithZod(formData, { schema: registrationEditSchema(registration.questions) })
    if (submission.status !== 'success') return data({ result: submission.reply(), refused: false }, { status: 400 })
    const { firstName, lastName, organization, territory } = submission.value
    const { answers } = parseAnswers(formData, registration.questions)
    await updateRegistrationDetails(registration.id, { answers, firstName, lastName, organization: organization ?? null, territory: territory ?? null })
    return redirect(`${base}?enregistre=1`, 303)
  }
  return data({ result: null, refused: true }, { status: 400 })
}

export default function RegistrationPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [search] = useSearchParams()
  const { token = '' } = useParams()
  const { t } = useTranslation()
  if (!page.ok) return <RegistrationLinkError />
  const base = `/registrations/${encodeURIComponent(token)}`
  const notice = search.has('annulee') ? 'events.manage.cancelled' : search.has('enregistre') ? 'events.manage.saved' : null
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="inscription-titre">
        <h1 id="inscription-titre">{t('events.manage.title')}</h1>
        <p>{t('events.manage.intro', { name: page.name, title: page.event.title })}</p>
        {notice ? (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        ) : null}
        {actionData?.refused ? (
          <div className="error-summary" role="alert">
            <p>{t('events.manage.notEditable')}</p>
          </div>
        ) : null}
        <h2>{t('events.manage.status')}</h2>
        <p>
          <strong>{t(`events.manage.statuses.${page.status}`, { position: page.waitlistPosition ?? '' })}</strong>
        </p>
        {page.event.cancelled ? (
          <p>
            <strong>{t('events.manage.eventCancelled')}</strong>
          </p>
        ) : null}
        <dl className="event-facts">
          <dt>{t('events.page.when')}</dt>
          <dd>
            <EventWhen when={page.event.when} />
          </dd>
          <dt>{t('events.page.kind')}</dt>
          <dd>{t(`events.kinds.${page.event.kind}`)}</dd>
          {page.event.venue ? (
            <>
              <dt>{t('events.page.venue')}</dt>
              <dd>{page.event.venue}</dd>
            </>
          ) : null}
          {page.event.accessNotes ? (
            <>
              <dt>{t('events.page.accessNotes')}</dt>
              <dd>{page.event.accessNotes}</dd>
            </>
          ) : null}
        </dl>
        <p>
          <Link to={`/events/${page.event.slug}`}>{t('events.manage.eventLink')}</Link>
        </p>
      </section>
      {page.calendar ? <AddToCalendar links={page.calendar} icsLabel="calendarLinks.icsPersonal" hint="calendarLinks.manageHint" /> : null}
      {page.qrDataUrl ? (
        <section className="hero" aria-labelledby="code-accueil">
          <h2 id="code-accueil">{t('events.manage.qrTitle')}</h2>
          <p>{t('events.manage.qrIntro')}</p>
          <img src={page.qrDataUrl} alt={t('events.manage.qrAlt', { name: page.name, title: page.event.title })} width={240} height={240} />
        </section>
      ) : null}
      {page.active ? (
        <>
          <section className="hero" aria-labelledby="modifier">
            <h2 id="modifier">{t('events.manage.editTitle')}</h2>
            <RegistrationEditForm action={base} questions={page.questions} defaults={page.defaults} lastResult={actionData?.result} />
          </section>
          <CancelSection
            base={base}
            confirming={search.has('annuler')}
            texts={{
              title: 'events.manage.cancelTitle',
              intro: 'events.manage.cancelIntro',
              ask: 'events.manage.cancelAsk',
              confirmBody: 'events.manage.cancelConfirmBody',
              confirm: 'events.manage.cancelConfirm',
            }}
          />
        </>
      ) : null}
    </main>
  )
}
