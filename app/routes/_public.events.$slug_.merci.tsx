// /events/:slug/merci: where every accepted registration lands (303 after the post). The same page whatever
// happened — confirmed, waitlisted, awaiting approval or already registered: the email says which. While the event
// is ahead, the add-to-calendar links (public ones: the attendee's personal link is in their email).
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AddToCalendar } from '~/components/add-to-calendar.tsx'
import { RegistrationThanks } from '~/components/event-public-thanks.tsx'
import { publicCalendarLinks } from '~/models/event-calendar.server.ts'
import { getPublicEvent } from '~/models/event-page.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Relais` : 'Relais' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = params.slug ? await getPublicEvent(params.slug) : null
  if (!event) throw new Response('Not Found', { status: 404 })
  const ahead = event.status === 'PUBLISHED' && event.endsAt > new Date()
  return { title: event.title, slug: event.slug, calendar: ahead ? await publicCalendarLinks(event, await getLocale(request)) : null }
}

export default function RegistrationThanksPage() {
  const { title, slug, calendar } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <RegistrationThanks
      title={title}
      bodyKey="events.thanks.body"
      back={<Link to={`/events/${slug}`}>{t('events.thanks.back')}</Link>}
      calendar={calendar ? <AddToCalendar links={calendar} hint="calendarLinks.thanksHint" /> : null}
    />
  )
}
