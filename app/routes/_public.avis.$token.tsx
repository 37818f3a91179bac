// /avis/:token: the feedback form of one registration (signed link from the follow-up email, purpose 'feedback'): a
// rating 1–5 and an optional comment, changeable from the same link. Only once the event has started, for a
// confirmed registration of an event not cancelled. The signed link is the only credential (no session, no CSRF
// token); cross-site posts are refused upstream (refuseCrossSiteWrites checks the Origin of every public write).
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FeedbackForm } from '~/components/feedback-form.tsx'
import { feedbackAccess, saveFeedback } from '~/models/feedback.server.ts'
import { feedbackSchema } from '~/utils/feedback-form.ts'
import { i18next } from '~/utils/i18n.server.ts'

const privateHeaders = { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'same-origin' }

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => (actionHeaders.has('Cache-Control') ? actionHeaders : loaderHeaders)

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded?.metaTitle ?? 'Relais' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [access, t] = await Promise.all([feedbackAccess(params.token), i18next.getFixedT(request)])
  if (access.state === 'invalid') {
    return data({ page: 'invalid' as const, metaTitle: t('attendee.feedback.linkInvalidTitle'), title: '', slug: '', defaults: null, answered: false }, { status: 404, headers: privateHeaders })
  }
  const metaTitle = `${t('attendee.feedback.metaTitle')} · ${access.event.title}`
  const page = { metaTitle, title: access.event.title, slug: access.event.slug }
  if (access.state !== 'open') return data({ ...page, page: access.state, defaults: null, answered: false }, { headers: privateHeaders })
  const defaults = access.previous ? { rating: String(access.previous.rating), comment: access.previous.comment } : { rating: '', comment: '' }
  return data({ ...page, page: 'open' as const, defaults, answered: access.previous !== null }, { headers: privateHeaders })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await feedbackAccess(params.token)
  if (access.state !== 'open') return data({ result: null, refused: true }, { status: access.state === 'invalid' ? 404 : 409, headers: privateHeaders })
  const submission = parseWithZod(await request.formData(), { schema: feedbackSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), refused: false }, { status: 400, headers: privateHeaders })
  await saveFeedback(access.registrationId, { rating: submission.value.rating, comment: submission.value.comment ?? null })
  return redirect(`${new URL(request.url).pathname}?merci=1`, { status: 303, headers: privateHeaders })
}

const closedBodies = {
  'not-started': 'attendee.feedback.notStartedBody',
  'event-cancelled': 'attendee.feedback.eventCancelled',
  'not-confirmed': 'attendee.feedback.notConfirmed',
} as const

export default function FeedbackPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [search] = useSearchParams()
  const { token = '' } = useParams()
  const { t } = useTranslation()
  if (loaded.page === 'invalid' || actionData?.refused) {
    return (
      <main id="contenu" className="page">
        <section className="hero">
          <h1>{t('attendee.feedback.linkInvalidTitle')}</h1>
          <p>{t('attendee.feedback.linkInvalidBody')}</p>
        </section>
      </main>
    )
  }
  if (loaded.page !== 'open' || !loaded.defaults) {
    return (
      <main id="contenu" className="page">
        <section className="hero">
          <h1>{t(loaded.page === 'not-started' ? 'attendee.feedback.notStartedTitle' : 'attendee.feedback.closedTitle')}</h1>
          <p>{t(closedBodies[loaded.page], { title: loaded.title })}</p>
          <p>
            <Link to={`/events/${loaded.slug}`}>{t('attendee.join.eventLink')}</Link>
          </p>
        </section>
      </main>
    )
  }
  const thanked = search.has('merci') && !actionData
  return (
    <main id="contenu" className="page">
      <section className="hero" aria-labelledby="avis-titre">
        <h1 id="avis-titre">{t('attendee.feedback.title', { title: loaded.title })}</h1>
        {thanked ? (
          <div className="notice" role="status">
            <p>
              <strong>{t('attendee.feedback.thanksTitle')}</strong>
            </p>
            <p>{t('attendee.feedback.thanksBody')}</p>
          </div>
        ) : (
          <p>{t(loaded.answered ? 'attendee.feedback.already' : 'attendee.feedback.intro')}</p>
        )}
        <FeedbackForm action={`/avis/${encodeURIComponent(token)}`} defaults={loaded.defaults} lastResult={actionData?.result} answered={loaded.answered} />
      </section>
    </main>
  )
}
