// /inscription/:token: the one-click registration of a newsletter's event card. The signed link names a contact and
// an event; GET shows the event, the address the person will be registered with and a single button (mail scanners
// prefetch links: a GET registers nobody), plus the names or required answers the registration still needs. POST
// registers (source INVITATION) and answers with a 303 to the same page, which then shows the person's own status:
// the link is theirs, so it may. The signed link is the only credential (no session, no CSRF token); cross-site
// posts are refused upstream (refuseCrossSiteWrites).
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { EventWhen } from '~/components/event-public-card.tsx'
import { ErrorSummary, QuestionFields, questionInputId, TextField } from '~/components/event-public-fields.tsx'
import { formatDateTime } from '~/i18n.ts'
import {
  countInvitationClick,
  invitationQuestions,
  invitationState,
  readInvitation,
  registerFromInvitation,
  type InvitationLink,
} from '~/models/event-invitation.server.ts'
import { eventWhen } from '~/models/event-page.server.ts'
import { answerFieldName, parseAnswers } from '~/models/event-schema.ts'
import { registrationEditSchema } from '~/utils/event-registration-form.ts'
import { getLocale, i18next, localeCookie } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

// The token is in the address: never let it leak through the Referer header (same-origin keeps our form's Origin).
export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `${page?.title ?? 'Inscription'} · Relais` },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

const privateHeaders = { 'Cache-Control': 'private, no-store' }

type ReadyLink = Extract<InvitationLink, { state: 'ready' }>

async function linkProblem(request: Request, state: 'invalid' | 'expired') {
  const t = await i18next.getFixedT(request)
  return data({ kind: state, title: t(state === 'expired' ? 'eventInvitation.expiredTitle' : 'eventInvitation.invalidTitle') } as const, {
    status: state === 'expired' ? 410 : 404,
    headers: privateHeaders,
  })
}

/**
 * A GET to tidy first: the click count of the newsletter (`?l=`, `?r=`) is recorded, then dropped from the address
 * (a reload counts nothing more, the measurement token leaves the address bar); a contact whose language is English
 * gets the page in English unless a language was chosen.
 */
async function tidyAddress(request: Request, link: ReadyLink): Promise<string | null> {
  const url = new URL(request.url)
  const counted = url.searchParams.has('l')
  if (counted) await countInvitationClick(link.event, url.searchParams.get('l'), url.searchParams.get('r'))
  const chosen = url.searchParams.has('lang') || (await localeCookie.parse(request.headers.get('Cookie'))) !== null
  const english = link.contact.locale === 'en' && !chosen
  if (!counted && !english) return null
  const query = new URLSearchParams([...url.searchParams].filter(([name]) => name !== 'l' && name !== 'r'))
  if (english) query.set('lang', 'en')
  return `${url.pathname}${query.size > 0 ? `?${query}` : ''}`
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await readInvitation(params.token ?? '')
  if (link.state !== 'ready') return linkProblem(request, link.state)
  const tidy = await tidyAddress(request, link)
  if (tidy) throw redirect(tidy, { status: 303, headers: privateHeaders })
  const [locale, t, state] = await Promise.all([getLocale(request), i18next.getFixedT(request), invitationState(link)])
  const { contact, event } = link
  const asked = invitationQuestions(link)
  const justRegistered = new URL(request.url).searchParams.has('inscrit')
  return data(
    {
      kind: 'ready' as const,
      title: t(state.kind === 'registered' ? 'eventInvitation.resultTitle' : state.kind === 'closed' ? 'eventInvitation.closedTitle' : 'eventInvitation.title'),
      email: contact.email,
      state,
      justRegistered,
      opensAt: event.registrationOpensAt ? formatDateTime(event.registrationOpensAt, locale, event.timeZone) : '',
      askNames: asked.askNames,
      questions: asked.questions,
      defaults: { firstName: contact.firstName ?? '', lastName: contact.lastName ?? '' },
      event: {
        slug: event.slug,
        title: event.title,
        kind: event.kind,
        when: eventWhen(event, locale),
        venue: event.kind === 'ONLINE' ? '' : [event.venueName, event.venueAddress].filter(Boolean).join(', '),
      },
    },
    { headers: privateHeaders },
  )
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? ''
  const link = await readInvitation(token)
  if (link.state !== 'ready') return data({ result: null, refused: null }, { status: link.state === 'expired' ? 410 : 404 })
  const formData = await request.formData()
  const asked = invitationQuestions(link)
  // What the page did not ask comes from the contact's profile, never from the post.
  if (!asked.askNames) {
    formData.set('firstName', link.contact.firstName ?? '')
    formData.set('lastName', link.contact.lastName ?? '')
  }
  formData.delete('organization')
  formData.delete('territory')
  const submission = parseWithZod(formData, { schema: registrationEditSchema(asked.questions) })
  if (submission.status !== 'success') return data({ result: submission.reply() as SubmissionResult<string[]>, refused: null }, { status: 400 })
  const { answers } = parseAnswers(formData, asked.questions)
  const outcome = await registerFromInvitation(link, { firstName: submission.value.firstName, lastName: submission.value.lastName, answers })
  if (outcome.kind === 'refused') {
    logger.info({ eventId: link.event.id, reason: outcome.reason }, 'one-click registration refused')
    return data({ result: null, refused: outcome.reason }, { status: 409 })
  }
  logger.info({ eventId: link.event.id, contactId: link.contact.id, outcome: outcome.kind }, 'one-click registration')
  const page = `/inscription/${encodeURIComponent(token)}`
  return redirect(outcome.kind === 'registered' ? `${page}?inscrit=1` : page, 303)
}

type ReadyPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: 'ready' }>

export default function InvitationPage() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  if (page.kind !== 'ready') {
    return (
      <main id="contenu" className="page">
        <section className="hero">
          <h1>{page.title}</h1>
          <p>{t(page.kind === 'expired' ? 'eventInvitation.expiredBody' : 'eventInvitation.invalidBody')}</p>
          <p>{t('eventInvitation.linkHelp')}</p>
          <p>
            <Link to="/events">{t('eventInvitation.toEvents')}</Link>
          </p>
        </section>
      </main>
    )
  }
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="invitation-titre">
        <h1 id="invitation-titre">{page.title}</h1>
        <EventFacts event={page.event} />
        <InvitationBody page={page} />
      </section>
    </main>
  )
}

function EventFacts({ event }: { event: ReadyPage['event'] }) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{event.title}</h2>
      <dl className="event-facts">
        <dt>{t('events.page.when')}</dt>
        <dd>
          <EventWhen when={event.when} />
        </dd>
        <dt>{t('events.page.kind')}</dt>
        <dd>{t(`events.kinds.${event.kind}`)}</dd>
        {event.venue ? (
          <>
            <dt>{t('events.page.venue')}</dt>
            <dd>{event.venue}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <Link to={`/events/${event.slug}`}>{t('eventInvitation.eventPage')}</Link>
      </p>
    </>
  )
}

function InvitationBody({ page }: { page: ReadyPage }) {
  const { t } = useTranslation()
  const actionData = useActionData<typeof action>()
  const { state } = page
  if (state.kind === 'registered') {
    const values = { email: page.email, position: state.waitlistPosition ?? '' }
    const status = state.status === 'WAITLISTED' || state.status === 'PENDING_APPROVAL' ? state.status : 'CONFIRMED'
    return (
      <>
        <p className="notice" role="status">
          <strong>{t(page.justRegistered ? `eventInvitation.done.${status}` : `eventInvitation.already.${status}`, values)}</strong>
        </p>
        <p>{t('eventInvitation.manageHint')}</p>
      </>
    )
  }
  const refused = actionData?.refused ?? (state.kind === 'closed' ? state.reason : null)
  if (refused) {
    return (
      <>
        <div className="error-summary" role="alert">
          <p>
            {actionData?.refused ? `${t('eventInvitation.refused')} ` : null}
            {t(`eventInvitation.closed.${refused}`, { date: page.opensAt })}
          </p>
        </div>
        <p>
          <Link to="/events">{t('eventInvitation.toEvents')}</Link>
        </p>
      </>
    )
  }
  return <ConfirmForm page={page} lastResult={actionData?.result ?? null} />
}

function ConfirmForm({ page, lastResult }: { page: ReadyPage; lastResult: SubmissionResult<string[]> | null }) {
  const { t } = useTranslation()
  const { token = '' } = useParams()
  const [form] = useForm({ id: 'invitation', lastResult, shouldValidate: 'onSubmit' })
  const initial: Record<string, unknown> = { ...page.defaults, ...((form.initialValue ?? {}) as Record<string, unknown>) }
  const errors = form.allErrors as Record<string, string[] | undefined>
  const text = (name: string) => (typeof initial[name] === 'string' ? (initial[name] as string) : '')
  const state = page.state.kind === 'open' ? page.state : null
  const asksSomething = page.askNames || page.questions.length > 0
  const summaryFields: [string, string][] = [
    ...(page.askNames ? (['firstName', 'lastName'] as const).map((name): [string, string] => [name, `invitation-${name}`]) : []),
    ...page.questions.map((question): [string, string] => [answerFieldName(question.id), questionInputId(question, `invitation-${answerFieldName(question.id)}`)]),
  ]
  return (
    <>
      <p>{t('eventInvitation.intro')}</p>
      <p>
        <strong>{t('eventInvitation.address', { email: page.email })}</strong>
      </p>
      {state?.waitlist ? <p>{t('eventInvitation.waitlist')}</p> : state?.approvalRequired ? <p>{t('eventInvitation.approval')}</p> : null}
      <ErrorSummary id="invitation-errors" title={t('eventInvitation.errorSummary')} formErrors={form.errors ?? []} fields={summaryFields} errors={errors} />
      <form method="post" action={`/inscription/${encodeURIComponent(token)}`} className="stack registration-form" {...getFormProps(form)}>
        {asksSomething ? <p>{t('eventInvitation.fieldsIntro')}</p> : null}
        {page.askNames ? (
          <fieldset>
            <legend>{t('eventInvitation.you')}</legend>
            <TextField id="invitation-firstName" name="firstName" errors={errors.firstName} defaultValue={text('firstName')} required label={t('events.form.firstName')} autoComplete="given-name" />
            <TextField id="invitation-lastName" name="lastName" errors={errors.lastName} defaultValue={text('lastName')} required label={t('events.form.lastName')} autoComplete="family-name" />
          </fieldset>
        ) : null}
        {page.questions.length > 0 ? (
          <fieldset>
            <legend>{t('eventInvitation.questions')}</legend>
            <QuestionFields questions={page.questions} idPrefix="invitation" errors={errors} initial={initial} />
          </fieldset>
        ) : null}
        <p>
          <button type="submit">{t('eventInvitation.confirm')}</button>
        </p>
      </form>
    </>
  )
}
