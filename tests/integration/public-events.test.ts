// The public event pages against the production server, a real worker and SMTP: /events with its filters and the
// time in the event's zone, the event page, the registration form posted as a browser would (same 303 and thank-you
// page for every accepted outcome, refusals said in French with nothing stored, honeypot and proof-of-work), the
// whole-series form, and the personal management pages (edit, cancel promoting the first waitlisted, forged links).
// The join link is looked for in every public page and never found.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import { uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import type { RunningProcess } from '#tests/helpers/processes.ts'
import { createPublicEvent, createPublicSeries, joinUrlOf, registrationFields, uniqueSlug } from '#tests/helpers/public-events.ts'
import { createTestList, postForm, randomIp, solvedPow, startWorker } from '#tests/helpers/signup.ts'
import type { EventQuestion } from '~/models/event-schema.ts'
import { registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { registrationManageUrl, seriesRegistrationManageUrl } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { signToken } from '~/utils/token.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'

const { appUrl } = inject('testContext')
const day = 24 * 60 * 60 * 1000
let worker: RunningProcess

const questions: EventQuestion[] = [
  { id: 'attentes', label: 'Qu’attendez-vous de cette rencontre ?', type: 'long_text', required: true, options: [] },
  { id: 'repas', label: 'Restez-vous déjeuner ?', type: 'yes_no', required: true, options: [] },
  { id: 'ateliers', label: 'Ateliers', type: 'multiple_choice', required: false, options: ['Mobilité', 'Énergie', 'Eau'] },
]
const answers = { 'q-attentes': 'Des retours concrets.', 'q-repas': 'yes', 'q-ateliers': ['Mobilité', 'Eau'] }

beforeAll(async () => {
  worker = await startWorker()
})

afterAll(async () => {
  await worker?.stop()
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${appUrl}${path}`)
  return { status: response.status, html: await response.text() }
}

async function register(slug: string, email: string, extra: Record<string, string | string[]> = {}, ip = randomIp()) {
  return postForm(`/events/${slug}`, registrationFields(email, { altcha: await solvedPow(), ...extra }), { ip })
}

const rowsOf = (eventId: number) => prisma.registration.findMany({ where: { eventId }, orderBy: { id: 'asc' } })

describe('/events and the event page', () => {
  it('shows the 12:15 Paris session of Thursday 4 November 2027 at 12:15 with the zone named, filters by theme, never the join link', async () => {
    const theme = uniqueSlug('theme')
    const startsAt = wallClockToInstant({ date: '2027-11-04', time: '12:15' }, 'Europe/Paris')!
    expect(startsAt.toISOString()).toBe('2027-11-04T11:15:00.000Z')
    const event = await createPublicEvent({ title: 'Les Jeudis de l’ODD 17', startsAt, tags: [theme], capacity: 40, kind: 'ONLINE' })
    const other = await createPublicEvent({ title: 'Hors thème', tags: ['autre'] })
    const past = await createPublicEvent({ title: 'Atelier passé', tags: [theme], startsAt: new Date(Date.now() - 10 * day), replayUrl: 'https://video.example/replay-1' })

    const list = await page(`/events?theme=${encodeURIComponent(theme)}`)
    expect(list.status).toBe(200)
    expect(list.html).toContain('Les Jeudis de l’ODD 17')
    expect(list.html).toContain('jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale)')
    expect(list.html).toContain('Il reste 40 places')
    expect(list.html).not.toContain('Hors thème')
    expect(list.html).toContain('Atelier passé')
    expect(list.html).toContain('https://video.example/replay-1')
    for (const slug of [event.slug, other.slug, past.slug]) expect(list.html).not.toContain(joinUrlOf(slug))

    const detail = await page(`/events/${event.slug}`)
    expect(detail.status).toBe(200)
    expect(detail.html).toContain('jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale), jusqu’à 13:00')
    expect(detail.html).toContain('<strong>retours d’expérience</strong>')
    expect(detail.html).toContain('Alex Martin')
    expect(detail.html).toContain('Maison des associations')
    expect(detail.html).not.toContain(joinUrlOf(event.slug))
    expect(detail.html).not.toContain('visio.example')

    const byKind = await page(`/events?theme=${encodeURIComponent(theme)}&kind=IN_PERSON`)
    // The event's own link, not its title: other files' series share that title and appear in the series filter.
    expect(list.html).toContain(`href="/events/${event.slug}"`)
    expect(byKind.html).not.toContain(`href="/events/${event.slug}"`)
  })

  it('counts the seats of every listed event and series session from its own confirmed registrations', async () => {
    const theme = uniqueSlug('seats')
    const series = await createPublicSeries(`Cycle ${theme}`)
    const made = (label: string, capacity: number | null, waitlistEnabled = true) =>
      createPublicEvent({ title: `${label} ${theme}`, tags: [theme], capacity, waitlistEnabled, seriesId: series.id, startsAt: new Date(Date.now() + 5 * day) })
    const [three, waitlist, full, unlimited] = [await made('Trois places', 5), await made('Liste', 1), await made('Plein', 1, false), await made('Sans limite', null)]
    const registerSome = async (eventId: number, count: number) => {
      for (let index = 0; index < count; index += 1) {
        await registerForEvent({ eventId, attendee: { email: uniqueAddress('seats'), firstName: 'Siège', lastName: 'Compté', locale: 'fr' }, answers: {}, source: 'PUBLIC' })
      }
    }
    await registerSome(three.id, 3)
    // A cancelled registration frees its seat; a waitlisted one takes none.
    const cancelled = await prisma.registration.findFirstOrThrow({ where: { eventId: three.id } })
    await prisma.registration.update({ where: { id: cancelled.id }, data: { status: 'CANCELLED' } })
    await registerSome(waitlist.id, 2)
    await registerSome(full.id, 1)
    await registerSome(unlimited.id, 2)
    const cardOf = (html: string, title: string) => html.split('<li class="card">').find((card) => card.includes(`>${title}</a>`)) ?? ''
    const expected: [string, string][] = [
      [three.title, 'Il reste 3 places'],
      [waitlist.title, 'Complet — inscription sur liste d’attente'],
      [full.title, '<strong>Complet</strong>'],
      [unlimited.title, 'Inscriptions ouvertes'],
    ]
    for (const path of [`/events?theme=${theme}`, `/series/${series.slug}`]) {
      const { html } = await page(path)
      for (const [title, text] of expected) expect(cardOf(html, title), `${path}: ${title}`).toContain(text)
    }
  })

  it('says what a visitor may do: waitlist, closed, cancelled, not open yet; drafts do not exist', async () => {
    const full = await createPublicEvent({ capacity: 0 })
    expect((await page(`/events/${full.slug}`)).html).toContain('Complet — inscription sur liste d’attente')
    const closed = await createPublicEvent({ registrationClosesAt: new Date(Date.now() - day) })
    expect((await page(`/events/${closed.slug}`)).html).toContain('Inscriptions closes')
    const english = await fetch(`${appUrl}/events/${closed.slug}`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })
    expect(await english.text()).toContain('Registration closed')
    const cancelled = await createPublicEvent({ status: 'CANCELLED' })
    expect((await page(`/events/${cancelled.slug}`)).html).toContain('Événement annulé')
    const later = await createPublicEvent({ registrationOpensAt: wallClockToInstant({ date: '2027-03-01', time: '09:00' }, 'Europe/Paris') })
    expect((await page(`/events/${later.slug}`)).html).toContain('Inscriptions ouvertes le lundi 1 mars 2027 à 09:00 (heure normale d’Europe centrale)')
    const draft = await createPublicEvent({ status: 'DRAFT' })
    expect((await page(`/events/${draft.slug}`)).status).toBe(404)
  })
})

describe('registration form', () => {
  it('answers a registration and a second one for the same address with the same 303 and page; the second is told by email', async () => {
    const event = await createPublicEvent({ questions })
    const email = uniqueAddress('public-reg')
    const first = await register(event.slug, email, answers)
    expect(first.status).toBe(303)
    const location = first.headers.get('location')
    expect(location).toBe(`/events/${event.slug}/merci`)
    const again = await register(event.slug, email.toUpperCase(), answers)
    expect(again.status).toBe(303)
    expect(again.headers.get('location')).toBe(location)

    const rows = await rowsOf(event.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.status).toBe('CONFIRMED')
    expect(rows[0]!.answers).toEqual({ attentes: 'Des retours concrets.', repas: true, ateliers: ['Mobilité', 'Eau'] })
    const ledger = await prisma.eventMessage.findMany({ where: { registrationId: rows[0]!.id }, orderBy: { id: 'asc' }, select: { kind: true } })
    expect(ledger.map((row) => row.kind)).toEqual(expect.arrayContaining(['CONFIRMATION', 'ALREADY_REGISTERED']))
    const mails = await waitForMessages(email, 2)
    expect(mails).toHaveLength(2)

    const thanks = await page(location!)
    expect(thanks.status).toBe(200)
    expect(thanks.html).toContain('Nous vous avons envoyé un e-mail à <strong>l’adresse indiquée</strong>')
    expect(thanks.html).not.toContain(joinUrlOf(event.slug))
  })

  it('records the separate newsletter box as a pending subscription, and nothing when it is left unticked', async () => {
    const list = await createTestList('evt-news')
    const event = await createPublicEvent()
    const ticked = uniqueAddress('public-news')
    expect((await register(event.slug, ticked, { newsletter: 'yes', newsletterListId: String(list.id) })).status).toBe(303)
    const unticked = uniqueAddress('public-nonews')
    expect((await register(event.slug, unticked, { newsletterListId: String(list.id) })).status).toBe(303)
    const subscriptions = await prisma.subscription.findMany({ where: { listId: list.id }, include: { contact: { select: { email: true } } } })
    expect(subscriptions.map((row) => [row.contact.email, row.status])).toEqual([[ticked, 'PENDING']])
  })

  it('refuses missing required answers, overlong fields and a bad address in French, keeps what was typed, stores nothing', async () => {
    const event = await createPublicEvent({ questions })
    const email = uniqueAddress('public-bad')
    const missing = await register(event.slug, email, { 'q-ateliers': 'Eau', organization: 'Mairie de Trélissac' })
    expect(missing.status).toBe(400)
    const missingHtml = await missing.text()
    expect(missingHtml).toContain('Votre inscription n’a pas été envoyée')
    expect(missingHtml.match(/Cette question est obligatoire\./g)?.length).toBeGreaterThanOrEqual(2)
    expect(missingHtml).toContain('value="Mairie de Trélissac"')
    expect(missingHtml).toContain('aria-describedby="inscription-form-q-attentes-hint inscription-form-q-attentes-error"')

    const overlong = await register(event.slug, email, { ...answers, 'q-attentes': 'x'.repeat(2001), firstName: 'C'.repeat(81) })
    expect(overlong.status).toBe(400)
    const overlongHtml = await overlong.text()
    expect(overlongHtml).toContain('Cette réponse est trop longue.')
    expect(overlongHtml).toContain('Ce texte est trop long : raccourcissez-le.')

    const badEmail = await register(event.slug, 'pas-une-adresse', answers)
    expect(badEmail.status).toBe(400)
    expect(await badEmail.text()).toContain('Saisissez une adresse électronique valide')
    expect(await rowsOf(event.id)).toHaveLength(0)
  })

  it('refuses a closed, a cancelled and a full event without waitlist with a French sentence, nothing stored', async () => {
    const closed = await createPublicEvent({ registrationClosesAt: new Date(Date.now() - day) })
    const cancelled = await createPublicEvent({ status: 'CANCELLED' })
    const full = await createPublicEvent({ capacity: 1, waitlistEnabled: false })
    expect((await register(full.slug, uniqueAddress('public-first'))).status).toBe(303)
    const cases = [
      [closed, 'Les inscriptions à cet événement sont closes'],
      [cancelled, 'Cet événement est annulé : votre inscription n’a pas été enregistrée.'],
      [full, 'Cet événement est complet et n’a pas de liste d’attente'],
    ] as const
    for (const [event, sentence] of cases) {
      const response = await register(event.slug, uniqueAddress('public-refused'), { organization: 'Gardé telle quelle' })
      expect(response.status).toBe(409)
      const html = await response.text()
      expect(html).toContain(sentence)
      expect(html).toContain('value="Gardé telle quelle"')
    }
    expect(await rowsOf(closed.id)).toHaveLength(0)
    expect(await rowsOf(cancelled.id)).toHaveLength(0)
    expect(await rowsOf(full.id)).toHaveLength(1)
  })

  it('drops a filled honeypot silently, refuses a forged or replayed proof-of-work, and limits posts without one', async () => {
    const event = await createPublicEvent()
    const bot = await register(event.slug, uniqueAddress('public-bot'), { website: 'https://spam.example' })
    expect(bot.status).toBe(303)
    expect(bot.headers.get('location')).toBe(`/events/${event.slug}/merci`)

    const forged = await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress('public-forged'), { altcha: Buffer.from('{"challenge":{}}').toString('base64') }))
    expect(forged.status).toBe(400)
    expect(await forged.text()).toContain('La vérification anti-robot a échoué')

    const pow = await solvedPow()
    expect((await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress('public-pow'), { altcha: pow }))).status).toBe(303)
    const replayed = await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress('public-replay'), { altcha: pow }))
    expect(replayed.status).toBe(400)
    expect(await replayed.text()).toContain('La vérification anti-robot a échoué ou a déjà servi')

    // Without JavaScript there is no proof-of-work: accepted within a small budget per address, then refused.
    const ip = randomIp()
    const statuses: number[] = []
    for (let index = 0; index < 11; index += 1) {
      statuses.push((await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress(`public-nojs${index}`)), { ip })).status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(303))
    expect(statuses[10]).toBe(429)
    const limited = await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress('public-nojs-last')), { ip })
    expect(await limited.text()).toContain('Trop de demandes d’inscription')
    // The bot's, the forged and the replayed posts stored nothing: one with a proof, ten without.
    expect(await rowsOf(event.id)).toHaveLength(11)
  })

  it('counts every IPv6 address of one /64 together for the per-address budget', async () => {
    const event = await createPublicEvent()
    const block = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`
    const prefix = block()
    // Without proof-of-work: ten posts, each from a new address of the same /64, then the eleventh is refused.
    const statuses: number[] = []
    for (let index = 0; index < 11; index += 1) {
      statuses.push((await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress(`public-v6-${index}`)), { ip: `${prefix}::${(index + 1).toString(16)}` })).status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(303))
    expect(statuses[10]).toBe(429)
    // Another /64 has its own budget.
    expect((await postForm(`/events/${event.slug}`, registrationFields(uniqueAddress('public-v6-other')), { ip: `${block()}::1` })).status).toBe(303)
    expect(await rowsOf(event.id)).toHaveLength(11)
  })
})

describe('whole series', () => {
  it('registers to every future session from /series/:slug and cancels them from the series link', async () => {
    const series = await createPublicSeries('Les Jeudis de l’ODD 17')
    const sessions = await Promise.all([3, 10].map((days) => createPublicEvent({ seriesId: series.id, kind: 'ONLINE', startsAt: new Date(Date.now() + days * day) })))
    const seriesPage = await page(`/series/${series.slug}`)
    expect(seriesPage.status).toBe(200)
    for (const session of sessions) {
      expect(seriesPage.html).toContain(`/events/${session.slug}`)
      expect(seriesPage.html).not.toContain(joinUrlOf(session.slug))
    }
    const email = uniqueAddress('public-series')
    const response = await postForm(`/series/${series.slug}`, registrationFields(email, { altcha: await solvedPow() }))
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`/series/${series.slug}/merci`)
    const seriesRegistration = await prisma.seriesRegistration.findUniqueOrThrow({ where: { seriesId_email: { seriesId: series.id, email } } })
    const rows = await prisma.registration.findMany({ where: { seriesRegistrationId: seriesRegistration.id } })
    expect(rows.map((row) => row.status).sort()).toEqual(['CONFIRMED', 'CONFIRMED'])

    const manage = new URL(seriesRegistrationManageUrl(seriesRegistration.id)).pathname
    expect((await page(manage)).html).toContain('Inscription au cycle active')
    const cancelled = await postForm(manage, new URLSearchParams({ intent: 'cancel' }), { headers: { Origin: appUrl } })
    expect(cancelled.status).toBe(303)
    const after = await prisma.registration.findMany({ where: { seriesRegistrationId: seriesRegistration.id } })
    expect(after.map((row) => row.status)).toEqual(['CANCELLED', 'CANCELLED'])
  })
})

describe('management page', () => {
  it('shows the status and QR code, edits answers, and a cancellation promotes the first waitlisted person', async () => {
    const event = await createPublicEvent({ kind: 'IN_PERSON', capacity: 1, questions })
    const [first, second, third] = [uniqueAddress('manage-a'), uniqueAddress('manage-b'), uniqueAddress('manage-c')]
    for (const email of [first, second, third]) expect((await register(event.slug, email, answers)).status).toBe(303)
    const [confirmed, waitlisted, last] = await rowsOf(event.id)
    expect([confirmed!.status, waitlisted!.status, last!.status]).toEqual(['CONFIRMED', 'WAITLISTED', 'WAITLISTED'])

    const lastPage = await page(new URL(registrationManageUrl(last!.id)).pathname)
    expect(lastPage.html).toContain('Sur liste d’attente, en position 2')

    const path = new URL(registrationManageUrl(confirmed!.id)).pathname
    const own = await page(path)
    expect(own.status).toBe(200)
    expect(own.html).toContain('Inscription confirmée : votre place est réservée.')
    expect(own.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="QR code d’accueil de Camille Essai/)
    expect(own.html).not.toContain(joinUrlOf(event.slug))

    const edit = new URLSearchParams({ intent: 'edit', firstName: 'Dominique', lastName: 'Essai', organization: 'Département', territory: '24', 'q-attentes': 'Rencontrer les voisins.', 'q-repas': 'no' })
    const saved = await postForm(path, edit, { headers: { Origin: appUrl } })
    expect(saved.status).toBe(303)
    const edited = await prisma.registration.findUniqueOrThrow({ where: { id: confirmed!.id } })
    expect(edited.firstName).toBe('Dominique')
    expect(edited.answers).toEqual({ attentes: 'Rencontrer les voisins.', repas: false })

    const badEdit = await postForm(path, new URLSearchParams({ intent: 'edit', firstName: '', lastName: 'Essai', 'q-repas': 'no' }), { headers: { Origin: appUrl } })
    expect(badEdit.status).toBe(400)
    const badHtml = await badEdit.text()
    expect(badHtml).toContain('Indiquez votre prénom.')
    expect(badHtml).toContain('Cette question est obligatoire.')

    expect((await page(`${path}?annuler=1`)).html).toContain('Oui, annuler mon inscription')
    const crossSite = await postForm(path, new URLSearchParams({ intent: 'cancel' }), { headers: { Origin: 'https://evil.example' } })
    expect(crossSite.status).toBe(403)
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: confirmed!.id } })).status).toBe('CONFIRMED')

    const cancel = await postForm(path, new URLSearchParams({ intent: 'cancel' }), { headers: { Origin: appUrl } })
    expect(cancel.status).toBe(303)
    const statuses = await rowsOf(event.id)
    expect(statuses.map((row) => row.status)).toEqual(['CANCELLED', 'CONFIRMED', 'WAITLISTED'])
    expect((await page(path)).html).toContain('Inscription annulée.')
  })

  it('explains a forged, foreign or expired link in French with a 404', async () => {
    const event = await createPublicEvent()
    expect((await register(event.slug, uniqueAddress('manage-forged'))).status).toBe(303)
    const [row] = await rowsOf(event.id)
    const genuine = new URL(registrationManageUrl(row!.id)).pathname
    const forged = `${genuine.slice(0, -3)}${genuine.endsWith('aaa') ? 'bbb' : 'aaa'}`
    const foreign = `/registrations/${signToken({ purpose: 'preferences', subject: String(row!.id), expiresInSeconds: 3600 })}`
    const expired = new URL(registrationManageUrl(row!.id, new Date(Date.now() - 6 * 366 * day))).pathname
    for (const path of [forged, foreign, expired, '/registrations/n-importe-quoi', '/registrations/series/n-importe-quoi']) {
      const response = await page(path)
      expect(response.status).toBe(404)
      expect(response.html).toContain('Ce lien ne fonctionne pas')
    }
    const post = await postForm(forged, new URLSearchParams({ intent: 'cancel' }), { headers: { Origin: appUrl } })
    expect(post.status).toBe(404)
    expect((await rowsOf(event.id))[0]!.status).toBe('CONFIRMED')
  })
})
