// Staff event pages against the production server: an in-person event at 12:15 Paris after the October change
// stored at the right instant and shown in its zone, a time skipped by the spring change refused in French with
// everything typed kept, bad input refused with nothing stored, custom questions kept with stable ids, the calendar
// SEQUENCE raised only by time/place/link changes, duplication, CSRF, the dashboard, and a session of a series
// published through the page registering the series members.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { readQuestions } from '~/models/event-schema.ts'
import { registerForEvent, registerForSeries } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

let editor: TestStaff
const tag = randomUUID().slice(0, 8)

/** The form as a browser sends it for an in-person event on Thursday 4 November 2027, 12:15–13:30 Paris time. */
function eventFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: 'save',
    kind: 'IN_PERSON',
    title: `Rencontre du réseau ${tag}`,
    summary: 'Un déjeuner de travail.',
    description: 'Premier paragraphe.\n\nSecond <script>alert(1)</script> paragraphe.',
    startDate: '2027-11-04',
    startTime: '12:15',
    endDate: '',
    endTime: '13:30',
    timeZone: 'Europe/Paris',
    venueName: 'Maison des associations',
    venueAddress: '12 rue de la République, 69001 Lyon',
    accessNotes: 'Entrée par la cour.',
    joinUrl: '',
    capacity: '40',
    waitlistEnabled: 'on',
    opensDate: '2027-10-01',
    opensTime: '09:00',
    closesDate: '2027-11-03',
    closesTime: '18:00',
    tags: 'climat, mobilité',
    'speakers[0].name': 'Awa Diallo',
    'speakers[0].role': 'Chargée de mission',
    status: 'DRAFT',
    ...overrides,
  }
}

async function createEventAsEditor(overrides: Record<string, string> = {}): Promise<number> {
  const response = await staffPost(editor, '/admin/events/new', eventFields(overrides))
  expect(response.status, await response.clone().text()).toBe(302)
  const id = Number(/^\/admin\/events\/(\d+)\?notice=created$/.exec(response.headers.get('location') ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  return id
}

const countByTitle = (title: string) => prisma.event.count({ where: { title } })

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'events-editor' })
})

describe('creating an event', () => {
  it('sends visitors without a session to the sign-in page', async () => {
    for (const path of ['/admin/events', '/admin/events/new', '/admin/events/1']) {
      const response = await staffGet(null, path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/login\?redirectTo=/)
    }
  })

  it('stores 12:15 Paris after the October change at 11:15Z and shows 12:15 with the zone named', async () => {
    const id = await createEventAsEditor()
    const event = await prisma.event.findUniqueOrThrow({ where: { id } })
    expect(event.startsAt.toISOString()).toBe('2027-11-04T11:15:00.000Z')
    expect(event.endsAt.toISOString()).toBe('2027-11-04T12:30:00.000Z')
    expect(event.registrationClosesAt?.toISOString()).toBe('2027-11-03T17:00:00.000Z')
    expect(event).toMatchObject({ kind: 'IN_PERSON', timeZone: 'Europe/Paris', capacity: 40, waitlistEnabled: true, approvalRequired: false, status: 'DRAFT', icalSequence: 0, joinUrl: null, tags: ['climat', 'mobilité'] })
    expect(event.slug).toBe(`rencontre-du-reseau-${tag}-2027-11-04`)
    expect(event.icalUid).toMatch(/^[0-9a-f-]{36}@[^@]+$/)
    expect(event.description).toBe('<p>Premier paragraphe.</p><p>Second  paragraphe.</p>')
    expect(event.speakers).toEqual([{ name: 'Awa Diallo', role: 'Chargée de mission' }])
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'event.create', entityType: 'Event', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)

    const html = await (await staffGet(editor, `/admin/events/${id}?notice=created`)).text()
    expect(html).toContain('L’événement a été créé.')
    expect(html).toContain('jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale)')
    expect(html).toMatch(/id="event-startTime"[^>]*value="12:15"|value="12:15"[^>]*id="event-startTime"/)
    for (const link of ['registrations', 'checkin', 'attendance']) expect(html).toContain(`href="/admin/events/${id}/${link}"`)

    const dashboard = await (await staffGet(editor, '/admin/events?kind=IN_PERSON')).text()
    expect(dashboard).toContain(`href="/admin/events/${id}"`)
    expect(await (await staffGet(editor, '/admin/events?kind=ONLINE')).text()).not.toContain(`href="/admin/events/${id}"`)
  })

  it('refuses a time the clocks skip in spring, in French, keeping everything typed', async () => {
    const title = `Webinaire du printemps ${tag}`
    const response = await staffPost(editor, '/admin/events/new', eventFields({ title, startDate: '2027-03-28', startTime: '02:30', endTime: '03:30', venueName: 'Salle Olympe de Gouges', tags: 'énergie, eau' }))
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Cette heure n’existe pas ce jour-là dans ce fuseau horaire (passage à l’heure d’été)')
    expect(html).toContain(`value="${title}"`)
    expect(html).toContain('value="Salle Olympe de Gouges"')
    expect(html).toContain('value="énergie, eau"')
    expect(html).toContain('value="02:30"')
    expect(html).toContain('value="Awa Diallo"')
    expect(await countByTitle(title)).toBe(0)
  })

  it('refuses a missing title, an end before the start, an http join link and overlong fields, storing nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ title: '' }, 'Indiquez le titre de l’événement.'],
      [{ endTime: '11:00' }, 'La fin doit venir après le début'],
      [{ kind: 'ONLINE', joinUrl: 'http://visio.example.org/salle' }, 'Le lien de connexion doit être une adresse complète commençant par https://.'],
      [{ venueName: 'x'.repeat(201) }, 'Ce texte est trop long : raccourcissez-le.'],
      [{ kind: 'HYBRID', venueAddress: '' }, 'Indiquez l’adresse du lieu'],
      [{ closesDate: '2027-11-05' }, 'La clôture des inscriptions doit avoir lieu au plus tard au début de l’événement.'],
      [{ capacity: '-3' }, 'Le nombre de places doit être un nombre entier positif'],
    ]
    for (const [overrides, message] of cases) {
      const title = overrides.title ?? `Refusé ${randomUUID().slice(0, 8)}`
      const response = await staffPost(editor, '/admin/events/new', eventFields({ ...overrides, title }))
      expect(response.status, message).toBe(400)
      expect(await response.text(), message).toContain(message)
      if (title) expect(await countByTitle(title), message).toBe(0)
    }
  })

  it('stores a cover image sent with the form, and keeps the rest when the file is not an image', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const post = (title: string, file: Blob, name: string) => {
      const body = new FormData()
      for (const [key, value] of Object.entries(eventFields({ title }))) body.set(key, value)
      body.set('csrf', editor.csrfToken)
      body.set('coverImage', file, name)
      return fetch(`${inject('testContext').appUrl}/admin/events/new`, { method: 'POST', redirect: 'manual', body, headers: { Cookie: editor.cookie, Origin: inject('testContext').appUrl } })
    }
    const refused = await post(`Pas une image ${tag}`, new Blob(['%PDF-1.4 pas une image'], { type: 'image/png' }), 'faux.png')
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('Format refusé : seules les images PNG, JPEG, GIF et WebP sont acceptées.')
    expect(html).toContain(`value="Pas une image ${tag}"`)
    expect(await countByTitle(`Pas une image ${tag}`)).toBe(0)

    const created = await post(`Avec image ${tag}`, new Blob([png], { type: 'image/png' }), 'couverture.png')
    expect(created.status).toBe(302)
    const event = await prisma.event.findFirstOrThrow({ where: { title: `Avec image ${tag}` } })
    const assetId = Number(/\/assets\/(\d+)$/.exec(event.coverImageUrl ?? '')?.[1])
    expect((await prisma.asset.findUniqueOrThrow({ where: { id: assetId } })).mimeType).toBe('image/png')
    expect(await (await staffGet(editor, `/admin/events/${event.id}`)).text()).toContain(`alt="Avec image ${tag}"`)

    const elsewhere = await staffPost(editor, '/admin/events/new', eventFields({ title: `Image ailleurs ${tag}`, coverImageUrl: 'https://evil.example/assets/1' }))
    expect(elsewhere.status).toBe(400)
    expect(await elsewhere.text()).toContain('Cette image n’a pas été reconnue : envoyez-la de nouveau.')
    expect(await countByTitle(`Image ailleurs ${tag}`)).toBe(0)
  })

  it('preselects the series of an "add a session" link with its zone, title and the kind and place of its last session', async () => {
    const series = await prisma.series.create({ data: { slug: `seances-${tag}`, title: `Les Jeudis ${tag}`, timeZone: 'America/Montreal', status: 'PUBLISHED' } })
    const other = await prisma.series.create({ data: { slug: `autre-${tag}`, title: `Autre cycle ${tag}`, status: 'PUBLISHED' } })
    const selected = (html: string, name: string) => new RegExp(`<select[^>]*name="${name}"[^>]*>.*?</select>`, 's').exec(html)?.[0].match(/<option[^>]*selected=""[^>]*>/g) ?? []
    const option = (value: string) => new RegExp(`<option[^>]*value="${value}"[^>]*selected=""|<option[^>]*selected=""[^>]*value="${value}"`)

    const first = await (await staffGet(editor, `/admin/events/new?seriesId=${series.id}`)).text()
    expect(selected(first, 'seriesId')).toHaveLength(1)
    expect(selected(first, 'seriesId')[0]).toMatch(option(String(series.id)))
    expect(selected(first, 'timeZone')[0]).toMatch(option('America/Montreal'))
    expect(first).toContain(`value="Les Jeudis ${tag} — séance"`)
    expect(first).toMatch(/id="event-kind-ONLINE"[^>]*checked=""/)

    // Once the series has an in-person session, the next one starts from its kind and place.
    await createEventAsEditor({ title: `Les Jeudis ${tag} — séance du 4 novembre`, timeZone: 'America/Montreal', seriesId: String(series.id), venueName: 'Salle du Plateau', venueAddress: '5 rue Rachel, Montréal' })
    const next = await (await staffGet(editor, `/admin/events/new?seriesId=${series.id}`)).text()
    expect(next).toMatch(/id="event-kind-IN_PERSON"[^>]*checked=""/)
    expect(next).toContain('value="5 rue Rachel, Montréal"')
    expect(selected(next, 'timeZone')[0]).toMatch(option('America/Montreal'))

    // A cancelled series, an unknown id or garbage is ignored: the plain new-event form.
    const cancelled = await prisma.series.create({ data: { slug: `annule-${tag}`, title: `Cycle annulé ${tag}`, status: 'CANCELLED' } })
    for (const param of [String(cancelled.id), '999999999', 'abc', `${other.id}x`]) {
      const html = await (await staffGet(editor, `/admin/events/new?seriesId=${param}`)).text()
      expect(selected(html, 'seriesId'), param).toHaveLength(1)
      expect(selected(html, 'seriesId')[0], param).toMatch(option(''))
      expect(selected(html, 'timeZone')[0], param).toMatch(option('Europe/Paris'))
      expect(html, param).not.toContain('— séance"')
      expect(html, param).not.toContain(`Cycle annulé ${tag}`)
    }
    expect(await (await staffGet(editor, `/admin/events/new?seriesId=${series.id}&lang=en`)).text()).toContain(`value="Les Jeudis ${tag} — session"`)
  })

  it('refuses a post without the CSRF token or from another site, and stores nothing', async () => {
    const title = `Sans jeton ${tag}`
    expect((await staffPost(editor, '/admin/events/new', eventFields({ title }), { csrf: null })).status).toBe(403)
    expect((await staffPost(editor, '/admin/events/new', eventFields({ title }), { origin: 'https://evil.example' })).status).toBe(403)
    expect(await countByTitle(title)).toBe(0)
  })
})

describe('editing an event', () => {
  it('keeps custom questions and their ids across edits', async () => {
    const id = await createEventAsEditor({
      title: `Questions ${tag}`,
      'questions[0].label': 'Régime alimentaire ?',
      'questions[0].type': 'single_choice',
      'questions[0].required': 'on',
      'questions[0].options': 'Aucun\nVégétarien\nSans gluten',
      'questions[1].label': 'Des questions pour les intervenants ?',
      'questions[1].type': 'long_text',
      'questions[2].label': '',
    })
    const stored = readQuestions((await prisma.event.findUniqueOrThrow({ where: { id } })).questions)
    expect(stored).toEqual([
      { id: 'regime-alimentaire', label: 'Régime alimentaire ?', type: 'single_choice', required: true, options: ['Aucun', 'Végétarien', 'Sans gluten'] },
      { id: 'des-questions-pour-les', label: 'Des questions pour les intervenants ?', type: 'long_text', required: false, options: [] },
    ])
    const html = await (await staffGet(editor, `/admin/events/${id}`)).text()
    expect(html).toContain('name="questions[0].id" value="regime-alimentaire"')
    // The two saved questions and two blank rows.
    expect(html).toContain('name="questions[3].label"')
    expect(html).not.toContain('name="questions[4].label"')

    const edited = await staffPost(editor, `/admin/events/${id}`, eventFields({
      title: `Questions ${tag}`,
      'questions[0].id': 'regime-alimentaire',
      'questions[0].label': 'Votre régime alimentaire',
      'questions[0].type': 'single_choice',
      'questions[0].options': 'Aucun\nVégétarien',
      'questions[1].id': 'des-questions-pour-les',
      'questions[1].label': 'Des questions pour les intervenants ?',
      'questions[1].type': 'long_text',
      'questions[1].remove': 'on',
      'questions[2].label': 'Venez-vous en vélo ?',
      'questions[2].type': 'yes_no',
    }))
    expect(edited.status).toBe(302)
    expect(readQuestions((await prisma.event.findUniqueOrThrow({ where: { id } })).questions)).toEqual([
      { id: 'regime-alimentaire', label: 'Votre régime alimentaire', type: 'single_choice', required: false, options: ['Aucun', 'Végétarien'] },
      { id: 'venez-vous-en-velo', label: 'Venez-vous en vélo ?', type: 'yes_no', required: false, options: [] },
    ])

    const oneOption = await staffPost(editor, `/admin/events/${id}`, eventFields({ title: `Questions ${tag}`, 'questions[0].label': 'Choix', 'questions[0].type': 'multiple_choice', 'questions[0].options': 'Seul' }))
    expect(oneOption.status).toBe(400)
    expect(await oneOption.text()).toContain('Un choix demande au moins deux réponses possibles, une par ligne.')
  })

  it('raises the calendar SEQUENCE only when the time, place or link changes', async () => {
    const title = `Séquence ${tag}`
    const id = await createEventAsEditor({ title })
    const sequence = async () => (await prisma.event.findUniqueOrThrow({ where: { id } })).icalSequence
    const save = async (overrides: Record<string, string>) => {
      const response = await staffPost(editor, `/admin/events/${id}`, eventFields({ title, ...overrides }))
      expect(response.status, await response.clone().text()).toBe(302)
      return response.headers.get('location')
    }
    expect(await save({ summary: 'Un autre résumé', capacity: '50', tags: 'climat' })).toBe(`/admin/events/${id}?notice=saved&updates=0`)
    expect(await sequence()).toBe(0)
    expect(await save({ summary: 'Un autre résumé', capacity: '50', tags: 'climat', venueAddress: '1 place Bellecour, 69002 Lyon' })).toBe(`/admin/events/${id}?notice=savedSequence&updates=0`)
    expect(await sequence()).toBe(1)
    await save({ summary: 'Un autre résumé', capacity: '50', tags: 'climat', venueAddress: '1 place Bellecour, 69002 Lyon', startTime: '12:30' })
    expect(await sequence()).toBe(2)
    await save({ kind: 'HYBRID', summary: 'Un autre résumé', capacity: '50', tags: 'climat', venueAddress: '1 place Bellecour, 69002 Lyon', startTime: '12:30', joinUrl: 'https://visio.example.org/salle' })
    expect(await sequence()).toBe(3)
    await save({ kind: 'HYBRID', summary: 'Encore un autre', capacity: '50', tags: 'climat', venueAddress: '1 place Bellecour, 69002 Lyon', startTime: '12:30', joinUrl: 'https://visio.example.org/salle' })
    expect(await sequence()).toBe(3)
    const audits = await prisma.auditLog.findMany({ where: { action: 'event.update', entityId: String(id) }, orderBy: { id: 'asc' } })
    expect(audits).toHaveLength(5)
    expect(audits[0]?.data).toMatchObject({ sequenceBumped: false })
    const page = await (await staffGet(editor, `/admin/events/${id}`)).text()
    expect(page).toContain('value="https://visio.example.org/salle"')
    expect(page).toContain('jeudi 4 novembre 2027 à 12:30 (heure normale d’Europe centrale)')
  })

  it('sets a replay link and resources on a past event (https only, in French, keeping what was typed); /events shows the replay among past events', async () => {
    const theme = `replay-${tag}`
    const title = `Atelier passé ${tag}`
    const past = { title, tags: theme, startDate: '2025-03-04', opensDate: '', opensTime: '', closesDate: '', closesTime: '', status: 'PUBLISHED' }
    const id = await createEventAsEditor(past)
    const save = (overrides: Record<string, string>) => staffPost(editor, `/admin/events/${id}`, eventFields({ ...past, ...overrides }))

    const refused = await save({ replayUrl: 'http://video.example.org/atelier', 'resources[0].label': 'Support', 'resources[0].url': 'javascript:alert(1)', 'resources[1].url': 'https://docs.example.org/cr.pdf' })
    expect(refused.status).toBe(400)
    const refusedHtml = await refused.text()
    expect(refusedHtml).toContain('Le lien du replay doit être une adresse complète commençant par https://.')
    expect(refusedHtml).toContain('L’adresse de la ressource doit être une adresse complète commençant par https://.')
    expect(refusedHtml).toContain('Indiquez l’intitulé de la ressource (ou effacez son adresse).')
    expect(refusedHtml).toContain('value="http://video.example.org/atelier"')
    expect(refusedHtml).toMatch(/aria-describedby="event-replayUrl-hint event-replayUrl-error"/)
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).replayUrl).toBeNull()

    const saved = await save({ replayUrl: 'https://video.example.org/atelier', 'resources[0].label': 'Support de présentation', 'resources[0].url': 'https://docs.example.org/support.pdf' })
    expect(saved.status, await saved.clone().text()).toBe(302)
    const stored = await prisma.event.findUniqueOrThrow({ where: { id } })
    expect(stored.replayUrl).toBe('https://video.example.org/atelier')
    expect(stored.resources).toEqual([{ label: 'Support de présentation', url: 'https://docs.example.org/support.pdf' }])
    const form = await (await staffGet(editor, `/admin/events/${id}`)).text()
    expect(form).toContain('value="https://video.example.org/atelier"')
    expect(form).toContain('value="Support de présentation"')

    const appUrl = inject('testContext').appUrl
    const list = await (await fetch(`${appUrl}/events?theme=${encodeURIComponent(theme)}`)).text()
    const pastSection = list.slice(list.indexOf(title))
    expect(pastSection).toContain('href="https://video.example.org/atelier"')
    const eventPage = await (await fetch(`${appUrl}/events/${stored.slug}`)).text()
    expect(eventPage).toContain('href="https://video.example.org/atelier"')
    expect(eventPage).toMatch(/<a href="https:\/\/docs\.example\.org\/support\.pdf">Support de présentation<\/a>/)
  })

  it('duplicates an event as a draft copy without its calendar identity or registrations', async () => {
    const title = `À copier ${tag}`
    const id = await createEventAsEditor({ title, status: 'PUBLISHED', 'questions[0].label': 'Votre commune', 'questions[0].type': 'short_text' })
    await addStaffRegistration(id)
    const response = await staffPost(editor, `/admin/events/${id}`, { intent: 'duplicate' })
    expect(response.status).toBe(302)
    const copyId = Number(/^\/admin\/events\/(\d+)\?notice=duplicated$/.exec(response.headers.get('location') ?? '')?.[1])
    expect(copyId).toBeGreaterThan(id)
    const [source, copy] = await Promise.all([prisma.event.findUniqueOrThrow({ where: { id } }), prisma.event.findUniqueOrThrow({ where: { id: copyId } })])
    expect(copy).toMatchObject({ title: `Copie de ${title}`, status: 'DRAFT', icalSequence: 0, startsAt: source.startsAt, endsAt: source.endsAt, venueAddress: source.venueAddress, capacity: 40, questions: source.questions })
    expect(copy.slug).not.toBe(source.slug)
    expect(copy.icalUid).not.toBe(source.icalUid)
    expect(await prisma.registration.count({ where: { eventId: copyId } })).toBe(0)
    expect(await prisma.registration.count({ where: { eventId: id } })).toBe(1)
    expect(await (await staffGet(editor, `/admin/events/${copyId}?notice=duplicated`)).text()).toContain('Voici la copie, en brouillon')
    await prisma.auditLog.findFirstOrThrow({ where: { action: 'event.duplicate', entityId: String(copyId) } })
  })

  it('publishes a session of a series and registers the series members to it', async () => {
    const series = await prisma.series.create({ data: { slug: `cycle-${tag}`, title: `Cycle ${tag}`, status: 'PUBLISHED' } })
    await createEventAsEditor({ title: `Séance 1 ${tag}`, kind: 'ONLINE', venueAddress: '', seriesId: String(series.id), status: 'PUBLISHED' })
    const email = uniqueAddress('series-member')
    const outcome = await registerForSeries({ seriesId: series.id, attendee: { email, firstName: 'Inès', lastName: 'Martin', locale: 'fr' }, source: 'PUBLIC' })
    expect(outcome.status).toBe('registered')

    const id = await createEventAsEditor({ title: `Séance 2 ${tag}`, kind: 'ONLINE', venueAddress: '', startDate: '2027-11-18', opensDate: '', opensTime: '', closesDate: '', closesTime: '', seriesId: String(series.id) })
    expect(await prisma.registration.count({ where: { eventId: id } })).toBe(0)
    const published = await staffPost(editor, `/admin/events/${id}`, { intent: 'publish' })
    expect(published.headers.get('location')).toBe(`/admin/events/${id}?notice=published`)
    const registration = await prisma.registration.findUniqueOrThrow({ where: { eventId_email: { eventId: id, email } } })
    expect(registration).toMatchObject({ status: 'CONFIRMED', source: 'SERIES' })
    await prisma.auditLog.findFirstOrThrow({ where: { action: 'event.publish', entityId: String(id) } })

    // Created published, or published through the edit form: the member is registered too.
    const session = { kind: 'ONLINE', venueAddress: '', opensDate: '', opensTime: '', closesDate: '', closesTime: '', seriesId: String(series.id) }
    const createdPublished = await createEventAsEditor({ ...session, title: `Séance 3 ${tag}`, startDate: '2027-11-25', status: 'PUBLISHED' })
    expect(await prisma.registration.count({ where: { eventId: createdPublished, email, status: 'CONFIRMED' } })).toBe(1)
    const draft = await createEventAsEditor({ ...session, title: `Séance 4 ${tag}`, startDate: '2027-12-02' })
    expect(await prisma.registration.count({ where: { eventId: draft } })).toBe(0)
    const edited = await staffPost(editor, `/admin/events/${draft}`, eventFields({ ...session, title: `Séance 4 ${tag}`, startDate: '2027-12-02', status: 'PUBLISHED' }))
    expect(edited.status).toBe(302)
    expect(await prisma.registration.count({ where: { eventId: draft, email, status: 'CONFIRMED' } })).toBe(1)
  })
})

describe('following events', () => {
  it('counts seats, waitlist, approvals and attendance on the dashboard, filtered by status', async () => {
    const title = `Tableau ${tag}`
    const id = await createEventAsEditor({ title, capacity: '4', status: 'PUBLISHED' })
    const statuses = ['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL', 'CANCELLED'] as const
    for (const status of statuses) await addRegistration(id, { status })
    const pastTitle = `Passé ${tag}`
    const past = await prisma.event.create({
      data: { slug: `passe-${tag}`, kind: 'IN_PERSON', title: pastTitle, startsAt: new Date(Date.now() - 3 * 86_400_000), endsAt: new Date(Date.now() - 3 * 86_400_000 + 3_600_000), status: 'PUBLISHED', icalUid: `passe-${tag}@relais.test` },
    })
    for (const attendance of ['PRESENT', 'PRESENT', 'PRESENT', 'ABSENT'] as const) await addRegistration(past.id, { status: 'CONFIRMED', attendance })

    const html = await (await staffGet(editor, '/admin/events')).text()
    const rowOf = (name: string) => new RegExp(`${name}</a>.*?</tr>`, 's').exec(html)?.[0] ?? ''
    const row = rowOf(title)
    expect(row).toContain('jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale)')
    expect(row).toContain('<td>2 / 4</td>')
    expect(row).toContain('<td>50 %</td>')
    expect(row).toMatch(/<td>50 %<\/td><td>1<\/td><td>1<\/td>/)
    expect(rowOf(pastTitle)).toContain('<td>75 %</td>')

    const drafts = await (await staffGet(editor, '/admin/events?status=DRAFT')).text()
    expect(drafts).not.toContain(`>${title}</a>`)
    expect(drafts).not.toContain(`>${pastTitle}</a>`)
  })

  it('draws the registrations received per day in the event zone, with the figures in a table', async () => {
    const id = await createEventAsEditor({ title: `Courbe ${tag}`, opensDate: '', opensTime: '', closesDate: '', closesTime: '' })
    await prisma.event.update({ where: { id }, data: { registrationOpensAt: new Date(Date.now() - 10 * 86_400_000) } })
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
    for (const createdAt of [twoDaysAgo, twoDaysAgo, new Date()]) await addRegistration(id, { status: 'CONFIRMED', createdAt })
    const html = await (await staffGet(editor, `/admin/events/${id}`)).text()
    expect(html).toContain('Inscriptions par jour')
    expect(html).toMatch(/<svg role="img" aria-label="Inscriptions reçues chaque jour, du [^"]+ : 3 au total, au plus 2 en un jour\."/)
    // Eleven days (the opening ten days ago to today), each a bar and a table row.
    expect(html.match(/<rect /g)).toHaveLength(11)
    expect(html.match(/<td>2<\/td>/g)).toHaveLength(1)
  })

  it('promotes the waitlist when the capacity is raised', async () => {
    const title = `Capacité ${tag}`
    const fields = { title, capacity: '1', status: 'PUBLISHED', opensDate: '', opensTime: '', closesDate: '', closesTime: '' }
    const id = await createEventAsEditor(fields)
    const first = await registerForEvent({ eventId: id, attendee: { email: uniqueAddress('cap1'), firstName: 'Un', lastName: 'Premier', locale: 'fr' }, answers: {}, source: 'STAFF', staffUserId: editor.id })
    const second = await registerForEvent({ eventId: id, attendee: { email: uniqueAddress('cap2'), firstName: 'Deux', lastName: 'Second', locale: 'fr' }, answers: {}, source: 'STAFF', staffUserId: editor.id })
    expect([first.status, second.status]).toEqual(['confirmed', 'waitlisted'])
    expect((await staffPost(editor, `/admin/events/${id}`, eventFields({ ...fields, capacity: '2' }))).status).toBe(302)
    expect(await prisma.registration.count({ where: { eventId: id, status: 'CONFIRMED' } })).toBe(2)
  })

  it('refuses a capacity below the people already confirmed, naming their number and keeping everything typed', async () => {
    const title = `Jauge ${tag}`
    const fields = { title, capacity: '30', status: 'PUBLISHED', opensDate: '', opensTime: '', closesDate: '', closesTime: '' }
    const id = await createEventAsEditor(fields)
    for (let n = 0; n < 23; n += 1) await registerForEvent({ eventId: id, attendee: { email: uniqueAddress(`jauge${n}`), firstName: 'Léa', lastName: `Jauge ${n}`, locale: 'fr' }, answers: {}, source: 'STAFF', staffUserId: editor.id })
    expect(await prisma.registration.count({ where: { eventId: id, status: 'CONFIRMED' } })).toBe(23)
    const before = await prisma.event.findUniqueOrThrow({ where: { id } })
    const audits = () => prisma.auditLog.count({ where: { action: 'event.update', entityId: String(id) } })

    const typed = { ...fields, capacity: '20', summary: 'Résumé tapé avant le refus', venueName: 'Salle Louise Michel', tags: 'jauge, places' }
    const refused = await staffPost(editor, `/admin/events/${id}`, eventFields(typed))
    expect(refused.status).toBe(400)
    const html = await refused.text()
    const message = '23 personnes sont déjà confirmées : la capacité ne peut pas descendre en dessous, sauf à annuler ou déplacer des inscriptions en liste d’attente d’abord.'
    expect(html).toContain(`<p id="event-capacity-error" class="field-error">${message}</p>`)
    expect(html).toMatch(/id="event-capacity"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="event-capacity"/)
    expect(html).toContain(`href="#event-capacity">${message}</a>`)
    for (const value of ['20', 'Salle Louise Michel', 'jauge, places']) expect(html).toContain(`value="${value}"`)
    expect(html).toContain('Résumé tapé avant le refus</textarea>')
    const after = await prisma.event.findUniqueOrThrow({ where: { id } })
    expect(after).toMatchObject({ capacity: 30, summary: before.summary, venueName: before.venueName, updatedAt: before.updatedAt })
    expect(await audits()).toBe(0)
    expect(await prisma.registration.count({ where: { eventId: id, status: 'CONFIRMED' } })).toBe(23)

    // Down to exactly the confirmed count, or an unrelated edit of an event already over its seats, is accepted.
    expect((await staffPost(editor, `/admin/events/${id}`, eventFields({ ...fields, capacity: '23' }))).status).toBe(302)
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).capacity).toBe(23)
    await prisma.event.update({ where: { id }, data: { capacity: 10 } })
    expect((await staffPost(editor, `/admin/events/${id}`, eventFields({ ...fields, capacity: '10', summary: 'Autre résumé' }))).status).toBe(302)
    expect(await prisma.event.findUniqueOrThrow({ where: { id } })).toMatchObject({ capacity: 10, summary: 'Autre résumé' })

    // An unlimited event limited below its confirmed count is refused too; in English for staff who chose it.
    await prisma.event.update({ where: { id }, data: { capacity: null } })
    const english = await staffPost(editor, `/admin/events/${id}?lang=en`, eventFields({ ...fields, capacity: '2' }))
    expect(english.status).toBe(400)
    expect(await english.text()).toContain('23 people are already confirmed: the capacity cannot go below that unless you first cancel registrations or move them to the waitlist.')
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).capacity).toBeNull()
  })

  it('cancels an event only once confirmed, and keeps it cancelled', async () => {
    const title = `Annulé ${tag}`
    const id = await createEventAsEditor({ title, status: 'PUBLISHED' })
    const unconfirmed = await staffPost(editor, `/admin/events/${id}`, { intent: 'cancel' })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('Cochez la case de confirmation pour annuler l’événement.')
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).status).toBe('PUBLISHED')
    // Cancelling through the edit form is refused: registrants would not be told.
    const throughForm = await staffPost(editor, `/admin/events/${id}`, eventFields({ title, status: 'CANCELLED' }))
    expect(throughForm.status).toBe(400)
    expect(await throughForm.text()).toContain('utilisez le bouton « Annuler l’événement » de sa page')

    const cancelled = await staffPost(editor, `/admin/events/${id}`, { intent: 'cancel', confirm: 'on' })
    expect(cancelled.headers.get('location')).toBe(`/admin/events/${id}?notice=cancelledNotice&count=0`)
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).status).toBe('CANCELLED')
    expect(await (await staffGet(editor, `/admin/events/${id}`)).text()).toContain('Cet événement est annulé : il n’accepte plus d’inscriptions.')
    const republish = await staffPost(editor, `/admin/events/${id}`, eventFields({ title, status: 'PUBLISHED' }))
    expect(republish.status).toBe(400)
    expect(await republish.text()).toContain('Un événement annulé ne peut pas être republié')
  })

  it('speaks English to a staff member who chose it', async () => {
    const html = await (await fetch(`${inject('testContext').appUrl}/admin/events/new?lang=en`, { headers: { Cookie: editor.cookie } })).text()
    expect(html).toContain('Create an event')
    expect(html).toContain('Webinar join link')
  })
})

async function addRegistration(eventId: number, data: { status: 'CONFIRMED' | 'WAITLISTED' | 'PENDING_APPROVAL' | 'CANCELLED'; attendance?: 'PRESENT' | 'ABSENT'; createdAt?: Date }) {
  await prisma.registration.create({ data: { eventId, email: uniqueAddress('dash'), firstName: 'Léa', lastName: 'Petit', token: randomUUID(), waitlistedAt: data.status === 'WAITLISTED' ? new Date() : null, ...data } })
}

/** One registration made by hand (staff), so that the duplicate can be checked not to carry it. */
async function addStaffRegistration(eventId: number) {
  await prisma.registration.create({ data: { eventId, email: uniqueAddress('copy'), firstName: 'Léa', lastName: 'Petit', status: 'CONFIRMED', source: 'STAFF', token: randomUUID() } })
}
