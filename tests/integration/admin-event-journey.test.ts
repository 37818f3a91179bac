// Staff settings of the attendee journey on the event pages, against the production server and the real database:
// the form posts reminder boxes, another delay, the join-link window and the follow-up settings, and the stored row
// and the page read back prove they were kept; bad values come back as French sentences tied to their fields with
// everything typed still in the form and nothing stored; editing the start of an event with confirmed attendees
// says how many get the update (and the ledger holds exactly that many UPDATE rows), a title-only edit without the
// box tells nobody (no UPDATE row), with the box tells them (and the notice does not claim the time, place or link
// changed); the "Messages aux inscrit·es" section shows ledger
// rows written here (reminders by status, follow-up sent, feedback) in staff words, and an in-person event over
// without attendance says the follow-up waits for it, with the link to the attendance page.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, type TestStaff } from '#tests/helpers/staff.ts'
import type { EventMessageKind, EventMessageStatus } from '~/generated/prisma/enums.ts'
import { registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'

let editor: TestStaff
const tag = randomUUID().slice(0, 8)

/** An online event on Thursday 4 November 2027, 12:15–13:30 Paris time, registrations open now. */
function eventFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: 'save',
    kind: 'ONLINE',
    title: `Parcours ${tag}`,
    summary: 'Un webinaire.',
    description: 'Ordre du jour.',
    startDate: '2027-11-04',
    startTime: '12:15',
    endDate: '',
    endTime: '13:30',
    timeZone: 'Europe/Paris',
    joinUrl: 'https://visio.example.org/salle',
    capacity: '',
    waitlistEnabled: 'on',
    status: 'PUBLISHED',
    journeyFields: 'on',
    reminderOther: '',
    reminderOtherUnit: 'hours',
    joinOpensMinutes: '30',
    followUpDelayHours: '2',
    followUpAttendedMessage: '',
    followUpAbsentMessage: '',
    ...overrides,
  }
}

/** The form as a browser posts it: each ticked reminder box is one more `reminders` entry. */
function postEvent(path: string, fields: Record<string, string>, reminders: string[] = ['1440', '60']): Promise<Response> {
  const body = new URLSearchParams({ ...fields, csrf: editor.csrfToken })
  for (const minutes of reminders) body.append('reminders', minutes)
  const appUrl = inject('testContext').appUrl
  return fetch(`${appUrl}${path}`, { method: 'POST', redirect: 'manual', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: editor.cookie, Origin: appUrl } })
}

async function createEvent(fields: Record<string, string>, reminders?: string[]): Promise<number> {
  const response = await postEvent('/admin/events/new', eventFields(fields), reminders)
  expect(response.status, await response.clone().text()).toBe(302)
  const id = Number(/^\/admin\/events\/(\d+)\?notice=created$/.exec(response.headers.get('location') ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  return id
}

const pageOf = async (id: number, query = '') => (await staffGet(editor, `/admin/events/${id}${query}`)).text()

/** The text of the page's "Messages aux inscrit·es" section, tags removed. */
function messagesSection(html: string): string {
  const start = html.indexOf('id="event-messages-title"')
  expect(start, 'messages section').toBeGreaterThan(0)
  return html
    .slice(start, html.indexOf('</section>', start))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ')
}

/** A reminder table row as read: its heading cell then its counts and next send. */
function reminderRow(html: string, heading: string): string[] {
  const row = new RegExp(`<tr><th scope="row">${heading}</th>(.*?)</tr>`).exec(html)?.[1]
  expect(row, heading).toBeDefined()
  return [...(row ?? '').matchAll(/<td>(.*?)<\/td>/g)].map((match) => match[1]!)
}

async function registerConfirmed(eventId: number, count: number): Promise<number[]> {
  const ids: number[] = []
  for (let n = 0; n < count; n += 1) {
    const outcome = await registerForEvent({ eventId, attendee: { email: uniqueAddress(`journey${n}`), firstName: 'Léa', lastName: `Parcours ${n}`, locale: 'fr' }, answers: {}, source: 'STAFF', staffUserId: editor.id })
    expect(outcome.status).toBe('confirmed')
    if ('registrationId' in outcome) ids.push(outcome.registrationId)
  }
  return ids
}

const updateRows = (eventId: number) => prisma.eventMessage.count({ where: { eventId, kind: 'UPDATE' } })

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'journey-editor' })
})

describe('journey settings in the event form', () => {
  it('offers one day and one hour ticked on a new event', async () => {
    const html = await (await staffGet(editor, '/admin/events/new')).text()
    for (const minutes of [1440, 60]) expect(html).toMatch(new RegExp(`id="event-reminders-${minutes}"[^>]*checked`))
    for (const minutes of [10080, 2880, 180, 15]) expect(html).not.toMatch(new RegExp(`id="event-reminders-${minutes}"[^>]*checked`))
    expect(html).toContain('1 semaine avant')
    expect(html).toContain('Aucune case cochée : aucun rappel n’est envoyé.')
    expect(html).toMatch(/id="event-joinOpensMinutes"[^>]*value="30"/)
    expect(html).toMatch(/id="event-followUpDelayHours"[^>]*value="2"/)
    expect(html).not.toContain('Prévenir les inscrit·es de cette modification')
  })

  it('saves the reminder boxes, another delay, the join window and the follow-up, and shows them back', async () => {
    const attendedText = `Merci d’être venu·es ${tag} !`
    const id = await createEvent(
      { title: `Réglages ${tag}`, reminderOther: '30', reminderOtherUnit: 'minutes', joinOpensMinutes: '45', followUpDelayHours: '1,5', followUpAttendedMessage: `  ${attendedText}\r\nÀ bientôt.  ` },
      ['10080', '180'],
    )
    const event = await prisma.event.findUniqueOrThrow({ where: { id } })
    expect(event).toMatchObject({ reminderOffsets: [10080, 180, 30], joinOpensMinutes: 45, followUpDelayMinutes: 90, followUpAttendedMessage: `${attendedText}\nÀ bientôt.`, followUpAbsentMessage: '' })

    const html = await pageOf(id)
    for (const minutes of [10080, 180, 30]) expect(html).toMatch(new RegExp(`id="event-reminders-${minutes}"[^>]*checked`))
    expect(html).toContain('30 minutes avant')
    expect(html).not.toMatch(/id="event-reminders-1440"[^>]*checked/)
    expect(html).toMatch(/id="event-joinOpensMinutes"[^>]*value="45"/)
    expect(html).toMatch(/id="event-followUpDelayHours"[^>]*value="1.5"/)
    expect(html).toContain(attendedText)
    expect(html).toContain('Prévenir les inscrit·es de cette modification')
    const section = messagesSection(html)
    expect(section).toContain('Rappels 1 semaine, 3 heures, 30 minutes avant le début')
    expect(section).toContain('Lien personnel ouvert 45 minutes avant le début, jusqu’à la fin')
    expect(section).toContain('Suivi 1 heure 30 minutes après la fin')
    expect(section).toContain('présent·es : message personnalisé ; absent·es : texte standard')
    expect(html).toContain(`href="/admin/events/${id}/invite"`)

    // No box ticked: no reminder at all; the page says so.
    const none = await postEvent(`/admin/events/${id}`, eventFields({ title: `Réglages ${tag}` }), [])
    expect(none.status, await none.clone().text()).toBe(302)
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).reminderOffsets).toEqual([])
    expect(messagesSection(await pageOf(id))).toContain('Rappels aucun rappel')
  })

  it('refuses an offset of 0, a join window of 500 and an overlong follow-up in French, keeping everything typed', async () => {
    const title = `Refus parcours ${tag}`
    const longText = `Début ${tag} ${'x'.repeat(5000)}`
    const response = await postEvent('/admin/events/new', eventFields({ title, reminderOther: '0', joinOpensMinutes: '500', followUpDelayHours: '3', followUpAbsentMessage: longText }), ['2880', '15'])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Un rappel part entre 5 minutes et 60 jours avant le début : indiquez un nombre entier dans cet intervalle.')
    expect(html).toContain('Indiquez un nombre entier de minutes entre 0 et 240 (0 : le lien ouvre au début de l’événement).')
    expect(html).toContain(`Ce message compte ${longText.length} caractères, pour 5 000 au plus : raccourcissez-le.`)
    expect(html).toMatch(/aria-describedby="event-reminderOther-hint event-reminderOther-error"/)
    expect(html).toMatch(/aria-describedby="event-joinOpensMinutes-hint event-joinOpensMinutes-error"/)
    expect(html).toMatch(/aria-describedby="event-followUpAbsentMessage-hint event-followUpAbsentMessage-error"/)
    // What was typed is still there: title, the ticked boxes, the bad values, the long text, the other fields.
    expect(html).toContain(`value="${title}"`)
    expect(html).toMatch(/id="event-reminders-2880"[^>]*checked/)
    expect(html).toMatch(/id="event-reminders-15"[^>]*checked/)
    expect(html).not.toMatch(/id="event-reminders-1440"[^>]*checked/)
    expect(html).toMatch(/id="event-reminderOther"[^>]*value="0"/)
    expect(html).toMatch(/id="event-joinOpensMinutes"[^>]*value="500"/)
    expect(html).toMatch(/id="event-followUpDelayHours"[^>]*value="3"/)
    expect(html).toContain(longText)
    expect(await prisma.event.count({ where: { title } })).toBe(0)

    // The same on edit: nothing of the event changes.
    const id = await createEvent({ title: `Édition refusée ${tag}` })
    const edit = await postEvent(`/admin/events/${id}`, eventFields({ title: `Édition refusée ${tag}`, followUpDelayHours: '400' }))
    expect(edit.status).toBe(400)
    expect(await edit.text()).toContain('Indiquez un délai en heures entre 0 et 336 (14 jours), par exemple 2 ou 1,5.')
    expect((await prisma.event.findUniqueOrThrow({ where: { id } })).followUpDelayMinutes).toBe(120)
  })
})

describe('telling attendees about an edit', () => {
  it('says how many confirmed attendees get the update when the start moves, and tells nobody for a title-only edit', async () => {
    const title = `Déplacé ${tag}`
    const id = await createEvent({ title })
    await registerConfirmed(id, 3)
    expect(await updateRows(id)).toBe(0)

    const moved = await postEvent(`/admin/events/${id}`, eventFields({ title, startTime: '14:00', endTime: '15:00' }))
    expect(moved.status, await moved.clone().text()).toBe(302)
    const location = moved.headers.get('location') ?? ''
    expect(location).toBe(`/admin/events/${id}?notice=savedSequence&updates=3`)
    expect(await pageOf(id, location.slice(location.indexOf('?')))).toContain('3 inscrit·es confirmé·es reçoivent la mise à jour (courriel et agenda).')
    expect(await updateRows(id)).toBe(3)

    const renamed = await postEvent(`/admin/events/${id}`, eventFields({ title: `${title} (renommé)`, startTime: '14:00', endTime: '15:00' }))
    const quiet = renamed.headers.get('location') ?? ''
    expect(quiet).toBe(`/admin/events/${id}?notice=saved&updates=0`)
    expect(await pageOf(id, quiet.slice(quiet.indexOf('?')))).toContain('Les modifications ont été enregistrées. Personne n’est prévenu : aucun courriel n’est envoyé aux inscrit·es.')
    expect(await updateRows(id)).toBe(3)

    const told = await postEvent(`/admin/events/${id}`, eventFields({ title: `${title} (précisé)`, startTime: '14:00', endTime: '15:00', notify: 'on' }))
    const toldLocation = told.headers.get('location') ?? ''
    expect(toldLocation).toBe(`/admin/events/${id}?notice=savedNotified&updates=3`)
    // Only the title changed: the notice must not say the time, place or link did.
    const toldPage = await pageOf(id, toldLocation.slice(toldLocation.indexOf('?')))
    expect(toldPage).toContain('Les modifications ont été enregistrées ; les agendas des inscrit·es reçoivent la nouvelle version')
    expect(toldPage).not.toContain('l’horaire, le lieu ou le lien a changé')
    expect(await updateRows(id)).toBe(6)
    expect(messagesSection(await pageOf(id))).toMatch(/Mises à jour d’agenda envoyées : \d+ ; en attente : \d+ ; en échec : 0/)
  })
})

describe('the messages section of the event page', () => {
  it('counts reminders by delay and status, shows the follow-up sent and the feedback', async () => {
    const id = await createEvent({ title: `Bilan ${tag}` }, ['1440', '60'])
    const [first, second, third] = await registerConfirmed(id, 3)
    // The registrations wrote their reminders (one per offset, scheduled); the rows below stand for what the worker
    // and the schedule did since, so that each status has a known count.
    await prisma.eventMessage.deleteMany({ where: { eventId: id, kind: 'REMINDER' } })
    const row = (registrationId: number, kind: EventMessageKind, status: EventMessageStatus, offsetMinutes: number | null, dueAt: Date, sentAt: Date | null = null) => ({
      eventId: id,
      registrationId,
      kind,
      status,
      offsetMinutes,
      dueAt,
      sentAt,
      idempotencyKey: `test:${randomUUID()}`,
    })
    const dayBefore = new Date('2027-11-03T11:15:00Z')
    const hourBefore = new Date('2027-11-04T10:15:00Z')
    const sentAt = new Date('2027-11-04T15:00:00Z')
    await prisma.eventMessage.createMany({
      data: [
        row(first!, 'REMINDER', 'SENT', 1440, dayBefore, dayBefore),
        row(second!, 'REMINDER', 'SENT', 1440, dayBefore, dayBefore),
        row(third!, 'REMINDER', 'SKIPPED', 1440, dayBefore),
        row(first!, 'REMINDER', 'SCHEDULED', 60, hourBefore),
        row(second!, 'REMINDER', 'SCHEDULED', 60, hourBefore),
        row(third!, 'REMINDER', 'CANCELLED', 60, hourBefore),
        row(third!, 'REMINDER', 'CANCELLED', 180, new Date('2027-11-04T08:15:00Z')),
        row(first!, 'FOLLOW_UP_ATTENDED', 'SENT', null, sentAt, sentAt),
        row(second!, 'FOLLOW_UP_ATTENDED', 'SENT', null, sentAt, sentAt),
        row(third!, 'FOLLOW_UP_ABSENT', 'SENT', null, sentAt, sentAt),
      ],
    })
    await prisma.event.update({ where: { id }, data: { followUpsRecordedAt: sentAt } })
    await prisma.feedback.createMany({ data: [{ registrationId: first!, rating: 5 }, { registrationId: second!, rating: 4, comment: 'Très clair.' }] })

    const html = await pageOf(id)
    expect(reminderRow(html, '1 jour avant')).toEqual(['0', '2', '1', '0', '0', 'aucun'])
    expect(reminderRow(html, '1 heure avant')).toEqual(['2', '0', '0', '1', '0', 'jeudi 4 novembre 2027 à 11:15 (heure normale d’Europe centrale)'])
    expect(reminderRow(html, '3 heures avant \\(délai retiré\\)')).toEqual(['0', '0', '0', '1', '0', 'aucun'])
    const section = messagesSection(html)
    expect(section).toContain('Délai avant le début Programmés Envoyés Non envoyés Annulés En échec Prochain envoi')
    expect(section).toContain('Suivi après l’événement envoyé le jeudi 4 novembre 2027 à 16:00 (heure normale d’Europe centrale) à 2 présent·es et 1 absent·e.')
    expect(section).toContain('2 avis, note moyenne 4,5 / 5')
    expect(html).toContain('Le suivi est parti le jeudi 4 novembre 2027 à 16:00 (heure normale d’Europe centrale) : modifier ces textes ne change plus rien pour cet événement.')
    expect(html).toMatch(new RegExp(`<a [^>]*href="/admin/events/${id}/attendance"[^>]*>Voir les avis et les présences</a>`))
    expect(section).not.toMatch(/SCHEDULED|SENT|SKIPPED|FOLLOW_UP|REMINDER/)
  })

  it('says the follow-up of an in-person event over without attendance waits for it, with the attendance link', async () => {
    const now = Date.now()
    const ended = new Date(now - 3 * 60 * 60 * 1000)
    const event = await prisma.event.create({
      data: {
        slug: `sur-place-${tag}-${randomUUID().slice(0, 6)}`,
        kind: 'IN_PERSON',
        title: `Sur place ${tag}`,
        startsAt: new Date(ended.getTime() - 60 * 60 * 1000),
        endsAt: ended,
        venueAddress: '12 rue de la République, 69001 Lyon',
        status: 'PUBLISHED',
        icalUid: `${randomUUID()}@relais.test`,
      },
    })
    await prisma.registration.create({ data: { eventId: event.id, email: uniqueAddress('sur-place'), firstName: 'Léa', lastName: 'Petit', status: 'CONFIRMED', source: 'STAFF', token: randomUUID() } })
    const html = await pageOf(event.id)
    expect(messagesSection(html)).toContain('Suivi après l’événement en attente des présences : enregistrez-les pour envoyer le suivi. Enregistrer les présences')
    expect(html).toMatch(new RegExp(`<a [^>]*href="/admin/events/${event.id}/attendance"[^>]*>Enregistrer les présences</a>`))

    // Once someone is marked present, the page says when it leaves and to whom.
    await prisma.registration.updateMany({ where: { eventId: event.id }, data: { attendance: 'PRESENT' } })
    expect(messagesSection(await pageOf(event.id))).toMatch(/Suivi après l’événement part sous peu à 1 présent·e et 0 absent·e\./)
  })
})
