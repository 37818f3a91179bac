// The personal join link /j/:token against the production server and the real database. How it proves its claims:
// each case opens the link as a person's browser (or a mail scanner) would, reads the status, the Location and
// cache headers and the page a person would see, then reads the registration row back: joinedAt and attendance
// are only set inside the window by a person's click (a browser's Fetch Metadata for a user-activated navigation),
// never by a scanner presenting a browser User-Agent, and a later use writes nothing (updatedAt unchanged). The
// concurrency claim is checked twice: simultaneous requests over HTTP leave one join time, and simultaneous calls of
// recordJoin with distinct clocks report exactly one first join, whose clock is the one stored. Every page body
// seen is searched for the event's join URL, which must appear only in the Location header of a real attendee.
import { afterAll, describe, expect, it } from 'vitest'
import { attendanceOf, browserAgent, eventAround, openJoinLink, registrationFor, scannerAgent } from '#tests/helpers/join.ts'
import { postForm } from '#tests/helpers/signup.ts'
import { formatDateTime } from '~/i18n.ts'
import { recordJoin } from '~/models/join.server.ts'
import { prisma } from '~/utils/db.server.ts'

const pages: { joinUrl: string; html: string }[] = []

/** Opens the link expecting a page (no redirect) and keeps its HTML for the final join URL search. */
async function joinPage(token: string, joinUrl: string | null, options: Parameters<typeof openJoinLink>[1] = {}) {
  const response = await openJoinLink(token, options)
  const html = await response.text()
  if (joinUrl) pages.push({ joinUrl, html })
  return { response, html }
}

afterAll(async () => {
  await prisma.$disconnect()
})

describe('/j/:token before the window', () => {
  it('shows a waiting page with the start in the event zone and when the link opens, and records nothing', async () => {
    const event = await eventAround(120)
    const registration = await registrationFor(event.id)
    const { response, html } = await joinPage(registration.token, event.joinUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect(html).toContain('Le lien ouvrira bientôt')
    expect(html).toContain(event.title)
    expect(html).toContain(formatDateTime(event.startsAt, 'fr', 'Europe/Paris'))
    expect(html).toMatch(/heure (normale|d’été) d’Europe centrale/)
    const opensAt = new Date(event.startsAt.getTime() - 30 * 60 * 1000)
    expect(html).toContain(`Ce lien vous mènera à l’événement à partir du ${formatDateTime(opensAt, 'fr', 'Europe/Paris')}`)
    // Opens in 90 minutes: beyond the hour, no self-reload; the page says to come back.
    expect(html).not.toContain('http-equiv="refresh"')
    expect(html).toContain('Revenez à ce moment-là')
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
  })

  it('reloads itself when the link opens within the hour', async () => {
    const event = await eventAround(50)
    const registration = await registrationFor(event.id)
    const { response, html } = await joinPage(registration.token, event.joinUrl)
    expect(response.status).toBe(200)
    const refresh = /<meta http-equiv="refresh" content="(\d+)"/.exec(html)
    expect(refresh).not.toBeNull()
    // Opens 20 minutes from now: the reload comes then, not before and not an hour later.
    const seconds = Number(refresh![1])
    expect(seconds).toBeGreaterThan(15 * 60)
    expect(seconds).toBeLessThanOrEqual(20 * 60 + 1)
    expect(html).toContain('Cette page se rechargera d’elle-même à l’ouverture du lien.')
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
  })
})

describe('/j/:token inside the window', () => {
  it('redirects to the join URL without cache or referrer, records the first join once, later uses write nothing', async () => {
    const event = await eventAround(-5)
    const registration = await registrationFor(event.id)
    const before = Date.now()
    const first = await openJoinLink(registration.token)
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(event.joinUrl)
    expect(first.headers.get('cache-control')).toContain('no-store')
    expect(first.headers.get('referrer-policy')).toBe('no-referrer')
    const joined = await attendanceOf(registration.id)
    expect(joined.attendance).toBe('PRESENT')
    expect(joined.joinedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)

    const second = await openJoinLink(registration.token)
    expect(second.status).toBe(302)
    expect(second.headers.get('location')).toBe(event.joinUrl)
    const after = await attendanceOf(registration.id)
    expect(after.joinedAt).toEqual(joined.joinedAt)
    expect(after.updatedAt).toEqual(joined.updatedAt)

    // Staff corrected the attendance: a later use of the link does not undo it.
    await prisma.registration.update({ where: { id: registration.id }, data: { attendance: 'ABSENT' } })
    expect((await openJoinLink(registration.token)).status).toBe(302)
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: joined.joinedAt, attendance: 'ABSENT' })
  })

  it('two simultaneous clicks are both sent on and leave one join time', async () => {
    const event = await eventAround(-1)
    const registration = await registrationFor(event.id)
    const responses = await Promise.all([openJoinLink(registration.token), openJoinLink(registration.token)])
    for (const response of responses) {
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(event.joinUrl)
    }
    const joined = await attendanceOf(registration.id)
    expect(joined.attendance).toBe('PRESENT')
    expect(joined.joinedAt).not.toBeNull()
    await openJoinLink(registration.token)
    expect((await attendanceOf(registration.id)).joinedAt).toEqual(joined.joinedAt)
  })

  it('simultaneous records with different clocks: exactly one is the first join, and its time is the one kept', async () => {
    const event = await eventAround(-1)
    const registration = await registrationFor(event.id)
    const clocks = Array.from({ length: 8 }, (_, index) => new Date(Date.UTC(2030, 0, 1, 12, index)))
    const results = await Promise.all(clocks.map((clock) => recordJoin(registration.id, clock)))
    expect(results.filter(Boolean)).toHaveLength(1)
    const winner = clocks[results.indexOf(true)]!
    expect((await attendanceOf(registration.id)).joinedAt).toEqual(winner)
  })

  it('a join URL not set yet: "le lien n’est pas encore disponible", nothing recorded', async () => {
    const event = await eventAround(-5)
    await prisma.event.update({ where: { id: event.id }, data: { joinUrl: null } })
    const registration = await registrationFor(event.id)
    const { response, html } = await joinPage(registration.token, event.joinUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('location')).toBeNull()
    expect(html).toContain('Le lien n’est pas encore disponible')
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
  })
})

describe('mail scanners', () => {
  it('a HEAD request records nothing and gets no join URL', async () => {
    const event = await eventAround(-5)
    const registration = await registrationFor(event.id)
    const response = await openJoinLink(registration.token, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('location')).toBeNull()
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
  })

  it('a scanner with a browser User-Agent (no user-activated navigation) gets the button page and records nothing', async () => {
    const event = await eventAround(-5)
    const registration = await registrationFor(event.id)
    // Safe Links and the like: a Chrome or Edge User-Agent and no Fetch Metadata; a navigation nobody clicked
    // (Sec-Fetch-Mode: navigate without Sec-Fetch-User); a fetch() (Sec-Fetch-Mode: cors with a user flag).
    const edge = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'
    const requests: { metadata: Record<string, string>; agent?: string }[] = [
      { metadata: {} },
      { metadata: {}, agent: edge },
      { metadata: { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Site': 'none' } },
      { metadata: { 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-User': '?1' } },
    ]
    for (const options of requests) {
      const { response, html } = await joinPage(registration.token, event.joinUrl, options)
      expect(response.status).toBe(200)
      expect(response.headers.get('location')).toBeNull()
      expect(html).toContain('Rejoindre maintenant')
    }
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })

    // The same browser clicking: sent on and recorded.
    const clicked = await openJoinLink(registration.token)
    expect(clicked.status).toBe(302)
    expect(clicked.headers.get('location')).toBe(event.joinUrl)
    expect(await attendanceOf(registration.id)).toMatchObject({ attendance: 'PRESENT' })
  })

  it('a bot User-Agent gets the page with a button, records nothing; the button (a person) joins', async () => {
    const event = await eventAround(-5)
    const registration = await registrationFor(event.id)
    for (const agent of [scannerAgent, '']) {
      const { response, html } = await joinPage(registration.token, event.joinUrl, { agent })
      expect(response.status).toBe(200)
      expect(response.headers.get('location')).toBeNull()
      expect(html).toContain('Rejoindre maintenant')
    }
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })

    const pressed = await postForm(`/j/${registration.token}`, new URLSearchParams(), { headers: { 'User-Agent': browserAgent } })
    expect(pressed.status).toBe(303)
    expect(pressed.headers.get('location')).toBe(event.joinUrl)
    expect(await attendanceOf(registration.id)).toMatchObject({ attendance: 'PRESENT' })
    expect((await attendanceOf(registration.id)).joinedAt).not.toBeNull()
  })
})

describe('/j/:token after the end and outside the list', () => {
  it('after the end: "cet événement est terminé" with the replay link, nothing recorded', async () => {
    const event = await eventAround(-120, { replayUrl: 'https://video.example/replay-join' })
    const registration = await registrationFor(event.id)
    const { response, html } = await joinPage(registration.token, event.joinUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('location')).toBeNull()
    expect(html).toContain('Cet événement est terminé')
    expect(html).toContain('href="https://video.example/replay-join" rel="noreferrer"')
    expect(html).toContain('Voir le replay')
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })

    const noReplay = await eventAround(-120)
    const other = await registrationFor(noReplay.id)
    const ended = await joinPage(other.token, noReplay.joinUrl)
    expect(ended.html).toContain('Aucun replay n’est disponible pour le moment.')
  })

  it('a tampered or unknown token: 404 page in French, nothing recorded', async () => {
    const event = await eventAround(-5)
    const registration = await registrationFor(event.id)
    const last = registration.token.at(-1) === 'A' ? 'B' : 'A'
    for (const token of [`${registration.token.slice(0, -1)}${last}`, 'abc', `${registration.token}x`]) {
      const { response, html } = await joinPage(token, event.joinUrl)
      expect(response.status).toBe(404)
      expect(response.headers.get('location')).toBeNull()
      expect(html).toContain('Lien introuvable')
      expect(html).toContain('Ce lien de connexion n’existe pas')
    }
    expect(await attendanceOf(registration.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
  })

  it('an in-person event shows the venue; a cancelled registration or event says so; none records anything', async () => {
    const inPerson = await eventAround(-5, { kind: 'IN_PERSON' })
    const onSite = await registrationFor(inPerson.id)
    const venue = await joinPage(onSite.token, inPerson.joinUrl)
    expect(venue.response.status).toBe(200)
    expect(venue.response.headers.get('location')).toBeNull()
    expect(venue.html).toContain('Cet événement a lieu sur place')
    expect(venue.html).toContain('Maison des associations, 12 rue des Lilas, 33000 Bordeaux')

    const online = await eventAround(-5)
    const cancelled = await registrationFor(online.id, { status: 'CANCELLED' })
    const waitlisted = await registrationFor(online.id, { status: 'WAITLISTED' })
    expect((await joinPage(cancelled.token, online.joinUrl)).html).toContain('a été annulée : ce lien ne donne plus accès à l’événement')
    expect((await joinPage(waitlisted.token, online.joinUrl)).html).toContain('Vous êtes sur la liste d’attente')

    const called = await eventAround(-5, { status: 'CANCELLED' })
    const ofCancelled = await registrationFor(called.id)
    expect((await joinPage(ofCancelled.token, called.joinUrl)).html).toContain('Cet événement est annulé')

    for (const id of [onSite.id, cancelled.id, waitlisted.id, ofCancelled.id]) {
      expect(await attendanceOf(id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
    }
  })
})

describe('the join URL', () => {
  it('never appears in any page seen above', () => {
    expect(pages.length).toBeGreaterThan(10)
    for (const page of pages) {
      expect(page.html).not.toContain(page.joinUrl)
      expect(page.html).not.toContain('visio.example')
    }
  })
})
