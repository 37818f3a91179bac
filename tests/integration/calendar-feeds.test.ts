// The calendar files and add-to-calendar links, fetched from the production server as a calendar app or a browser
// would. Every file is read by two independent parsers (ical.js and node-ical, through tests/helpers/ical.ts, which
// throws when they disagree), and its headers are checked as sent. Events are made straight in the database with a
// secret join link (joinUrlOf) that is looked for in every public file and never found; a draft is looked for and
// never found, nor a draft cancelled without ever being published (no publishedAt); times are checked for a 12:15
// Europe/Paris session on each side of the October 2027 change of time.
// The personal .ics is fetched with a real signed management token, then with a tampered one and for registrations
// that are not confirmed. Assertions are on this file's own rows (unique slugs), so other files may share the database.
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { parseInvite, type ParsedInvite, type ParsedInviteEvent } from '#tests/helpers/ical.ts'
import { createPublicEvent, createPublicSeries, joinUrlOf } from '#tests/helpers/public-events.ts'
import { personalJoinUrl, registrationInviteUid } from '~/models/event-invite.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { feedbackUrl, registrationManageUrl, seriesRegistrationManageUrl } from '~/utils/links.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'

const { appUrl } = inject('testContext')
const day = 24 * 60 * 60 * 1000
const minute = 60 * 1000

afterAll(async () => {
  await prisma.$disconnect()
})

/** 12:15 in Paris on `date`, as the instant stored. */
const parisNoonQuarter = (date: string) => wallClockToInstant({ date, time: '12:15' }, 'Europe/Paris')!

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${appUrl}${path}`, { headers })
  return { response, text: await response.text() }
}

/** A calendar file fetched and parsed; fails unless it is served as text/calendar. */
async function calendarAt(path: string): Promise<{ response: Response; text: string; parsed: ParsedInvite }> {
  const { response, text } = await get(path)
  expect(response.status, `${path}: ${text.slice(0, 200)}`).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
  return { response, text, parsed: parseInvite(text) }
}

function eventWithUid(parsed: ParsedInvite, uid: string): ParsedInviteEvent | undefined {
  return parsed.events.find((event) => event.uid === uid)
}

/** iCalendar times are to the second. */
const toSecond = (date: Date) => Math.floor(date.getTime() / 1000) * 1000

/** The VEVENT blocks of a file (its VTIMEZONEs rightly carry RRULEs of their own). */
function eventBlocks(text: string): string[] {
  return text.match(/BEGIN:VEVENT[\s\S]*?END:VEVENT/g) ?? []
}

/** The X-WR-CALNAME line (unfolded). */
function calendarName(text: string): string | null {
  return /^X-WR-CALNAME:(.*)$/m.exec(text.replace(/\r\n[ \t]/g, ''))?.[1]?.trim() ?? null
}

/** An href of the page starting with `prefix`, HTML entities of a URL undone. */
function hrefStarting(html: string, prefix: string): string | null {
  const found = new RegExp(`href="(${prefix.replace(/[.?/]/g, (c) => `\\${c}`)}[^"]*)"`).exec(html)
  return found ? found[1]!.replace(/&amp;/g, '&') : null
}

async function confirmedRegistration(eventId: number, status: 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' = 'CONFIRMED', icalSequence = 0) {
  return prisma.registration.create({
    data: {
      eventId,
      email: `cal-${randomBytes(5).toString('hex')}@test.example`,
      firstName: 'Camille',
      lastName: 'Essai',
      status,
      token: randomBytes(24).toString('base64url'),
      icalSequence,
      ...(status === 'CANCELLED' ? { cancelledAt: new Date() } : {}),
    },
  })
}

/** The management page's token, as the link in the emails carries it. */
function manageToken(registrationId: number): string {
  return new URL(registrationManageUrl(registrationId)).pathname.split('/').pop()!
}

describe('/calendar.ics', () => {
  it('publishes published and cancelled events of the window with their UID and SEQUENCE, never a draft, an old event, a join link or an attendee', async () => {
    const upcoming = await createPublicEvent({ title: 'Atelier mobilité douce', kind: 'HYBRID' })
    await prisma.event.update({ where: { id: upcoming.id }, data: { icalSequence: 4 } })
    const online = await createPublicEvent({ title: 'Webinaire eau', kind: 'ONLINE' })
    const draft = await createPublicEvent({ title: 'Brouillon secret', status: 'DRAFT' })
    const cancelled = await createPublicEvent({ title: 'Rencontre annulée', status: 'CANCELLED' })
    // It was published before being cancelled (publishing sets publishedAt).
    await prisma.event.update({ where: { id: cancelled.id }, data: { publishedAt: new Date(Date.now() - day) } })
    const recent = await createPublicEvent({ title: 'Atelier du mois dernier', startsAt: new Date(Date.now() - 30 * day) })
    const old = await createPublicEvent({ title: 'Atelier d’il y a un an', startsAt: new Date(Date.now() - 200 * day) })

    const { response, text, parsed } = await calendarAt('/calendar.ics')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.get('etag')).toMatch(/^W\/".+"$/)
    expect(parsed.method).toBe('PUBLISH')
    expect(calendarName(text)).toBe((await getOrganization()).name)

    const published = eventWithUid(parsed, upcoming.icalUid)!
    expect(published).toMatchObject({
      sequence: 4,
      status: 'CONFIRMED',
      summary: 'Atelier mobilité douce',
      url: `${appUrl}/events/${upcoming.slug}`,
      location: 'Maison des associations, 12 rue des Lilas, 33000 Bordeaux et en ligne',
      organizer: null,
      attendees: [],
    })
    expect(published.description).toContain('Un temps d’échange entre collectivités.')
    expect(published.description).toContain(`${appUrl}/events/${upcoming.slug}`)
    expect(published.start.getTime()).toBe(toSecond(upcoming.startsAt))
    expect(published.end.getTime()).toBe(toSecond(upcoming.endsAt))
    expect(eventWithUid(parsed, online.icalUid)?.location).toBe('En ligne')
    expect(eventWithUid(parsed, cancelled.icalUid)?.status).toBe('CANCELLED')
    expect(eventWithUid(parsed, recent.icalUid)).toBeDefined()

    expect(eventWithUid(parsed, draft.icalUid)).toBeUndefined()
    expect(text).not.toContain('Brouillon secret')
    expect(eventWithUid(parsed, old.icalUid)).toBeUndefined()
    for (const event of [upcoming, online, draft, cancelled, recent, old]) expect(text).not.toContain(joinUrlOf(event.slug))
    expect(text).not.toContain('visio.example')
    expect(text).not.toMatch(/^ATTENDEE/m)
    for (const event of parsed.events) expect(event.attendees).toEqual([])
  })

  it('answers 304 to the ETag it gave, and the whole file again to any other', async () => {
    await createPublicEvent({ title: 'Rencontre pour le cache' })
    // Other files may add events between two requests: a 200 is then only right with a new ETag.
    let notModified = false
    for (let attempt = 0; attempt < 5 && !notModified; attempt += 1) {
      const first = await get('/calendar.ics')
      const etag = first.response.headers.get('etag')!
      const again = await get('/calendar.ics', { 'If-None-Match': etag })
      if (again.response.status === 304) {
        notModified = true
        expect(again.text).toBe('')
        expect(again.response.headers.get('etag')).toBe(etag)
        expect(again.response.headers.get('cache-control')).toBe('public, max-age=300')
      } else {
        expect(again.response.status).toBe(200)
        expect(again.response.headers.get('etag')).not.toBe(etag)
      }
    }
    expect(notModified).toBe(true)
    const other = await get('/calendar.ics', { 'If-None-Match': 'W/"something-else"' })
    expect(other.response.status).toBe(200)
    expect(parseInvite(other.text).method).toBe('PUBLISH')
  })
})

describe('/events/:slug/calendar.ics', () => {
  it('serves one event inline under its slug, 304 on its ETag, and its STATUS:CANCELLED once cancelled', async () => {
    const event = await createPublicEvent({ title: 'Café climat', kind: 'ONLINE' })
    const { response, text, parsed } = await calendarAt(`/events/${event.slug}/calendar.ics`)
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${event.slug}.ics"`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(parsed.method).toBe('PUBLISH')
    expect(parsed.events).toHaveLength(1)
    expect(parsed.events[0]).toMatchObject({ uid: event.icalUid, sequence: 0, status: 'CONFIRMED', location: 'En ligne', attendees: [], organizer: null })
    expect(text).not.toContain(joinUrlOf(event.slug))

    const etag = response.headers.get('etag')!
    const cached = await get(`/events/${event.slug}/calendar.ics`, { 'If-None-Match': `"x", ${etag}` })
    expect(cached.response.status).toBe(304)
    expect(cached.text).toBe('')

    await prisma.event.update({ where: { id: event.id }, data: { status: 'CANCELLED', icalSequence: { increment: 1 }, publishedAt: new Date() } })
    const afterCancel = await get(`/events/${event.slug}/calendar.ics`, { 'If-None-Match': etag })
    expect(afterCancel.response.status).toBe(200)
    const cancelled = parseInvite(afterCancel.text).events[0]!
    expect(cancelled).toMatchObject({ uid: event.icalUid, sequence: 1, status: 'CANCELLED' })
  })

  it('a draft cancelled without ever being published stays private: absent from /calendar.ics, its own file 404', async () => {
    const tag = randomBytes(4).toString('hex')
    const draft = await createPublicEvent({ title: `Réunion interne ${tag}`, status: 'DRAFT' })
    await prisma.event.update({ where: { id: draft.id }, data: { status: 'CANCELLED', icalSequence: { increment: 1 }, publishedAt: null } })
    const { text, parsed } = await calendarAt('/calendar.ics')
    expect(eventWithUid(parsed, draft.icalUid)).toBeUndefined()
    expect(text).not.toContain(`Réunion interne ${tag}`)
    expect((await get(`/events/${draft.slug}/calendar.ics`)).response.status).toBe(404)
  })

  it('does not exist for a draft or an unknown slug', async () => {
    const draft = await createPublicEvent({ status: 'DRAFT' })
    expect((await get(`/events/${draft.slug}/calendar.ics`)).response.status).toBe(404)
    expect((await get(`/events/inconnu-${randomBytes(4).toString('hex')}/calendar.ics`)).response.status).toBe(404)
  })

  it('writes a 12:15 Paris session at 12:15 Paris time on both sides of the October change of time', async () => {
    // 31 October 2027 is the last Sunday of October: summer time (UTC+2) before, winter time (UTC+1) after.
    const before = await createPublicEvent({ title: 'Jeudi d’avant', startsAt: parisNoonQuarter('2027-10-28') })
    const after = await createPublicEvent({ title: 'Jeudi d’après', startsAt: parisNoonQuarter('2027-11-04') })
    for (const [event, utc, wall] of [
      [before, '2027-10-28T10:15:00.000Z', '20271028T121500'],
      [after, '2027-11-04T11:15:00.000Z', '20271104T121500'],
    ] as const) {
      const { text, parsed } = await calendarAt(`/events/${event.slug}/calendar.ics`)
      expect(parsed.events[0]!.start.toISOString()).toBe(utc)
      expect(parsed.events[0]!.startZone).toBe('Europe/Paris')
      expect(text).toContain(`DTSTART;TZID=Europe/Paris:${wall}`)
      expect(text).toContain('BEGIN:VTIMEZONE')
    }
  })
})

describe('/series/:slug/calendar.ics', () => {
  it('has one VEVENT per session with its own UID and no RRULE; drafts are left out; a draft series does not exist', async () => {
    const series = await createPublicSeries('Les Jeudis de l’ODD 17')
    const sessions = await Promise.all(
      ['2027-10-21', '2027-10-28', '2027-11-04'].map((date) => createPublicEvent({ title: `Séance du ${date}`, startsAt: parisNoonQuarter(date), seriesId: series.id })),
    )
    const draftSession = await createPublicEvent({ title: 'Séance en préparation', seriesId: series.id, status: 'DRAFT' })

    const { response, text, parsed } = await calendarAt(`/series/${series.slug}/calendar.ics`)
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${series.slug}.ics"`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.get('etag')).toBeTruthy()
    expect(calendarName(text)).toBe('Les Jeudis de l’ODD 17')
    expect(parsed.method).toBe('PUBLISH')
    expect(parsed.events.map((event) => event.uid).sort()).toEqual(sessions.map((session) => session.icalUid).sort())
    expect(new Set(parsed.events.map((event) => event.uid)).size).toBe(3)
    expect(eventBlocks(text)).toHaveLength(3)
    for (const block of eventBlocks(text)) expect(block).not.toMatch(/^RRULE/m)
    expect(eventWithUid(parsed, draftSession.icalUid)).toBeUndefined()
    for (const session of [...sessions, draftSession]) expect(text).not.toContain(joinUrlOf(session.slug))
    expect(parsed.events.map((event) => event.start.toISOString()).sort()).toEqual(['2027-10-21T10:15:00.000Z', '2027-10-28T10:15:00.000Z', '2027-11-04T11:15:00.000Z'])

    const draftSeries = await prisma.series.create({ data: { slug: `cycle-brouillon-${randomBytes(4).toString('hex')}`, title: 'Cycle en préparation', status: 'DRAFT' } })
    expect((await get(`/series/${draftSeries.slug}/calendar.ics`)).response.status).toBe(404)
  })
})

describe('/registrations/:token/calendar.ics', () => {
  it('gives a confirmed attendee their invite’s UID and SEQUENCE with their personal join link, never cached', async () => {
    const event = await createPublicEvent({ title: 'Webinaire énergie', kind: 'HYBRID' })
    await prisma.event.update({ where: { id: event.id }, data: { icalSequence: 2 } })
    const registration = await confirmedRegistration(event.id, 'CONFIRMED', 1)
    const token = manageToken(registration.id)

    const { response, text, parsed } = await calendarAt(`/registrations/${token}/calendar.ics`)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(response.headers.get('etag')).toBeNull()
    expect(parsed.method).toBe('PUBLISH')
    expect(parsed.events).toHaveLength(1)
    const own = parsed.events[0]!
    expect(own.uid).toBe(registrationInviteUid(event, registration.id))
    expect(own.uid).toBe(`r${registration.id}-${event.icalUid}`)
    expect(own.sequence).toBe(3)
    expect(own.attendees).toEqual([])
    expect(own.description).toContain(personalJoinUrl(registration.token))
    expect(own.description).toContain(`${appUrl}/j/${registration.token}`)
    expect(own.description).toContain(`${appUrl}/registrations/`)
    expect(text).not.toContain(joinUrlOf(event.slug))
  })

  it('refuses a tampered token, another purpose’s token, and registrations that are not confirmed, in French', async () => {
    const event = await createPublicEvent({ kind: 'ONLINE' })
    const confirmed = await confirmedRegistration(event.id)
    const token = manageToken(confirmed.id)
    // A character inside the signature: the last one of base64url also holds two unused bits, so changing it may
    // leave the signature's bytes as they were.
    const at = token.length - 10
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`
    const feedbackToken = new URL(feedbackUrl(confirmed.id)).pathname.split('/').pop()!
    const cancelled = await confirmedRegistration(event.id, 'CANCELLED')
    const waitlisted = await confirmedRegistration(event.id, 'WAITLISTED')
    for (const path of [tampered, feedbackToken, manageToken(cancelled.id), manageToken(waitlisted.id)].map((value) => `/registrations/${value}/calendar.ics`)) {
      const { response, text } = await get(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(text).toContain('Aucun agenda à télécharger')
      expect(text).not.toContain('BEGIN:VCALENDAR')
    }
    // The same registration, once cancelled, loses its file too.
    expect((await get(`/registrations/${token}/calendar.ics`)).response.status).toBe(200)
    await prisma.registration.update({ where: { id: confirmed.id }, data: { status: 'CANCELLED', cancelledAt: new Date() } })
    expect((await get(`/registrations/${token}/calendar.ics`)).response.status).toBe(404)
  })
})

describe('add-to-calendar links', () => {
  it('fills Google and Outlook.com with the right UTC times (before and after the change of time), the page and never the join link', async () => {
    for (const [date, start, end] of [
      ['2027-10-28', '2027-10-28T10:15:00Z', '2027-10-28T11:00:00Z'],
      ['2027-11-04', '2027-11-04T11:15:00Z', '2027-11-04T12:00:00Z'],
    ] as const) {
      const event = await createPublicEvent({ title: 'Les Jeudis de l’ODD 17', startsAt: parisNoonQuarter(date), kind: 'ONLINE' })
      const { response, text: html } = await get(`/events/${event.slug}/merci`)
      expect(response.status).toBe(200)
      expect(html).toContain('Ajouter à mon agenda')
      expect(html).not.toContain(joinUrlOf(event.slug))

      const google = new URL(hrefStarting(html, 'https://calendar.google.com/calendar/render?')!)
      expect(google.searchParams.get('action')).toBe('TEMPLATE')
      expect(google.searchParams.get('text')).toBe('Les Jeudis de l’ODD 17')
      expect(google.searchParams.get('dates')).toBe(`${start.replace(/[-:]/g, '')}/${end.replace(/[-:]/g, '')}`)
      expect(google.searchParams.get('ctz')).toBe('Europe/Paris')
      expect(google.searchParams.get('location')).toBe('En ligne')
      expect(google.searchParams.get('details')).toContain(`${appUrl}/events/${event.slug}`)
      expect(google.search).not.toContain('+')

      const outlook = new URL(hrefStarting(html, 'https://outlook.live.com/calendar/0/deeplink/compose?')!)
      expect(outlook.searchParams.get('path')).toBe('/calendar/action/compose')
      expect(outlook.searchParams.get('rru')).toBe('addevent')
      expect(outlook.searchParams.get('subject')).toBe('Les Jeudis de l’ODD 17')
      expect(outlook.searchParams.get('startdt')).toBe(start)
      expect(outlook.searchParams.get('enddt')).toBe(end)
      expect(outlook.searchParams.get('body')).toContain(`${appUrl}/events/${event.slug}`)

      expect(hrefStarting(html, `/events/${event.slug}/calendar.ics`)).toBe(`/events/${event.slug}/calendar.ics`)
    }
  })

  it('offers the series file on the series thank-you page, and the feeds from /events and the event page', async () => {
    const series = await createPublicSeries()
    await createPublicEvent({ seriesId: series.id })
    const thanks = await get(`/series/${series.slug}/merci`)
    expect(thanks.response.status).toBe(200)
    expect(hrefStarting(thanks.text, `/series/${series.slug}/calendar.ics`)).not.toBeNull()

    const event = await createPublicEvent()
    const page = await get(`/events/${event.slug}`)
    expect(page.text).toMatch(new RegExp(`<link[^>]*rel="alternate"[^>]*type="text/calendar"[^>]*href="/events/${event.slug}/calendar.ics"`))
    expect(hrefStarting(page.text, `/events/${event.slug}/calendar.ics`)).not.toBeNull()
    const list = await get('/events')
    expect(list.text).toMatch(/<link[^>]*rel="alternate"[^>]*type="text\/calendar"[^>]*href="\/calendar.ics"/)
    expect(hrefStarting(list.text, '/calendar.ics')).toBe('/calendar.ics')
  })

  it('gives a confirmed attendee their own .ics and page-only Google/Outlook links on the management page', async () => {
    const event = await createPublicEvent({ kind: 'ONLINE', startsAt: new Date(Date.now() + 3 * day) })
    const registration = await confirmedRegistration(event.id)
    const token = manageToken(registration.id)
    const { response, text: html } = await get(`/registrations/${token}`)
    expect(response.status).toBe(200)
    const icsHref = hrefStarting(html, `/registrations/${token}/calendar.ics`)
    expect(icsHref).toBe(`/registrations/${token}/calendar.ics`)
    const google = new URL(hrefStarting(html, 'https://calendar.google.com/')!)
    expect(google.searchParams.get('details')).toBe(`${appUrl}/events/${event.slug}`)
    expect(html).not.toContain(`/j/${registration.token}`)
    expect(html).not.toContain(joinUrlOf(event.slug))
    expect((await calendarAt(icsHref!)).parsed.events[0]!.uid).toBe(registrationInviteUid(event, registration.id))

    const waitlisted = await confirmedRegistration(event.id, 'WAITLISTED')
    const waitingPage = await get(`/registrations/${manageToken(waitlisted.id)}`)
    expect(waitingPage.response.status).toBe(200)
    expect(waitingPage.text).not.toContain('/calendar.ics')
    expect(waitingPage.text).not.toContain('calendar.google.com')
  })

  it('lists each confirmed session’s own .ics on a whole-series management page', async () => {
    const series = await createPublicSeries()
    const sessions = await Promise.all([1, 2].map((week) => createPublicEvent({ seriesId: series.id, startsAt: new Date(Date.now() + week * 7 * day + 5 * minute) })))
    const seriesRegistration = await prisma.seriesRegistration.create({
      data: { seriesId: series.id, email: `cycle-${randomBytes(4).toString('hex')}@test.example`, token: randomBytes(24).toString('base64url'), firstName: 'Camille', lastName: 'Essai' },
    })
    const registrations = await Promise.all(
      sessions.map(async (session) => {
        const registration = await confirmedRegistration(session.id)
        return prisma.registration.update({ where: { id: registration.id }, data: { seriesRegistrationId: seriesRegistration.id } })
      }),
    )
    const seriesToken = new URL(seriesRegistrationManageUrl(seriesRegistration.id)).pathname.split('/').pop()!
    const { response, text: html } = await get(`/registrations/series/${seriesToken}`)
    expect(response.status).toBe(200)
    const hrefs = [...html.matchAll(/href="(\/registrations\/[^"]+\/calendar\.ics)"/g)].map((match) => match[1]!)
    expect(hrefs).toHaveLength(2)
    const uids = await Promise.all(hrefs.map(async (href) => (await calendarAt(href.replace(/&amp;/g, '&'))).parsed.events[0]!.uid))
    expect(uids.sort()).toEqual(registrations.map((registration, index) => registrationInviteUid(sessions[index]!, registration.id)).sort())
  })
})
