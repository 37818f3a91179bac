// /events/:slug: an event's details (date in its zone, format, venue, speakers, description…, never the join link),
// whether one may register, and the registration form. A valid post is answered by a 303 to the thank-you page.
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { EventDetails } from '~/components/event-public-details.tsx'
import { availabilityText } from '~/components/event-public-card.tsx'
import { RegistrationForm } from '~/components/event-registration-form.tsx'
import { availabilityView, eventAvailability, eventWhen, getPublicEvent } from '~/models/event-page.server.ts'
import { readResources } from '~/models/event-resources.ts'
import { handleEventRegistrationPost, registrationFormData } from '~/utils/event-registration-page.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.event.title} · Relais` : 'Relais' },
  ...(data ? [{ tagName: 'link', rel: 'alternate', type: 'text/calendar', href: `/events/${data.event.slug}/calendar.ics` }] : []),
]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

async function eventOr404(slug: string | undefined) {
  const event = slug ? await getPublicEvent(slug) : null
  if (!event) throw new Response('Not Found', { status: 404 })
  return event
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = await eventOr404(params.slug)
  const [form, availability] = await Promise.all([registrationFormData(request), eventAvailability(event)])
  const { locale } = form
  return {
    ...form,
    availability: availabilityView(availability, locale, event.timeZone),
    /** The .ics link while the event is published and not over. */
    calendarFile: event.status === 'PUBLISHED' && event.endsAt > new Date(),
    event: {
      slug: event.slug,
      title: event.title,
      summary: event.summary,
      descriptionHtml: event.description,
      kind: event.kind,
      when: eventWhen(event, locale),
      venueName: event.venueName,
      venueAddress: event.venueAddress,
      accessNotes: event.accessNotes,
      speakers: event.speakers,
      tags: event.tags,
      coverImageUrl: event.coverImageUrl,
      replayUrl: event.replayUrl,
      resources: readResources(event.resources),
      approvalRequired: event.approvalRequired,
      series: event.series && event.series.status !== 'DRAFT' ? { slug: event.series.slug, title: event.series.title } : null,
      questions: event.questions,
    },
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleEventRegistrationPost(request, context, await eventOr404(params.slug))
}

export default function EventPage() {
  const { event, availability, calendarFile, newsletterLists, consentText, locale } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const canRegister = availability.state === 'open' || availability.state === 'waitlist'
  return (
    <main id="contenu" className="page">
      <EventDetails event={event} availability={availability} />
      <section aria-labelledby="inscription" className="hero">
        <h2 id="inscription">{t('events.page.registration')}</h2>
        <p>
          <strong>{availabilityText(t, availability)}</strong>
        </p>
        {calendarFile ? (
          <p>
            <a href={`/events/${event.slug}/calendar.ics`} type="text/calendar">
              {t('calendarLinks.eventIcs')}
            </a>
          </p>
        ) : null}
        {canRegister && event.approvalRequired ? <p>{t('events.page.approval')}</p> : null}
        {/* After a refusal the form stays, with everything typed, under the message saying why. */}
        {canRegister || actionData ? (
          <RegistrationForm
            id="inscription-form"
            action={`/events/${event.slug}`}
            questions={event.questions}
            newsletterLists={newsletterLists}
            consentText={consentText}
            locale={locale}
            submitLabel={t('events.form.submit')}
            lastResult={actionData?.result}
            retryMinutes={actionData?.retryMinutes}
          />
        ) : null}
      </section>
    </main>
  )
}
