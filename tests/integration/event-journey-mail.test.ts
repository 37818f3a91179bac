// The attendee journey's timed emails as received: reminder (each format, both languages, timing phrased from the
// row's offset), update (the "what changed" line from the row's detail), follow-up (attended: replay, resources,
// feedback link; absent: no feedback; staff's own words). Ledger rows are written here with prisma as the schedule
// code writes them, built by buildEventMessageOutcome at a chosen `now`, sent to the run's SMTP listener and read
// back with mailparser (text and HTML parts, signed tokens decoded); rows that must not go are checked for the
// reason the worker records (messageOutcomeDetail). Reminder rows are due at start − offset, as the schedule writes
// them; building one later than that stands for a worker back from an outage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkinQrCid } from '#emails/event-parts.ts'
import { closeQueues } from '#jobs/queues.ts'
import {
  built,
  cleanupEventFixtures,
  createEvent,
  createMessage,
  createRegistration,
  ensureOrganization,
  flat,
  secretJoinUrl,
  sendAndReceive,
  startsAt,
  zone,
  type EventFixtureInput,
} from '#tests/helpers/event-ledger.ts'
import type { EventKind, EventMessageKind } from '~/generated/prisma/enums.ts'
import { personalJoinUrl } from '~/models/event-invite.server.ts'
import { buildEventMessageOutcome } from '~/models/event-mail.server.ts'
import { messageOutcomeDetail, writeUpdateDetail, type UpdateDetail } from '~/models/event-message-detail.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'
import { closeMailTransport } from '~/utils/mail.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'

beforeAll(ensureOrganization)

afterAll(async () => {
  await cleanupEventFixtures()
  await closeMailTransport()
  await closeQueues()
})

const hour = 3_600_000
/** A moment the day before the event (12:15 on 3 November 2027). */
const dayBefore = new Date(startsAt.getTime() - 24 * hour)

function signedToken(html: string, path: string): string | null {
  const match = new RegExp(`href="[^"]*/${path}/([^"/]+)"`).exec(html)
  return match ? decodeURIComponent(match[1]!) : null
}

describe('reminders', () => {
  const cases: { kind: EventKind; locale: 'fr' | 'en'; offset: number; subject: string; sentence: string }[] = [
    { kind: 'ONLINE', locale: 'fr', offset: 1440, subject: 'C’est demain : Atelier « climat & territoires »', sentence: 'Petit rappel : « Atelier « climat & territoires » » commence demain.' },
    { kind: 'ONLINE', locale: 'en', offset: 60, subject: 'In one hour: Atelier « climat & territoires »', sentence: 'A quick reminder: “Atelier « climat & territoires »” starts in one hour.' },
    { kind: 'IN_PERSON', locale: 'fr', offset: 60, subject: 'Dans une heure : Atelier « climat & territoires »', sentence: '» commence dans une heure.' },
    { kind: 'IN_PERSON', locale: 'en', offset: 1440, subject: 'It’s tomorrow: Atelier « climat & territoires »', sentence: 'starts tomorrow.' },
    { kind: 'HYBRID', locale: 'fr', offset: 2 * 1440 + 90, subject: 'Dans 2 jours, 1 heure et 30 minutes : Atelier', sentence: 'commence dans 2 jours, 1 heure et 30 minutes.' },
    { kind: 'HYBRID', locale: 'en', offset: 30, subject: 'In 30 minutes: Atelier', sentence: 'starts in 30 minutes.' },
  ]
  for (const { kind, locale, offset, subject, sentence } of cases) {
    it(`${kind} in ${locale}, ${offset} minutes before: when, practical details for the format, management link, invite`, async () => {
      const event = await createEvent({ kind, joinOpensMinutes: 45 })
      const registration = await createRegistration(event.id, { locale })
      // Built when it is due, as the worker does.
      const message = await built(await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: offset }), new Date(startsAt.getTime() - offset * 60_000))
      expect(message.template).toBe(`event-reminder-${kind === 'ONLINE' ? 'online' : kind === 'IN_PERSON' ? 'in-person' : 'hybrid'}`)
      expect(message.icalEvent?.method).toBe('REQUEST')
      const mail = await sendAndReceive(message)
      expect(mail.subject).toContain(subject)
      const text = flat(mail.text)
      const html = mail.html || ''
      expect(text).toContain(sentence)
      expect(text).toContain(locale === 'fr' ? 'jeudi 4 novembre 2027, 12:15 – 13:00' : 'Thursday, 4 November 2027, 12:15 – 13:00')
      expect(readRegistrationToken(signedToken(html, 'registrations')!, 'registration')).toBe(registration.id)
      expect(html).not.toContain(secretJoinUrl)
      const joinLink = personalJoinUrl(registration.token)
      const online = kind !== 'IN_PERSON'
      const onSite = kind !== 'ONLINE'
      expect(html.includes(`href="${joinLink}"`)).toBe(online)
      expect(text.includes(locale === 'fr' ? 'Le lien s’ouvre 45 minutes avant le début' : 'The link opens 45 minutes before the start')).toBe(online)
      expect(text.includes('3 place du Marché, 69001 Lyon')).toBe(onSite)
      expect(html.includes(`src="cid:${checkinQrCid}"`)).toBe(onSite)
      expect(mail.attachments.some((attachment) => attachment.cid === checkinQrCid)).toBe(onSite)
    })
  }
})

describe('updates say what changed', () => {
  const before = (changes: UpdateDetail['changes'], input: Partial<UpdateDetail['before']> = {}) =>
    writeUpdateDetail({
      changes,
      before: { title: 'Atelier', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 45 * 60_000).toISOString(), timeZone: zone, venueName: null, venueAddress: null, ...input },
    })
  const nextWeek = { startsAt: wallClockToInstant({ date: '2027-11-11', time: '12:15' }, zone)!, endsAt: wallClockToInstant({ date: '2027-11-11', time: '13:00' }, zone)! }

  async function updateText(detail: string | undefined, input: { locale?: 'fr' | 'en'; event?: EventFixtureInput } = {}) {
    const event = await createEvent(input.event)
    const registration = await createRegistration(event.id, { locale: input.locale })
    const message = await built(await createMessage('UPDATE', { eventId: event.id, registrationId: registration.id, detail }), dayBefore)
    expect(message.icalEvent?.method).toBe('REQUEST')
    return { message, text: flat(message.text), registration }
  }

  it('a new time, with the old one', async () => {
    const { message, text } = await updateText(before(['time']), { event: { ...nextWeek } })
    expect(message.subject).toBe('Changement pour « Atelier « climat & territoires » »')
    expect(message.template).toBe('event-update-in-person')
    expect(text).toContain(
      'Nouvel horaire : jeudi 11 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale) (au lieu de jeudi 4 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale))',
    )
    expect(text).not.toContain('Nouveau lieu')
  })

  it('in English, a new time and a new venue', async () => {
    const { text } = await updateText(before(['time', 'place'], { venueName: 'Salle des fêtes', venueAddress: '1 rue Haute, Lyon' }), { locale: 'en', event: { ...nextWeek } })
    expect(text).toContain('New time: Thursday, 11 November 2027, 12:15 – 13:00 (Central European Standard Time) (instead of Thursday, 4 November 2027')
    expect(text).toContain('New venue: Maison des associations, 3 place du Marché, 69001 Lyon (instead of Salle des fêtes, 1 rue Haute, Lyon)')
  })

  it('a new meeting link: the personal link stays the same (and is given again)', async () => {
    const { message, text, registration } = await updateText(before(['link']), { event: { kind: 'ONLINE' } })
    expect(text).toContain('Le lien de connexion a changé : votre lien personnel reste le même.')
    expect(message.html).toContain(`href="${personalJoinUrl(registration.token)}"`)
    expect(message.html).not.toContain('visio.example.org')
  })

  it('an online event now in person: the new place, and no word of a connection link it no longer has', async () => {
    const { message, text } = await updateText(before(['place', 'link'], { kind: 'ONLINE' }), { event: { kind: 'IN_PERSON' } })
    expect(message.template).toBe('event-update-in-person')
    expect(text).toContain('Nouveau lieu : Maison des associations, 3 place du Marché, 69001 Lyon (au lieu de En ligne)')
    expect(text).not.toContain('lien de connexion')
  })

  it('details only, or a detail that cannot be read: the details were updated', async () => {
    expect((await updateText(before(['details']))).text).toContain('Les détails de l’événement ont été mis à jour.')
    const unreadable = await updateText('not json')
    expect(unreadable.text).toContain('Les détails de l’événement ont été mis à jour.')
    expect(unreadable.text).not.toContain('Nouvel horaire')
  })
})

describe('follow-up after the event', () => {
  const past = { startsAt: new Date(Date.now() - 5 * hour), endsAt: new Date(Date.now() - 3 * hour) }
  const resources = [
    { label: 'Diaporama', url: 'https://docs.example.org/diaporama.pdf' },
    { label: 'Compte rendu', url: 'https://docs.example.org/compte-rendu' },
  ]

  async function followUp(kind: EventMessageKind, event: EventFixtureInput, registration: { attendance?: 'PRESENT' | 'ABSENT'; locale?: string } = {}) {
    const created = await createEvent({ kind: 'ONLINE', ...past, ...event })
    const person = await createRegistration(created.id, registration)
    const message = await built(await createMessage(kind, { eventId: created.id, registrationId: person.id }))
    expect(message.icalEvent).toBeUndefined()
    const mail = await sendAndReceive(message)
    return { mail, text: flat(mail.text), html: mail.html || '', person, template: message.template }
  }

  it('those who came: thanks, the replay, the resources and a one-minute feedback form of their own', async () => {
    const { mail, text, html, person, template } = await followUp('FOLLOW_UP_ATTENDED', { replayUrl: 'https://replay.example.org/atelier', resources })
    expect(template).toBe('event-follow-up-attended-replay')
    expect(mail.subject).toBe('Merci pour votre participation : Atelier « climat & territoires »')
    expect(text).toContain('Merci d’avoir participé à « Atelier « climat & territoires » » !')
    expect(html).toMatch(/<a\s+href="https:\/\/replay\.example\.org\/atelier"[^>]*>\s*Revoir l’événement/)
    expect(text).toContain('Les ressources de l’événement : • Diaporama : https://docs.example.org/diaporama.pdf • Compte rendu : https://docs.example.org/compte-rendu')
    expect(html).toMatch(/<a\s+href="[^"]*\/avis\/[^"]+"[^>]*>\s*Donnez votre avis en une minute/)
    expect(readRegistrationToken(signedToken(html, 'avis')!, 'feedback')).toBe(person.id)
    expect(text).toContain(`${getEnv().APP_URL}/events`)
    expect(html).not.toContain(secretJoinUrl)
  })

  it('those who did not come: sorry we missed you, the replay and the resources, no feedback form', async () => {
    const { mail, text, html, template } = await followUp('FOLLOW_UP_ABSENT', { replayUrl: 'https://replay.example.org/atelier', resources })
    expect(template).toBe('event-follow-up-absent-replay')
    expect(mail.subject).toBe('Vous nous avez manqué : Atelier « climat & territoires »')
    expect(text).toContain('vous nous avez manqué !')
    expect(html).toContain('href="https://replay.example.org/atelier"')
    expect(text).toContain('• Diaporama : https://docs.example.org/diaporama.pdf')
    expect(html).not.toContain('/avis/')
    expect(text).not.toContain('Donnez votre avis')
  })

  it('without a replay or resources there is no replay button, in English too', async () => {
    const { mail, text, html, template } = await followUp('FOLLOW_UP_ABSENT', {}, { locale: 'en' })
    expect(template).toBe('event-follow-up-absent')
    expect(mail.subject).toBe('Sorry we missed you: Atelier « climat & territoires »')
    expect(text).not.toContain('Watch the replay')
    expect(text).not.toContain('resources')
    expect(html).not.toContain('/avis/')
  })

  it('staff’s own words replace the standard opening, escaped, paragraphs kept', async () => {
    const words = 'Merci à toutes et à tous !\r\n\r\n<b>Rendez-vous</b> en mars pour la suite.'
    const { html, text } = await followUp('FOLLOW_UP_ATTENDED', { followUpAttendedMessage: words, followUpAbsentMessage: 'Pas pour vous' })
    expect(html).toContain('Merci à toutes et à tous !<br /><br />&lt;b&gt;Rendez-vous&lt;/b&gt; en mars pour la suite.')
    expect(html).not.toContain('<b>Rendez-vous')
    expect(text).not.toContain('Merci d’avoir participé')
    expect(text).not.toContain('Pas pour vous')
    expect(text).toContain('Donnez votre avis en une minute')
  })

  it('someone marked present after the split gets the thanks and the feedback form, not "we missed you"', async () => {
    const { mail, html } = await followUp('FOLLOW_UP_ABSENT', {}, { attendance: 'PRESENT' })
    expect(mail.subject).toContain('Merci pour votre participation')
    expect(html).toContain('/avis/')
  })
})

describe('reminders sent late, after the worker was down', () => {
  const twentyBefore = new Date(startsAt.getTime() - 20 * 60_000)

  it('only the reminder closest to the start goes, saying how long is really left', async () => {
    const event = await createEvent({ kind: 'ONLINE' })
    const registration = await createRegistration(event.id)
    const dayAhead = await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 1440 })
    const hourAhead = await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 60 })
    expect(await buildEventMessageOutcome(dayAhead, twentyBefore)).toEqual({ skip: messageOutcomeDetail.superseded })
    const mail = await sendAndReceive(await built(hourAhead, twentyBefore))
    expect(mail.subject).toBe('Dans 20 minutes : Atelier « climat & territoires »')
    expect(flat(mail.text)).toContain('» commence dans 20 minutes.')
    expect(flat(mail.text)).not.toContain('dans une heure')
  })

  it('a closer reminder that will not go (cancelled) or is not yet due does not hold a late one back', async () => {
    const event = await createEvent({ kind: 'IN_PERSON' })
    const registration = await createRegistration(event.id)
    const dayAhead = await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 1440 })
    await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 60, status: 'CANCELLED' })
    await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 15 })
    const message = await built(dayAhead, twentyBefore)
    expect(message.subject).toBe('Dans 20 minutes : Atelier « climat & territoires »')
  })

  it('a reminder a few minutes late still speaks of its offset', async () => {
    const event = await createEvent({ kind: 'ONLINE' })
    const registration = await createRegistration(event.id, { locale: 'en' })
    const hourAhead = await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 60 })
    const message = await built(hourAhead, new Date(startsAt.getTime() - 57 * 60_000))
    expect(message.subject).toBe('In one hour: Atelier « climat & territoires »')
  })
})

describe('rows that no longer go, with the reason staff see', () => {
  async function outcome(kind: EventMessageKind, now: Date, input: { event?: EventFixtureInput; status?: 'CONFIRMED' | 'CANCELLED' | 'WAITLISTED' } = {}) {
    const event = await createEvent(input.event)
    const registration = await createRegistration(event.id, { status: input.status })
    return buildEventMessageOutcome(await createMessage(kind, { eventId: event.id, registrationId: registration.id, offsetMinutes: kind === 'REMINDER' ? 60 : undefined }), now)
  }
  const duringEvent = new Date(startsAt.getTime() + 10 * 60_000)
  const afterEvent = new Date(startsAt.getTime() + 2 * hour)

  it('a reminder: event begun, registration not confirmed, event cancelled or unpublished', async () => {
    expect(await outcome('REMINDER', duringEvent)).toEqual({ skip: messageOutcomeDetail.eventStarted })
    expect(await outcome('REMINDER', startsAt)).toEqual({ skip: messageOutcomeDetail.eventStarted })
    expect(await outcome('REMINDER', dayBefore, { status: 'CANCELLED' })).toEqual({ skip: messageOutcomeDetail.notConfirmed })
    expect(await outcome('REMINDER', dayBefore, { status: 'WAITLISTED' })).toEqual({ skip: messageOutcomeDetail.notConfirmed })
    expect(await outcome('REMINDER', dayBefore, { event: { status: 'CANCELLED' } })).toEqual({ skip: messageOutcomeDetail.eventNotLive })
    expect(await outcome('REMINDER', dayBefore, { event: { status: 'DRAFT' } })).toEqual({ skip: messageOutcomeDetail.eventNotLive })
    // The same row an hour before the start goes out.
    expect((await outcome('REMINDER', new Date(startsAt.getTime() - hour))).email?.template).toBe('event-reminder-in-person')
  })

  it('an update: not confirmed, event cancelled, event over; during the event it still goes', async () => {
    expect(await outcome('UPDATE', dayBefore, { status: 'CANCELLED' })).toEqual({ skip: messageOutcomeDetail.notConfirmed })
    expect(await outcome('UPDATE', dayBefore, { event: { status: 'CANCELLED' } })).toEqual({ skip: messageOutcomeDetail.eventNotLive })
    expect(await outcome('UPDATE', afterEvent)).toEqual({ skip: messageOutcomeDetail.eventStarted })
    expect((await outcome('UPDATE', duringEvent)).email?.template).toBe('event-update-in-person')
  })

  it('a follow-up: not confirmed, event cancelled', async () => {
    expect(await outcome('FOLLOW_UP_ATTENDED', afterEvent, { status: 'CANCELLED' })).toEqual({ skip: messageOutcomeDetail.notConfirmed })
    expect(await outcome('FOLLOW_UP_ABSENT', afterEvent, { event: { status: 'CANCELLED' } })).toEqual({ skip: messageOutcomeDetail.eventNotLive })
  })

  it('a row whose registration is gone is skipped without a reason', async () => {
    const event = await createEvent()
    const registration = await createRegistration(event.id)
    const messageId = await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 60 })
    await prisma.registration.delete({ where: { id: registration.id } })
    expect(await buildEventMessageOutcome(messageId, dayBefore)).toEqual({ skip: null })
  })
})
