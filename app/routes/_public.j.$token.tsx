// /j/:token: an attendee's personal join link (token = Registration.token). Inside the join window a real browser is
// sent to the event's join URL and the first use recorded as attendance; before it a waiting page (reloading itself
// when the window opens within the hour), after it the ended page with the replay. Mail scanners prefetch links, and
// many (Safe Links, Proofpoint, Mimecast) present an ordinary browser User-Agent: only a navigation the person
// started (Fetch Metadata `Sec-Fetch-Mode: navigate` with `Sec-Fetch-User: ?1`, which Chromium, Firefox and Safari
// send for a click or a link opened from a mail app) is sent on and recorded. Anything else (a HEAD, a bot, a
// scanner, an old browser) records nothing and gets a page whose button, pressed by a person, joins.
// The join URL only ever leaves in the Location header of a real attendee's redirect, never in a page.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData, useParams } from '@remix-run/react'
import { isbot } from 'isbot'
import { JoinPage, type JoinView } from '~/components/join-page.tsx'
import { formatDateTime, type Locale } from '~/i18n.ts'
import { eventWhen } from '~/models/event-page.server.ts'
import { findJoinRegistration, joinState, recordJoin, refreshSeconds, type JoinState } from '~/models/join.server.ts'
import { getLocale, i18next } from '~/utils/i18n.server.ts'

/**
 * The token is in the address: no cache keeps the page, no Referer carries it to another site (the replay). Pages
 * keep same-origin, not no-referrer: with no-referrer the browser posts the page's own button with `Origin: null`,
 * which Remix refuses as cross-site. The redirect to the meeting sends no Referer at all.
 */
const pageHeaders = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin', 'X-Robots-Tag': 'noindex' }
const redirectHeaders = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded?.metaTitle ?? 'Relais' },
  { name: 'referrer', content: 'same-origin' },
  { name: 'robots', content: 'noindex' },
]

/**
 * A person clicking the link, not a prefetch: a GET navigation with user activation (Fetch Metadata), from an agent
 * that is not a known bot. A scanner sends no Sec-Fetch-User; a browser too old to send it gets the button page.
 */
function isPersonNavigating(request: Request): boolean {
  const agent = request.headers.get('User-Agent') ?? ''
  if (request.method !== 'GET' || !agent || isbot(agent)) return false
  return request.headers.get('Sec-Fetch-Mode') === 'navigate' && request.headers.get('Sec-Fetch-User') === '?1'
}

function joinRedirect(joinUrl: string, status: 302 | 303) {
  return redirect(joinUrl, { status, headers: redirectHeaders })
}

/** What the page shows of a state (public columns only; the join URL never enters a view). */
function viewOf(state: Exclude<JoinState, { kind: 'not-found' }>, locale: Locale, now: Date): JoinView {
  const { event } = state
  const page = state.kind === 'open' ? 'ready' : state.kind
  return {
    page,
    title: event.title,
    slug: event.slug,
    when: eventWhen(event, locale),
    opensAt: state.kind === 'waiting' ? formatDateTime(state.opensAt, locale, event.timeZone) : null,
    refreshSeconds: state.kind === 'waiting' ? refreshSeconds(state.opensAt, now) : null,
    status: state.kind === 'not-confirmed' ? state.status : null,
    venue: [event.venueName, event.venueAddress].filter(Boolean).join(', ') || null,
    accessNotes: event.accessNotes,
    replayUrl: state.kind === 'ended' ? event.replayUrl : null,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  const state = joinState(await findJoinRegistration(params.token), now)
  if (state.kind === 'open' && isPersonNavigating(request)) {
    await recordJoin(state.registrationId, now)
    return joinRedirect(state.joinUrl, 302)
  }
  const [locale, t] = await Promise.all([getLocale(request), i18next.getFixedT(request)])
  if (state.kind === 'not-found') {
    return data({ view: null, metaTitle: t('attendee.join.notFoundTitle') }, { status: 404, headers: pageHeaders })
  }
  return data({ view: viewOf(state, locale, now), metaTitle: `${t('attendee.join.metaTitle')} · ${state.event.title}` }, { headers: pageHeaders })
}

/** The button of the prefetch page: a person pressed it, so the join is recorded and they are sent on. */
export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const state = joinState(await findJoinRegistration(params.token), now)
  if (state.kind === 'not-found') return data({ refused: true }, { status: 404, headers: pageHeaders })
  if (state.kind !== 'open') return redirect(new URL(request.url).pathname, { status: 303, headers: pageHeaders })
  await recordJoin(state.registrationId, now)
  return joinRedirect(state.joinUrl, 303)
}

export default function JoinLinkPage() {
  const loaded = useLoaderData<typeof loader>()
  const { token = '' } = useParams()
  return <JoinPage view={loaded.view} action={`/j/${encodeURIComponent(token)}`} />
}
