// Staff follow-up of an event's registrations against the production server: the table (search, status filter with
// the waitlist in order, pages of 50, answers under their question), the CSV export (BOM, accents, formulas
// neutralised, filter honoured), row actions through the registration core with French messages, adding someone
// by hand, an announcement to the filtered part (confirmation count, ledger rows, one email each through a real
// worker), check-in by QR token and from the check-in page (idempotent, forged codes refused, live counts), and
// attendance editing with its rate.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForMessages, messagesTo, uniqueAddress } from '#tests/helpers/mailbox.ts'
import type { RunningProcess } from '#tests/helpers/processes.ts'
import { startWorker } from '#tests/helpers/signup.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import type { RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { eventAttendance, seriesAttendance } from '~/models/attendance.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { checkinUrl } from '~/utils/links.server.ts'

const hour = 60 * 60 * 1000
const day = 24 * hour
const tag = randomUUID().slice(0, 8)
let editor: TestStaff
let worker: RunningProcess | undefined
let eventCount = 0

const questions = [
  { id: 'regime', label: 'Régime alimentaire', type: 'short_text', required: false, options: [] },
  { id: 'pmr', label: 'Besoin d’un accès PMR ?', type: 'yes_no', required: true, options: [] },
  { id: 'ateliers', label: 'Ateliers choisis', type: 'multiple_choice', required: false, options: ['Atelier A', 'Atelier B', 'Atelier C'] },
]

async function seedEvent(input: { capacity?: number | null; startsAt?: Date; approvalRequired?: boolean; withQuestions?: boolean; seriesId?: number } = {}) {
  eventCount += 1
  const startsAt = input.startsAt ?? new Date(Date.now() + 7 * day)
  return prisma.event.create({
    data: {
      slug: `suivi-${tag}-${eventCount}`,
      kind: 'IN_PERSON',
      title: `Rencontre ${tag} n°${eventCount}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * hour),
      status: 'PUBLISHED',
      capacity: input.capacity ?? null,
      approvalRequired: input.approvalRequired ?? false,
      questions: input.withQuestions ? questions : [],
      seriesId: input.seriesId ?? null,
      icalUid: `${randomUUID()}@relais.test`,
    },
    select: { id: true, title: true, slug: true },
  })
}

type Seed = { firstName: string; lastName: string; status?: RegistrationStatus; email?: string; organization?: string; answers?: Prisma.InputJsonValue; waitlistedAt?: Date; source?: RegistrationSource; createdAt?: Date }

function registrationData(eventId: number, seed: Seed): Prisma.RegistrationCreateManyInput {
  return {
    eventId,
    email: seed.email ?? uniqueAddress('inscrit'),
    firstName: seed.firstName,
    lastName: seed.lastName,
    organization: seed.organization ?? null,
    status: seed.status ?? 'CONFIRMED',
    source: seed.source ?? 'PUBLIC',
    waitlistedAt: seed.waitlistedAt ?? (seed.status === 'WAITLISTED' ? new Date() : null),
    answers: seed.answers ?? {},
    token: randomUUID(),
    ...(seed.createdAt ? { createdAt: seed.createdAt } : {}),
  }
}

async function seedRegistration(eventId: number, seed: Seed) {
  return prisma.registration.create({ data: registrationData(eventId, seed), select: { id: true, email: true } })
}

function rowIds(html: string): number[] {
  return [...html.matchAll(/data-registration-id="(\d+)"/g)].map((match) => Number(match[1]))
}

/** The page's text as a reader sees it: tags dropped, the few entities React writes decoded. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1)
}

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'registrations' })
})

afterAll(async () => {
  await worker?.stop()
})

describe('registrations table', () => {
  it('sends visitors without a session to the sign-in page and back', async () => {
    const event = await seedEvent()
    const registration = await seedRegistration(event.id, { firstName: 'Anne', lastName: 'Onyme' })
    for (const path of [`/admin/events/${event.id}/registrations`, `/admin/events/${event.id}/registrations.csv`, `/admin/events/${event.id}/checkin`, `/admin/events/${event.id}/attendance`, new URL(checkinUrl(registration.id)).pathname]) {
      const response = await staffGet(null, path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
    }
  })

  it('searches by name, email or organisation, filters by status with the waitlist in order, pages by 50, answers under their question', async () => {
    const event = await seedEvent({ withQuestions: true })
    const base = Date.now() - day
    await prisma.registration.createMany({
      data: Array.from({ length: 118 }, (_, index) => registrationData(event.id, { firstName: `Prénom${index}`, lastName: `Nom${index}`, createdAt: new Date(base + index * 1000), answers: { pmr: false } })),
    })
    const zoe = await seedRegistration(event.id, {
      firstName: 'Zoé',
      lastName: 'Lefèvre',
      organization: 'Mairie de Brest',
      email: uniqueAddress('zoe.lefevre'),
      answers: { regime: 'Végétarien', pmr: true, ateliers: ['Atelier A', 'Atelier C'] },
    })
    // Inserted in another order than they joined the waitlist: the table follows waitlistedAt.
    const third = await seedRegistration(event.id, { firstName: 'Troisième', lastName: 'Attente', status: 'WAITLISTED', waitlistedAt: new Date(base + 3000) })
    const first = await seedRegistration(event.id, { firstName: 'Première', lastName: 'Attente', status: 'WAITLISTED', waitlistedAt: new Date(base + 1000) })
    const second = await seedRegistration(event.id, { firstName: 'Deuxième', lastName: 'Attente', status: 'WAITLISTED', waitlistedAt: new Date(base + 2000) })
    await seedRegistration(event.id, { firstName: 'Paul', lastName: 'Annulé', status: 'CANCELLED' })
    const path = `/admin/events/${event.id}/registrations`

    const page1 = await (await staffGet(editor, path)).text()
    expect(rowIds(page1)).toHaveLength(50)
    expect(text(page1)).toContain('123 inscriptions correspondent à la sélection.')
    expect(text(page1)).toContain('Page 1 sur 3')
    for (const question of questions) expect(page1).toContain(`>${question.label.replace(/’/g, '’')}</th>`)
    const page3 = await (await staffGet(editor, `${path}?page=3`)).text()
    expect(rowIds(page3)).toHaveLength(23)
    expect(text(page3)).toContain('Page 3 sur 3')

    for (const q of ['brest', 'LEFÈVRE', 'zoe.lefevre-', 'Zoé Lefèvre']) {
      const found = await (await staffGet(editor, `${path}?q=${encodeURIComponent(q)}`)).text()
      expect(rowIds(found), q).toEqual([zoe.id])
    }
    const zoeRow = text(await (await staffGet(editor, `${path}?q=Zo%C3%A9`)).text())
    expect(zoeRow).toContain('Végétarien')
    expect(zoeRow).toContain('Atelier A, Atelier C')
    expect(zoeRow).toMatch(/Mairie de Brest .*Confirmée .*Formulaire public/)
    expect(zoeRow).toMatch(/Végétarien Oui Atelier A, Atelier C/)

    const waitlist = await (await staffGet(editor, `${path}?status=WAITLISTED`)).text()
    expect(rowIds(waitlist)).toEqual([first.id, second.id, third.id])
    expect(text(waitlist)).toContain('n° 1 en liste d’attente')
    expect(text(waitlist)).toContain('n° 3 en liste d’attente')
    const english = text(await (await staffGet(editor, `${path}?status=WAITLISTED&lang=en`)).text())
    expect(english).toContain('3 registrations match the selection.')
    expect(english).toContain('No. 1 on the waitlist')
    const cancelled = await (await staffGet(editor, `${path}?status=CANCELLED`)).text()
    expect(rowIds(cancelled)).toHaveLength(1)
    expect(text(cancelled)).toContain('Annulé')
  })

  it('pages through 2,000 registrations and exports them all', async () => {
    const event = await seedEvent({ capacity: 2000 })
    await prisma.registration.createMany({ data: Array.from({ length: 2000 }, (_, index) => registrationData(event.id, { firstName: `Foule${index}`, lastName: 'Nombreuse', email: `foule-${tag}-${index}@test.example` })) })
    const path = `/admin/events/${event.id}/registrations`
    const last = await (await staffGet(editor, `${path}?page=40`)).text()
    expect(rowIds(last)).toHaveLength(50)
    expect(text(last)).toContain('Page 40 sur 40')
    expect(text(last)).toContain('2000 inscriptions correspondent à la sélection.')
    const beyond = await (await staffGet(editor, `${path}?page=99`)).text()
    expect(rowIds(beyond)).toEqual(rowIds(last))
    // A page number that is not a whole number from 1 shows the first page (not an error).
    const first = rowIds(await (await staffGet(editor, path)).text())
    for (const page of ['1.3', 'abc', '-1', '0', '1e400', '99999999999999999999']) {
      const response = await staffGet(editor, `${path}?page=${page}`)
      expect(response.status, page).toBe(200)
      expect(rowIds(await response.text()), page).toEqual(first)
    }
    expect(rowIds(await (await staffGet(editor, `${path}?page=999999`)).text())).toEqual(rowIds(last))
    for (const page of ['1.3', 'abc', '-1', '99999999999999999999']) {
      const attendance = await staffGet(editor, `/admin/events/${event.id}/attendance?page=${page}`)
      expect(attendance.status, page).toBe(200)
      expect(text(await attendance.text()), page).toContain('Page 1 sur 20')
    }
    const csv = (await (await staffGet(editor, `${path}.csv`)).text()).split('\r\n').filter(Boolean)
    expect(csv).toHaveLength(2001)
    expect(new Set(csv.slice(1).map((line) => line.split(',')[0])).size).toBe(2000)
  })

  it('exports the selection as CSV for Excel: BOM, accents, a formula neutralised, answers, the filter honoured, audited', async () => {
    const event = await seedEvent({ withQuestions: true })
    await seedRegistration(event.id, { firstName: '=HYPERLINK("http://evil.example","clic")', lastName: 'Piège', organization: '+33 Mairie', answers: { pmr: true, regime: '@sans gluten' } })
    await seedRegistration(event.id, { firstName: 'Hélène', lastName: 'Légère', organization: 'Cœur d’Hérault', answers: { pmr: false, ateliers: ['Atelier B'] } })
    await seedRegistration(event.id, { firstName: 'Ernest', lastName: 'Attente', status: 'WAITLISTED' })

    const response = await staffGet(editor, `/admin/events/${event.id}/registrations.csv?delimiter=semicolon`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/csv')
    expect(response.headers.get('content-disposition')).toContain(`inscriptions-${event.slug}.csv`)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = bytes.subarray(3).toString('utf8')
    const lines = csv.split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('Adresse électronique;Prénom;Nom;Organisation;Type d’acteur;Territoire;Statut;Origine;Date d’inscription;Rang en liste d’attente;Présence;Pointage;Régime alimentaire;Besoin d’un accès PMR ?;Ateliers choisis')
    expect(lines).toHaveLength(4)
    const trap = lines.find((line) => line.includes('Piège'))!
    expect(trap).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")"`)
    expect(trap).toContain(";'+33 Mairie;")
    expect(trap).toContain(";'@sans gluten;oui;")
    expect(csv).toContain(';Hélène;Légère;Cœur d’Hérault;')
    expect(csv).toMatch(/Hélène;Légère;.*;non;Atelier B/)

    const waitlisted = (await (await staffGet(editor, `/admin/events/${event.id}/registrations.csv?status=WAITLISTED`)).text()).split('\r\n').filter(Boolean)
    expect(waitlisted).toHaveLength(2)
    expect(waitlisted[1]).toContain('Ernest,Attente')
    expect(waitlisted[1]).toContain('Liste d’attente')
    expect(await prisma.auditLog.count({ where: { action: 'event.registrations.export', entityId: String(event.id), actorId: editor.id } })).toBe(2)
  })
})

describe('row actions and adding by hand (through the registration core)', () => {
  it('approves, moves, refuses a move when full with a French sentence, cancels with promotion; another event’s registration is refused', async () => {
    const event = await seedEvent({ capacity: 2, approvalRequired: true })
    const ana = await seedRegistration(event.id, { firstName: 'Ana', lastName: 'Confirmée' })
    const bob = await seedRegistration(event.id, { firstName: 'Bob', lastName: 'Confirmé' })
    const chloe = await seedRegistration(event.id, { firstName: 'Chloé', lastName: 'Attente', status: 'WAITLISTED', waitlistedAt: new Date(Date.now() - hour) })
    const dan = await seedRegistration(event.id, { firstName: 'Dan', lastName: 'Avalider', status: 'PENDING_APPROVAL' })
    const path = `/admin/events/${event.id}/registrations`
    const act = (registrationId: number, action: string) => staffPost(editor, path, { intent: 'row', action, registrationId: String(registrationId) })
    const status = async (id: number) => (await prisma.registration.findUniqueOrThrow({ where: { id } })).status

    const full = await act(chloe.id, 'confirm')
    expect(full.status).toBe(409)
    expect(text(await full.text())).toContain('L’événement est complet : aucune place n’est libre.')
    expect(await status(chloe.id)).toBe('WAITLISTED')

    const approved = await act(dan.id, 'approve')
    expect(approved.status).toBe(200)
    expect(text(await approved.text())).toContain('L’inscription de Dan Avalider est validée ; l’événement étant complet, elle passe en liste d’attente.')
    expect(await status(dan.id)).toBe('WAITLISTED')
    const refused = await act(dan.id, 'refuse')
    expect(text(await refused.text())).toContain('L’inscription de Dan Avalider est refusée ; la personne en est informée.')
    expect(await status(dan.id)).toBe('REFUSED')

    // Ana's seat goes to the first of the waitlist (Chloé), Ana to its end.
    const moved = await act(ana.id, 'waitlist')
    expect(moved.status).toBe(200)
    expect(text(await moved.text())).toContain('Ana Confirmée est placé·e en liste d’attente.')
    expect([await status(ana.id), await status(chloe.id)]).toEqual(['WAITLISTED', 'CONFIRMED'])
    expect(text(await (await staffGet(editor, `${path}?status=WAITLISTED`)).text())).toContain('n° 1 en liste d’attente')

    const stillFull = await act(ana.id, 'confirm')
    expect(stillFull.status).toBe(409)
    expect(text(await stillFull.text())).toContain('L’événement est complet')

    const cancelled = await act(bob.id, 'cancel')
    expect(cancelled.status).toBe(200)
    expect(text(await cancelled.text())).toContain('L’inscription de Bob Confirmé est annulée ; 1 personne de la liste d’attente a reçu la place libérée.')
    expect([await status(bob.id), await status(ana.id)]).toEqual(['CANCELLED', 'CONFIRMED'])
    expect(await prisma.auditLog.count({ where: { actorId: editor.id, entityType: 'Registration', entityId: { in: [ana.id, bob.id, chloe.id, dan.id].map(String) } } })).toBeGreaterThanOrEqual(4)

    const other = await seedEvent()
    const stranger = await seedRegistration(other.id, { firstName: 'Eve', lastName: 'Ailleurs' })
    const notHere = await act(stranger.id, 'cancel')
    expect(notHere.status).toBe(409)
    expect(text(await notHere.text())).toContain('Cette inscription n’existe pas ou ne concerne pas cet événement.')
    expect(await status(stranger.id)).toBe('CONFIRMED')

    const forged = await staffPost(editor, path, { intent: 'row', action: 'cancel', registrationId: String(ana.id) }, { csrf: null })
    expect(forged.status).toBe(403)
    expect(await status(ana.id)).not.toBe('CANCELLED')
  })

  it('adds someone by hand: French errors keep what was typed, then a STAFF registration with answers; twice says already registered', async () => {
    const event = await seedEvent({ withQuestions: true, capacity: 1 })
    await seedRegistration(event.id, { firstName: 'Déjà', lastName: 'Là' })
    const path = `/admin/events/${event.id}/registrations`
    const email = uniqueAddress('ajout')
    const fields = { intent: 'add', firstName: 'Inès', lastName: 'Ajoutée', email, organization: 'Réseau des Tiers-Lieux', actorType: 'ASSOCIATION', territory: '29', locale: 'fr', 'q-regime': 'Sans porc', 'q-ateliers': 'Atelier B' }

    const invalid = await staffPost(editor, path, { ...fields, firstName: '', 'q-pmr': '' })
    expect(invalid.status).toBe(400)
    const invalidHtml = await invalid.text()
    expect(text(invalidHtml)).toContain('Indiquez votre prénom.')
    expect(text(invalidHtml)).toContain('Cette question est obligatoire.')
    expect(invalidHtml).toContain(`value="${email}"`)
    expect(invalidHtml).toContain('value="Sans porc"')
    expect(invalidHtml).toMatch(/aria-describedby="add-firstName-error"/)
    expect(await prisma.registration.count({ where: { eventId: event.id, email } })).toBe(0)

    const added = await staffPost(editor, path, { ...fields, 'q-pmr': 'yes' })
    expect(added.status).toBe(200)
    expect(text(await added.text())).toContain('L’événement est complet : Inès Ajoutée est inscrit·e en liste d’attente.')
    const row = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })
    expect(row).toMatchObject({ source: 'STAFF', status: 'WAITLISTED', firstName: 'Inès', organization: 'Réseau des Tiers-Lieux', territory: '29' })
    expect(row.answers).toEqual({ regime: 'Sans porc', pmr: true, ateliers: ['Atelier B'] })
    const listed = text(await (await staffGet(editor, `${path}?q=${encodeURIComponent('Inès')}`)).text())
    expect(listed).toContain('Ajout par l’équipe')

    const again = await staffPost(editor, path, { ...fields, 'q-pmr': 'no' })
    expect(again.status).toBe(409)
    expect(text(await again.text())).toContain(`${email} est déjà inscrit·e à cet événement : rien n’a été modifié.`)
    expect(await prisma.registration.count({ where: { eventId: event.id, email } })).toBe(1)

    // A draft has no public page yet: nobody is added (the confirmation's links would lead nowhere).
    const draft = await seedEvent({ withQuestions: true })
    await prisma.event.update({ where: { id: draft.id }, data: { status: 'DRAFT' } })
    const refused = await staffPost(editor, `/admin/events/${draft.id}/registrations`, { ...fields, 'q-pmr': 'yes' })
    expect(refused.status).toBe(409)
    expect(text(await refused.text())).toContain('Cet événement est encore un brouillon : publiez-le avant d’y inscrire quelqu’un.')
    expect(await prisma.registration.count({ where: { eventId: draft.id } })).toBe(0)
  })
})

describe('announcements', () => {
  it('shows the recipient count before sending, writes one ledger row per filtered registrant, and each gets the email once', async () => {
    worker = await startWorker()
    const event = await seedEvent()
    const confirmed = await Promise.all(['Alice', 'Basile', 'Capucine'].map((firstName) => seedRegistration(event.id, { firstName, lastName: 'Message', email: uniqueAddress(`annonce-${firstName.toLowerCase()}`) })))
    const waitlisted = await seedRegistration(event.id, { firstName: 'Denis', lastName: 'Message', status: 'WAITLISTED', email: uniqueAddress('annonce-attente') })
    const cancelled = await seedRegistration(event.id, { firstName: 'Élise', lastName: 'Message', status: 'CANCELLED', email: uniqueAddress('annonce-annulee') })
    const path = `/admin/events/${event.id}/registrations?status=CONFIRMED`
    const subject = `Plan d’accès ${tag}`
    const body = 'Bonjour,\n\nLa salle a changé : rendez-vous salle 2.\n\nÀ bientôt'

    const empty = await staffPost(editor, path, { intent: 'announce-preview', scope: 'filter', subject: '', body })
    expect(empty.status).toBe(400)
    expect(text(await empty.text())).toContain('Indiquez l’objet du message.')

    const preview = await staffPost(editor, path, { intent: 'announce-preview', scope: 'filter', subject, body })
    expect(preview.status).toBe(200)
    const previewText = text(await preview.text())
    expect(previewText).toContain('Ce message partira vers 3 personnes.')
    expect(previewText).toContain('Envoyer à 3 personnes')
    expect(await prisma.eventAnnouncement.count({ where: { eventId: event.id } })).toBe(0)
    const requestKey = /name="requestKey" value="([0-9a-f-]{36})"/.exec(await (await staffPost(editor, path, { intent: 'announce-preview', scope: 'filter', subject, body })).text())?.[1]
    expect(requestKey).toBeDefined()

    // A send without the confirmation's key (an old page) only shows the confirmation step again.
    const keyless = await staffPost(editor, path, { intent: 'announce-send', scope: 'filter', subject, body, confirmed: '3' })
    expect(text(await keyless.text())).toContain('Envoyer à 3 personnes')
    expect(await prisma.eventAnnouncement.count({ where: { eventId: event.id } })).toBe(0)

    // The same confirmation posted twice at once (a double click without JavaScript), then once more: sent once.
    const confirmation = { intent: 'announce-send', scope: 'filter', subject, body, confirmed: '3', requestKey: requestKey! }
    const [sent, twin] = await Promise.all([staffPost(editor, path, confirmation), staffPost(editor, path, confirmation)])
    const again = await staffPost(editor, path, confirmation)
    expect(sent.status).toBe(302)
    expect([sent, twin].map((response) => response.headers.get('location')).sort()).toEqual([
      `/admin/events/${event.id}/registrations?status=CONFIRMED&announced=3#announce-title`,
      `/admin/events/${event.id}/registrations?status=CONFIRMED&announced=3&repeated=1#announce-title`,
    ])
    expect(again.headers.get('location')).toBe(`/admin/events/${event.id}/registrations?status=CONFIRMED&announced=3&repeated=1#announce-title`)
    expect(text(await (await staffGet(editor, again.headers.get('location')!.replace(/#.*$/, ''))).text())).toContain(
      'Cette confirmation avait déjà été reçue : le message n’est parti qu’une fois, vers 3 personnes.',
    )
    expect(await prisma.eventAnnouncement.count({ where: { eventId: event.id } })).toBe(1)
    const announcement = await prisma.eventAnnouncement.findFirstOrThrow({ where: { eventId: event.id } })
    expect(announcement).toMatchObject({ subject, recipientCount: 3, createdById: editor.id })
    const ledger = await prisma.eventMessage.findMany({ where: { announcementId: announcement.id }, select: { registrationId: true, kind: true } })
    expect(ledger.map((row) => row.registrationId).sort()).toEqual(confirmed.map((row) => row.id).sort())

    const after = text(await (await staffGet(editor, `/admin/events/${event.id}/registrations?status=CONFIRMED&announced=3`)).text())
    expect(after).toContain('Le message est enregistré et part vers 3 personnes.')
    expect(after).toMatch(new RegExp(`${subject} 3`))

    for (const registration of confirmed) {
      const mails = await waitForMessages(registration.email)
      expect(mails.filter((mail) => mail.parsed.subject?.includes(subject))).toHaveLength(1)
    }
    // The worker had time to send everything due: nobody outside the selection got it, nobody got it twice.
    for (const registration of confirmed) expect((await messagesTo(registration.email)).filter((mail) => mail.parsed.subject?.includes(subject))).toHaveLength(1)
    for (const outsider of [waitlisted, cancelled]) expect((await messagesTo(outsider.email)).filter((mail) => mail.parsed.subject?.includes(subject))).toHaveLength(0)
  })

  it('counts the recipients again when sending and says so when the list changed since the confirmation', async () => {
    const event = await seedEvent()
    await seedRegistration(event.id, { firstName: 'Fanny', lastName: 'Recompte' })
    const path = `/admin/events/${event.id}/registrations`
    const draft = { scope: 'all', subject: `Recompte ${tag}`, body: 'Bonjour.' }
    const previewHtml = await (await staffPost(editor, path, { ...draft, intent: 'announce-preview' })).text()
    expect(text(previewHtml)).toContain('Ce message partira vers 1 personne.')
    const requestKey = /name="requestKey" value="([0-9a-f-]{36})"/.exec(previewHtml)![1]!
    await seedRegistration(event.id, { firstName: 'Gaspard', lastName: 'Recompte' })
    const sent = await staffPost(editor, path, { ...draft, intent: 'announce-send', confirmed: '1', requestKey })
    expect(sent.headers.get('location')).toBe(`${path}?announced=2&confirmed=1#announce-title`)
    expect(text(await (await staffGet(editor, `${path}?announced=2&confirmed=1`)).text())).toContain(
      'Les inscriptions ont changé depuis la confirmation (nombre confirmé : 1) : le message est enregistré et part vers 2 personnes.',
    )
    const announcement = await prisma.eventAnnouncement.findFirstOrThrow({ where: { eventId: event.id }, select: { id: true, recipientCount: true } })
    expect(announcement.recipientCount).toBe(2)
    expect(await prisma.eventMessage.count({ where: { announcementId: announcement.id } })).toBe(2)
  })
})

describe('check-in', () => {
  it('the page a QR code opens shows the person, GET changes nothing, confirming twice says since when, a forged code is refused', async () => {
    const event = await seedEvent()
    const person = await seedRegistration(event.id, { firstName: 'Quentin', lastName: 'Scanné', organization: 'Agence de l’eau' })
    const waiting = await seedRegistration(event.id, { firstName: 'Wanda', lastName: 'Attente', status: 'WAITLISTED' })
    const path = new URL(checkinUrl(person.id)).pathname

    const page = await staffGet(editor, path)
    expect(page.status).toBe(200)
    const pageText = text(await page.text())
    expect(pageText).toContain('Quentin Scanné')
    expect(pageText).toContain(event.title)
    expect(pageText).toContain('Confirmer la présence')
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: person.id } })).checkedInAt).toBeNull()

    const first = await staffPost(editor, path, {})
    expect(first.status).toBe(200)
    expect(text(await first.text())).toContain('Quentin Scanné est marqué·e présent·e.')
    const checked = await prisma.registration.findUniqueOrThrow({ where: { id: person.id } })
    expect(checked.attendance).toBe('PRESENT')
    expect(checked.checkedInAt).not.toBeNull()

    const second = await staffPost(editor, path, {})
    expect(second.status).toBe(200)
    expect(text(await second.text())).toMatch(/Quentin Scanné est déjà pointé·e, depuis \d{2}:\d{2}\./)
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: person.id } })).checkedInAt).toEqual(checked.checkedInAt)
    expect(await prisma.auditLog.count({ where: { action: 'registration.checkin', entityId: String(person.id) } })).toBe(1)

    const token = tokenOf(path)
    const forgedToken = `${token.slice(0, -3)}${token.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`
    const forged = await staffGet(editor, `/admin/checkin/${forgedToken}`)
    expect(forged.status).toBe(404)
    expect(text(await forged.text())).toContain('Ce lien de pointage n’est pas valable')
    expect((await staffPost(editor, `/admin/checkin/${forgedToken}`, {})).status).toBe(404)

    const notConfirmed = await staffPost(editor, new URL(checkinUrl(waiting.id)).pathname, {})
    expect(notConfirmed.status).toBe(409)
    expect(text(await notConfirmed.text())).toContain('Cette inscription n’est pas confirmée (Liste d’attente)')
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: waiting.id } })).attendance).toBe('UNKNOWN')
  })

  it('the check-in page: search without JavaScript, scans idempotent, unknown and other-event codes in French, live counts, undo', async () => {
    const event = await seedEvent()
    const people = await Promise.all(
      [
        ['Mathilde', 'Porte'],
        ['Noé', 'Entrée'],
        ['Olga', 'Accueil'],
      ].map(([firstName, lastName]) => seedRegistration(event.id, { firstName: firstName!, lastName: lastName! })),
    )
    await seedRegistration(event.id, { firstName: 'Pascal', lastName: 'Annulé', status: 'CANCELLED' })
    const other = await seedEvent()
    const elsewhere = await seedRegistration(other.id, { firstName: 'Rita', lastName: 'Ailleurs' })
    const path = `/admin/events/${event.id}/checkin`
    const live = async () => (await (await staffGet(editor, `${path}.json`)).json()) as { present: number; confirmed: number; checkedIn: Record<string, string> }

    // The list as rendered (the page also carries every confirmed name for the search as one types).
    const searchedPage = await (await staffGet(editor, `${path}?q=noe`)).text()
    const searched = text(/<ul class="checkin-list">[\s\S]*?<\/ul>/.exec(searchedPage)?.[0] ?? '')
    expect(searched).toContain('Noé Entrée')
    expect(searched).not.toContain('Mathilde Porte')
    expect(text(searchedPage)).toContain('Présent·es / confirmé·es : 0 / 3')
    expect(searchedPage).toContain('value="noe"')

    const scan = (code: string) => staffPost(editor, path, { intent: 'scan', code })
    const first = await scan(checkinUrl(people[0]!.id))
    expect(first.status).toBe(200)
    expect(text(await first.text())).toContain('Mathilde Porte est marqué·e présent·e.')
    const again = await scan(checkinUrl(people[0]!.id))
    expect(text(await again.text())).toMatch(/Mathilde Porte était déjà pointé·e à \d{2}:\d{2}\./)
    expect(await live()).toMatchObject({ present: 1, confirmed: 3 })

    const unknown = await scan('https://exemple.org/billet/123')
    expect(unknown.status).toBe(422)
    expect(text(await unknown.text())).toContain('QR code inconnu : ce n’est pas un billet de Relais, ou il a été modifié.')
    const forged = await scan(`${checkinUrl(people[1]!.id).slice(0, -2)}xy`)
    expect(forged.status).toBe(422)
    const foreign = await scan(checkinUrl(elsewhere.id))
    expect(text(await foreign.text())).toContain(`Ce QR code concerne un autre événement : « ${other.title} ».`)
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: elsewhere.id } })).attendance).toBe('UNKNOWN')

    const tapped = await staffPost(editor, path, { intent: 'checkin', registrationId: String(people[2]!.id) })
    expect(text(await tapped.text())).toContain('Olga Accueil est marqué·e présent·e.')
    const counts = await live()
    expect(counts).toMatchObject({ present: 2, confirmed: 3 })
    expect(Object.keys(counts.checkedIn).map(Number).sort()).toEqual([people[0]!.id, people[2]!.id].sort())

    const crossSite = await staffPost(editor, path, { intent: 'undo', registrationId: String(people[2]!.id) }, { csrf: null })
    expect(crossSite.status).toBe(403)
    expect(await live()).toMatchObject({ present: 2 })
    const undone = await staffPost(editor, path, { intent: 'undo', registrationId: String(people[2]!.id) })
    expect(text(await undone.text())).toContain('Le pointage de Olga Accueil est annulé.')
    expect(await live()).toMatchObject({ present: 1, confirmed: 3 })
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: people[2]!.id } })).attendance).toBe('UNKNOWN')

    // Once the event is cancelled, neither a tap, a scan nor the QR code's own page marks anyone present.
    await prisma.event.update({ where: { id: event.id }, data: { status: 'CANCELLED' } })
    const tapCancelled = await staffPost(editor, path, { intent: 'checkin', registrationId: String(people[1]!.id) })
    expect(tapCancelled.status).toBe(422)
    expect(text(await tapCancelled.text())).toContain('Cet événement est annulé : Noé Entrée n’a pas été pointé·e, personne ne peut l’être.')
    expect((await scan(checkinUrl(people[1]!.id))).status).toBe(422)
    expect((await staffPost(editor, new URL(checkinUrl(people[1]!.id)).pathname, {})).status).toBe(409)
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: people[1]!.id }, select: { attendance: true, checkedInAt: true } })).toEqual({ attendance: 'UNKNOWN', checkedInAt: null })
  })

  it('finds by a submitted search someone past the 3,000 names the check-in page carries', async () => {
    const event = await seedEvent({ capacity: 4000 })
    await prisma.registration.createMany({ data: Array.from({ length: 3000 }, (_, index) => registrationData(event.id, { firstName: `Foule${index}`, lastName: 'Aaa', email: `pointage-${tag}-${index}@test.example` })) })
    await seedRegistration(event.id, { firstName: 'Zébulon', lastName: 'Zzz' })
    const path = `/admin/events/${event.id}/checkin`
    const whole = await (await staffGet(editor, path)).text()
    expect(whole).not.toContain('Zébulon')
    expect(text(whole)).toContain('Beaucoup de personnes inscrites')
    const searched = await (await staffGet(editor, `${path}?q=${encodeURIComponent('zébulon')}`)).text()
    expect(text(/<ul class="checkin-list">[\s\S]*?<\/ul>/.exec(searched)?.[0] ?? '')).toContain('Zébulon Zzz')
  })
})

describe('attendance', () => {
  it('edits present / absent without JavaScript, marks the others absent, and gives the rate once the event is over', async () => {
    const past = await seedEvent({ startsAt: new Date(Date.now() - 2 * day) })
    const rows = await Promise.all(['Un', 'Deux', 'Trois', 'Quatre'].map((lastName) => seedRegistration(past.id, { firstName: 'Personne', lastName })))
    await seedRegistration(past.id, { firstName: 'Personne', lastName: 'Annulée', status: 'CANCELLED' })
    const path = `/admin/events/${past.id}/attendance`

    const before = text(await (await staffGet(editor, path)).text())
    expect(before).toContain('Taux de présence')
    expect(before).toMatch(/0 (%|\u202f%|\u00a0%) \(0 sur 4\)/)

    const saved = await staffPost(editor, path, { intent: 'save', [`a-${rows[0]!.id}`]: 'PRESENT', [`a-${rows[1]!.id}`]: 'ABSENT', [`a-${rows[2]!.id}`]: 'UNKNOWN' })
    expect(saved.status).toBe(200)
    expect(text(await saved.text())).toContain('2 présences modifiées.')
    const absent = await staffPost(editor, path, { intent: 'remaining-absent' })
    expect(text(await absent.text())).toContain('2 personnes marquées absentes.')
    const attendance = new Map((await prisma.registration.findMany({ where: { eventId: past.id }, select: { id: true, attendance: true } })).map((row) => [row.id, row.attendance]))
    expect(rows.map((row) => attendance.get(row.id))).toEqual(['PRESENT', 'ABSENT', 'ABSENT', 'ABSENT'])
    expect([...attendance.values()].filter((value) => value === 'UNKNOWN')).toHaveLength(1)
    const after = text(await (await staffGet(editor, path)).text())
    expect(after).toMatch(/25 (%|\u202f%|\u00a0%) \(1 sur 4\)/)
    expect(await prisma.auditLog.count({ where: { entityType: 'Event', entityId: String(past.id), action: { startsWith: 'event.attendance' } } })).toBe(2)

    const future = await seedEvent()
    await seedRegistration(future.id, { firstName: 'Futur', lastName: 'Inscrit' })
    const stats = await eventAttendance([past.id, future.id])
    expect(stats.get(past.id)).toEqual({ confirmed: 4, present: 1, absent: 3, unknown: 0, rate: 0.25 })
    expect(stats.get(future.id)).toEqual({ confirmed: 1, present: 0, absent: 0, unknown: 1, rate: null })
    const futurePage = text(await (await staffGet(editor, `/admin/events/${future.id}/attendance`)).text())
    expect(futurePage).toContain('Non calculé')
    expect(futurePage).not.toContain('Marquer les autres absents')
    const early = await staffPost(editor, `/admin/events/${future.id}/attendance`, { intent: 'remaining-absent' })
    expect(early.status).toBe(409)
    expect(text(await early.text())).toContain('L’événement n’a pas encore commencé : personne ne peut encore être marqué absent.')
    expect((await prisma.registration.findFirstOrThrow({ where: { eventId: future.id } })).attendance).toBe('UNKNOWN')
  })

  it('gives a series its rate over past sessions only', async () => {
    const series = await prisma.series.create({ data: { slug: `cycle-suivi-${tag}`, title: `Cycle ${tag}`, status: 'PUBLISHED' }, select: { id: true } })
    const sessions = await Promise.all([-9, -2, 5].map((days) => seedEvent({ seriesId: series.id, startsAt: new Date(Date.now() + days * day) })))
    const attend = async (eventId: number, values: ('PRESENT' | 'ABSENT')[]) => {
      for (const [index, value] of values.entries()) {
        const row = await seedRegistration(eventId, { firstName: 'Membre', lastName: String(index) })
        await prisma.registration.update({ where: { id: row.id }, data: { attendance: value } })
      }
    }
    await attend(sessions[0]!.id, ['PRESENT', 'PRESENT', 'ABSENT'])
    await attend(sessions[1]!.id, ['PRESENT', 'ABSENT', 'ABSENT'])
    await attend(sessions[2]!.id, ['PRESENT'])
    expect(await seriesAttendance(series.id)).toEqual({ confirmed: 6, present: 3, absent: 3, unknown: 0, rate: 0.5 })
  })
})
