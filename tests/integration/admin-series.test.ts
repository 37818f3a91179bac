// Staff series pages against the production server: create a series through the form (audited, description
// sanitised), preview a weekly rule (nothing stored, zone named, exceptions listed), generate the sessions at the
// right instants across the October change, submit again (alone and twice at once) without duplicates, French
// errors for a bad rule with nothing stored and nothing typed lost, a time that does not exist reported, CSRF, and
// a whole-series member registered to a session generated later, then cancelled from the series page.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { registerForSeries } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

let editor: TestStaff
const tag = randomUUID().slice(0, 8)

/** A form POST with repeated fields (the weekday boxes), as the browser sends it from our own page. */
function postForm(staff: TestStaff, path: string, form: URLSearchParams, options: { csrf?: string | null; origin?: string } = {}): Promise<Response> {
  const appUrl = inject('testContext').appUrl
  const body = new URLSearchParams(form)
  const csrf = options.csrf === undefined ? staff.csrfToken : options.csrf
  if (csrf) body.set('csrf', csrf)
  return fetch(`${appUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie, Origin: options.origin ?? appUrl },
  })
}

async function createSeriesAsEditor(slug: string, overrides: Record<string, string> = {}): Promise<number> {
  const response = await staffPost(editor, '/admin/series/new', { intent: 'save', title: `Les Jeudis de l’ODD 17 ${tag}`, slug, description: '', timeZone: 'Europe/Paris', status: 'PUBLISHED', ...overrides })
  expect(response.status).toBe(302)
  const id = Number(/^\/admin\/series\/(\d+)\?created=1$/.exec(response.headers.get('location') ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  return id
}

/** Every Thursday 12:15–13:00 from September 2027 to January 2028, except the Toussaint and Christmas holidays. */
function thursdays(overrides: Record<string, string> = {}, weekdays: string[] = ['4']): URLSearchParams {
  const form = new URLSearchParams({
    frequency: 'weekly',
    interval: '1',
    ordinal: '1',
    monthWeekday: '4',
    monthDay: '1',
    firstDate: '2027-09-02',
    endMode: 'date',
    lastDate: '2028-01-27',
    count: '',
    startTime: '12:15',
    endTime: '13:00',
    exceptions: 'Toussaint : 16/10/2027 au 01/11/2027\n2027-12-18..2028-01-02',
    kind: 'ONLINE',
    titlePattern: 'Jeudi ODD 17 — séance {{n}}',
    summary: 'Une heure pour avancer ensemble',
    capacity: '30',
    waitlistEnabled: 'on',
    joinUrl: 'https://visio.example/odd17',
    venueName: '',
    venueAddress: '',
    accessNotes: '',
    status: 'DRAFT',
    ...overrides,
  })
  for (const weekday of weekdays) form.append('weekdays', weekday)
  return form
}

async function preview(seriesId: number, form: URLSearchParams): Promise<{ html: string; digest: string }> {
  form.set('intent', 'preview')
  const response = await postForm(editor, `/admin/series/${seriesId}/generate`, form)
  expect(response.status).toBe(200)
  const html = await response.text()
  return { html, digest: /name="previewDigest"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? '' }
}

async function generate(seriesId: number, form: URLSearchParams, digest: string): Promise<Response> {
  const confirmed = new URLSearchParams(form)
  confirmed.set('intent', 'generate')
  confirmed.set('previewDigest', digest)
  return postForm(editor, `/admin/series/${seriesId}/generate`, confirmed)
}

const expectedThursdays = [
  '2027-09-02T10:15', '2027-09-09T10:15', '2027-09-16T10:15', '2027-09-23T10:15', '2027-09-30T10:15', '2027-10-07T10:15', '2027-10-14T10:15',
  '2027-11-04T11:15', '2027-11-11T11:15', '2027-11-18T11:15', '2027-11-25T11:15', '2027-12-02T11:15', '2027-12-09T11:15', '2027-12-16T11:15',
  '2028-01-06T11:15', '2028-01-13T11:15', '2028-01-20T11:15', '2028-01-27T11:15',
]

const sessionsOf = (seriesId: number) => prisma.event.findMany({ where: { seriesId }, orderBy: { startsAt: 'asc' } })

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'series-editor' })
})

describe('series: create and edit', () => {
  it('sends visitors without a session to the sign-in page', async () => {
    for (const path of ['/admin/series', '/admin/series/new', '/admin/series/1', '/admin/series/1/generate']) {
      const response = await staffGet(null, path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/login\?redirectTo=/)
    }
  })

  it('lets an editor create a series with a sanitised description, audited, listed and in the navigation', async () => {
    const slug = `jeudis-${tag}`
    const id = await createSeriesAsEditor(slug, { description: 'Un cycle de webinaires.\n\nQuestions & réponses' })
    const series = await prisma.series.findUniqueOrThrow({ where: { id } })
    expect(series).toMatchObject({ slug, title: `Les Jeudis de l’ODD 17 ${tag}`, timeZone: 'Europe/Paris', status: 'PUBLISHED' })
    expect(series.description).toBe('<p>Un cycle de webinaires.</p><p>Questions &amp; réponses</p>')
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'series.create', entityType: 'Series', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)

    const html = await (await staffGet(editor, `/admin/series/${id}?created=1`)).text()
    expect(html).toContain('Le cycle a été créé.')
    expect(html).toContain(`href="/admin/events/new?seriesId=${id}"`)
    expect(html).toContain('Ajouter une séance')
    expect(html).toContain('Aucune séance pour le moment')
    expect(html).toMatch(/href="\/admin\/series"[^>]*>Cycles<\/a>/)
    const list = await (await staffGet(editor, '/admin/series')).text()
    expect(list).toContain(`href="/admin/series/${id}"`)
  })

  it('refuses an invalid form in French and a slug already taken, and saves edits with the changes audited', async () => {
    const invalid = await staffPost(editor, '/admin/series/new', { intent: 'save', title: '', slug: 'Pas Bon !', timeZone: 'Mars/Olympus', status: 'DRAFT' })
    expect(invalid.status).toBe(400)
    const html = await invalid.text()
    expect(html).toContain('Indiquez le titre du cycle.')
    expect(html).toContain('Utilisez seulement des lettres minuscules')
    expect(html).toContain('Choisissez un fuseau horaire dans la liste.')

    const slug = `double-${tag}`
    const id = await createSeriesAsEditor(slug)
    const clash = await staffPost(editor, '/admin/series/new', { intent: 'save', title: 'Autre', slug, timeZone: 'Europe/Paris', status: 'DRAFT' })
    expect(clash.status).toBe(400)
    expect(await clash.text()).toContain('Un autre cycle utilise déjà cet identifiant')
    expect(await prisma.series.count({ where: { slug } })).toBe(1)

    const saved = await staffPost(editor, `/admin/series/${id}`, { intent: 'save', title: `Renommé ${tag}`, slug, description: '<p>Bonjour <script>alert(1)</script><strong>à tous</strong></p>', timeZone: 'America/Guadeloupe', status: 'DRAFT' })
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Les modifications ont été enregistrées.')
    expect(await prisma.series.findUniqueOrThrow({ where: { id } })).toMatchObject({ title: `Renommé ${tag}`, description: '<p>Bonjour <strong>à tous</strong></p>', timeZone: 'America/Guadeloupe', status: 'DRAFT' })
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'series.update', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)
    expect(audit.data).toMatchObject({ changes: { title: { to: `Renommé ${tag}` }, timeZone: { from: 'Europe/Paris', to: 'America/Guadeloupe' } } })
  })
})

describe('series: generating sessions from a rule', () => {
  it('previews without storing, then creates every Thursday at 12:15 Paris time across the October change', async () => {
    const id = await createSeriesAsEditor(`generation-${tag}`)
    const { html, digest } = await preview(id, thursdays())
    expect(html).toContain('18 séances seront créées (fuseau Europe/Paris)')
    expect(html).toContain('Jeudi ODD 17 — séance 1</strong> — jeudi 2 septembre 2027, 12:15–13:00 (heure d’été d’Europe centrale)')
    expect(html).toContain('Jeudi ODD 17 — séance 8</strong> — jeudi 4 novembre 2027, 12:15–13:00 (heure normale d’Europe centrale)')
    expect(html).toContain('Dates écartées par les exceptions')
    for (const day of ['jeudi 21 octobre 2027', 'jeudi 28 octobre 2027', 'jeudi 23 décembre 2027', 'jeudi 30 décembre 2027']) expect(html).toContain(day)
    expect(html).toContain('Créer les 18 séances')
    expect(digest).not.toBe('')
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(0)

    const response = await generate(id, thursdays(), digest)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/admin/series/${id}?generated=18&existing=0`)
    const sessions = await sessionsOf(id)
    expect(sessions.map((session) => session.startsAt.toISOString().slice(0, 16))).toEqual(expectedThursdays)
    expect(sessions.map((session) => session.endsAt.getTime() - session.startsAt.getTime())).toEqual(expectedThursdays.map(() => 45 * 60_000))
    expect(sessions.map((session) => session.title)).toEqual(expectedThursdays.map((_, index) => `Jeudi ODD 17 — séance ${index + 1}`))
    expect(sessions[0]).toMatchObject({ kind: 'ONLINE', timeZone: 'Europe/Paris', capacity: 30, waitlistEnabled: true, joinUrl: 'https://visio.example/odd17', summary: 'Une heure pour avancer ensemble', status: 'DRAFT' })
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'series.generate', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)
    expect((audit.data as { created: number[] }).created).toHaveLength(18)

    const page = await (await staffGet(editor, `/admin/series/${id}?generated=18&existing=0`)).text()
    expect(page).toContain('18 séances ont été créées.')
    expect(page).toContain('jeudi 4 novembre 2027, 12:15–13:00 (heure normale d’Europe centrale)')
    expect(page).toContain('0 / 30')

    // The same submission again (a second click, the back button): nothing new.
    const again = await generate(id, thursdays(), digest)
    expect(again.headers.get('location')).toBe(`/admin/series/${id}?generated=0&existing=18`)
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(18)
    expect(await (await staffGet(editor, `/admin/series/${id}?generated=0&existing=18`)).text()).toContain('Aucune séance n’a été créée : elles existaient déjà toutes.')
    // A preview now says so for each date.
    const second = await preview(id, thursdays())
    expect(second.html).toContain('Aucune nouvelle séance ne sera créée avec cette règle.')
    expect(second.html).toContain('déjà présente, ne sera pas recréée')
  })

  it('creates nothing twice when the confirmation is submitted twice at once, and only the new dates of a longer rule', async () => {
    const id = await createSeriesAsEditor(`double-clic-${tag}`)
    const form = thursdays({ endMode: 'count', count: '6', exceptions: '' })
    const { digest } = await preview(id, form)
    const responses = await Promise.all([generate(id, form, digest), generate(id, form, digest)])
    const created = responses.map((response) => Number(/generated=(\d+)/.exec(response.headers.get('location') ?? '')?.[1]))
    expect(created.sort()).toEqual([0, 6])
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(6)

    const longer = thursdays({ endMode: 'count', count: '8', exceptions: '' })
    const extended = await preview(id, longer)
    expect(extended.html).toContain('2 séances seront créées')
    expect((await generate(id, longer, extended.digest)).headers.get('location')).toBe(`/admin/series/${id}?generated=2&existing=6`)
    const sessions = await sessionsOf(id)
    expect(sessions.map((session) => session.title)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Jeudi ODD 17 — séance ${n}`))
  })

  it('previews again instead of creating when the rule changed since the preview', async () => {
    const id = await createSeriesAsEditor(`change-${tag}`)
    const { digest } = await preview(id, thursdays({ endMode: 'count', count: '3' }))
    const changed = await generate(id, thursdays({ endMode: 'count', count: '4' }), digest)
    expect(changed.status).toBe(200)
    const html = await changed.text()
    expect(html).toContain('La règle a changé depuis l’aperçu')
    expect(html).toContain('4 séances seront créées')
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(0)
  })

  it('refuses a bad rule with French messages naming the line, stores nothing and keeps what was typed', async () => {
    const id = await createSeriesAsEditor(`erreurs-${tag}`)
    const bad = thursdays({ endTime: '12:00', exceptions: '2027-10-21\nbientôt peut-être\n01/11/2027 au 16/10/2027', joinUrl: 'visio', titlePattern: 'Mon titre {{n}} gardé' }, [])
    for (const intent of ['preview', 'generate']) {
      bad.set('intent', intent)
      const response = await postForm(editor, `/admin/series/${id}/generate`, bad)
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(html).toContain('Le formulaire contient des erreurs')
      expect(html).toContain('Ligne 2 des exceptions (« bientôt peut-être ») : illisible.')
      expect(html).toContain('Ligne 3 des exceptions (« 01/11/2027 au 16/10/2027 ») : la période finit avant de commencer.')
      expect(html).toContain('Le lien de connexion doit être une adresse complète commençant par https://.')
      expect(html).toContain('aria-describedby="gen-exceptions-hint gen-exceptions-error"')
      expect(html).toContain('2027-10-21\nbientôt peut-être\n01/11/2027 au 16/10/2027</textarea>')
      expect(html).toContain('value="Mon titre {{n}} gardé"')
    }
    // Once the exceptions read, the rule's own checks speak.
    bad.set('exceptions', '21/10/2027')
    bad.set('joinUrl', '')
    bad.set('intent', 'preview')
    const rule = await postForm(editor, `/admin/series/${id}/generate`, bad)
    expect(rule.status).toBe(400)
    const html = await rule.text()
    expect(html).toContain('Cochez au moins un jour de la semaine.')
    expect(html).toContain('L’heure de fin doit venir après l’heure de début.')
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(0)
    expect(await prisma.auditLog.count({ where: { action: 'series.generate', entityId: String(id) } })).toBe(0)
  })

  it('reports a time that does not exist (02:30 on 26 March 2028) and creates the other dates only', async () => {
    const id = await createSeriesAsEditor(`heure-ete-${tag}`)
    const form = thursdays({ firstDate: '2028-03-19', lastDate: '2028-04-02', startTime: '02:30', endTime: '03:30', exceptions: '', titlePattern: 'Nuit {{date}}' }, ['7'])
    const { html, digest } = await preview(id, form)
    expect(html).toContain('2 séances seront créées')
    expect(html).toContain('dimanche 26 mars 2028 : 02:30 n’existe pas dans le fuseau Europe/Paris (passage à l’heure d’été)')
    expect(html).toContain('Nuit dimanche 19 mars 2028')
    await generate(id, form, digest)
    const sessions = await sessionsOf(id)
    expect(sessions.map((session) => session.startsAt.toISOString())).toEqual(['2028-03-19T01:30:00.000Z', '2028-04-02T00:30:00.000Z'])
  })

  it('refuses posts without the CSRF token or from another site', async () => {
    const id = await createSeriesAsEditor(`csrf-${tag}`)
    const form = thursdays()
    form.set('intent', 'preview')
    const { digest } = await preview(id, thursdays())
    const confirmed = new URLSearchParams(form)
    confirmed.set('intent', 'generate')
    confirmed.set('previewDigest', digest)
    const missing = await postForm(editor, `/admin/series/${id}/generate`, confirmed, { csrf: null })
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain('Action refusée')
    expect((await postForm(editor, `/admin/series/${id}/generate`, confirmed, { origin: 'https://attaquant.example' })).status).toBe(403)
    expect(await prisma.event.count({ where: { seriesId: id } })).toBe(0)
    const slug = `csrf-new-${tag}`
    expect((await staffPost(editor, '/admin/series/new', { intent: 'save', title: 'X', slug, timeZone: 'Europe/Paris', status: 'DRAFT' }, { csrf: null })).status).toBe(403)
    expect((await staffPost(editor, `/admin/series/${id}`, { intent: 'save', title: 'X', slug, timeZone: 'Europe/Paris', status: 'DRAFT' }, { origin: 'https://attaquant.example' })).status).toBe(403)
    expect(await prisma.series.count({ where: { slug } })).toBe(0)
  })
})

describe('series: whole-series registrations', () => {
  it('registers a series member to a published session generated later, lists them, and cancels from the page', async () => {
    const id = await createSeriesAsEditor(`membres-${tag}`)
    const first = thursdays({ endMode: 'count', count: '1', exceptions: '', status: 'PUBLISHED' })
    await generate(id, first, (await preview(id, first)).digest)
    const email = uniqueAddress('series-member')
    const outcome = await registerForSeries({ seriesId: id, attendee: { email, firstName: 'Awa', lastName: 'Diallo', organization: 'Commune de Test', locale: 'fr' }, source: 'PUBLIC' })
    expect(outcome.status).toBe('registered')

    const later = thursdays({ firstDate: '2027-10-07', endMode: 'count', count: '1', exceptions: '', status: 'PUBLISHED' })
    const { html, digest } = await preview(id, later)
    expect(html).toContain('1 séance sera créée')
    expect(html).toContain('séance 2')
    await generate(id, later, digest)
    const sessions = await sessionsOf(id)
    expect(sessions).toHaveLength(2)
    const added = await prisma.registration.findUniqueOrThrow({ where: { eventId_email: { eventId: sessions[1]!.id, email } } })
    expect(added).toMatchObject({ status: 'CONFIRMED', source: 'SERIES' })

    const page = await (await staffGet(editor, `/admin/series/${id}`)).text()
    expect(page).toContain('Awa Diallo (Commune de Test)')
    expect(page).toContain(email)
    expect(page).toContain('1 / 30')
    expect(page).toContain('aria-label="Annuler l’inscription de Awa Diallo"')

    const seriesRegistration = await prisma.seriesRegistration.findUniqueOrThrow({ where: { seriesId_email: { seriesId: id, email } } })
    const cancelled = await staffPost(editor, `/admin/series/${id}`, { intent: 'cancel-registration', registrationId: String(seriesRegistration.id) })
    expect(cancelled.status).toBe(200)
    expect(await cancelled.text()).toContain('L’inscription au cycle a été annulée, ainsi que 2 séances à venir.')
    expect((await prisma.seriesRegistration.findUniqueOrThrow({ where: { id: seriesRegistration.id } })).status).toBe('CANCELLED')
    expect(await prisma.registration.count({ where: { seriesRegistrationId: seriesRegistration.id, status: 'CANCELLED' } })).toBe(2)
    const audits = await prisma.auditLog.findMany({ where: { action: 'series-registration.cancel', entityId: String(seriesRegistration.id) } })
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ actorId: editor.id, entityType: 'SeriesRegistration', data: { seriesId: id, cancelledSessions: 2 } })

    const other = await staffPost(editor, `/admin/series/${id}`, { intent: 'cancel-registration', registrationId: '2147483000' })
    expect(other.status).toBe(404)
    expect(await other.text()).toContain('Cette inscription au cycle est introuvable.')
  })

  it('shows the attendance rate over past sessions', async () => {
    const id = await createSeriesAsEditor(`presence-${tag}`)
    const past = thursdays({ firstDate: '2026-01-08', endMode: 'count', count: '1', exceptions: '', status: 'PUBLISHED' })
    await generate(id, past, (await preview(id, past)).digest)
    const [session] = await sessionsOf(id)
    const rows = ['PRESENT', 'ABSENT', 'PRESENT', 'UNKNOWN'] as const
    for (const [index, attendance] of rows.entries()) {
      await prisma.registration.create({
        data: { eventId: session!.id, email: uniqueAddress(`presence-${index}`), firstName: 'P', lastName: String(index), status: 'CONFIRMED', token: randomUUID(), attendance },
      })
    }
    const page = await (await staffGet(editor, `/admin/series/${id}`)).text()
    expect(page).toContain('Taux de présence sur les séances passées : 50 % (2 présents sur 4 inscrits confirmés).')
    expect(page).toContain('4 / 30')
  })
})
