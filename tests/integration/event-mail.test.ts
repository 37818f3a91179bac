// Event emails as received: ledger rows written here with prisma, built by buildEventMessage, sent through the mail
// module to the run's SMTP listener and read back with mailparser (subject, text and HTML parts, the management
// link's token, the personal join link, the inline check-in QR code decoded with jsqr, the feedback link's token),
// plus the rows that must send nothing any more and the reason recorded for skipping them (buildEventMessageOutcome).
// The calendar invites these emails carry are read by two parsers in event-invite.test.ts.
import { randomUUID } from 'node:crypto'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkinQrCid } from '#emails/event-parts.ts'
import { closeQueues } from '#jobs/queues.ts'
import {
  built,
  cleanupEventFixtures,
  createEvent,
  createMessage,
  createRegistration,
  createSeries,
  endsAt,
  ensureOrganization,
  flat,
  sendAndReceive,
  startsAt,
  zone,
} from '#tests/helpers/event-ledger.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import type { EventMessageKind, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { personalJoinUrl } from '~/models/event-invite.server.ts'
import { buildEventMessage, eventMessageDetail, formatEventWhen } from '~/models/event-mail.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { cancelRegistration, registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { readRegistrationToken } from '~/utils/links.server.ts'
import { closeMailTransport } from '~/utils/mail.server.ts'
import { checkinQrPng } from '~/utils/qr.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'

const hostileName = '<img src=x onerror=alert(1)>'

beforeAll(ensureOrganization)

afterAll(async () => {
  await cleanupEventFixtures()
  await closeMailTransport()
  await closeQueues()
})

function manageToken(html: string): string {
  const match = /href="[^"]*\/registrations\/([^"/]+)"/.exec(html)
  if (!match) throw new Error('no management link in the HTML part')
  return match[1]!
}

function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png)
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null
}

describe('confirmation of an in-person event', () => {
  it('is in French, shows 12:15 in the event zone with the zone named, links to the management page and carries a QR code that decodes to the check-in link', async () => {
    expect(startsAt.toISOString()).toBe('2027-11-04T11:15:00.000Z')
    const event = await createEvent()
    const registration = await createRegistration(event.id)
    const message = await built(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id }))
    expect(message).toMatchObject({ idempotencyKey: expect.stringMatching(/^event-message:\d+$/), to: registration.email, kind: 'transactional', template: 'event-confirmation-in-person' })

    const mail = await sendAndReceive(message)
    const organization = await getOrganization()
    expect(mail.subject).toBe('Votre inscription est confirmée : Atelier « climat & territoires »')
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated')
    const text = flat(mail.text)
    expect(text).toContain('Bonjour Camille,')
    expect(text).toContain('jeudi 4 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale)')
    expect(text).toContain('Maison des associations 3 place du Marché, 69001 Lyon Accès : Salle 2, ascenseur à gauche')
    expect(text).toContain(organization.name)
    expect(text).toContain(flat(organization.postalAddress))
    expect(text).not.toContain('secret-room-4242')
    const html = mail.html || ''
    expect(html).toContain('<html lang="fr"')
    expect(html).not.toContain('secret-room-4242')
    expect(html).toContain('Atelier « climat &amp; territoires »')

    const token = manageToken(html)
    expect(readRegistrationToken(decodeURIComponent(token), 'registration')).toBe(registration.id)
    expect(text).toContain(`${getEnv().APP_URL}/registrations/${token}`)
    // The link opens the person's own management page on the running app.
    const page = await fetch(`${getEnv().APP_URL}/registrations/${token}`, { headers: { 'Accept-Language': 'fr' } })
    expect(page.status).toBe(200)
    const pageHtml = await page.text()
    expect(pageHtml).toContain('Atelier « climat &amp; territoires »')
    expect(pageHtml).toContain('Camille Durand')

    const qr = mail.attachments.find((attachment) => attachment.cid === checkinQrCid)
    expect(qr?.contentType).toBe('image/png')
    expect(qr?.contentDisposition).toBe('inline')
    expect(html).toMatch(new RegExp(`<img[^>]*alt="QR code[^"]*"[^>]*src="cid:${checkinQrCid}"`))
    expect(text).toContain('Vous pouvez aussi l’afficher depuis votre page d’inscription.')
    const scanned = decodeQr(qr!.content)
    expect(scanned).toMatch(new RegExp(`^${getEnv().APP_URL}/admin/checkin/[^/]+$`))
    expect(readRegistrationToken(scanned!.split('/').pop()!, 'checkin')).toBe(registration.id)
  })

  it('the QR code of a registration scans from the PNG pages show as well', async () => {
    const scanned = decodeQr(await checkinQrPng(4242))
    expect(readRegistrationToken(scanned!.split('/').pop()!, 'checkin')).toBe(4242)
  })

  it('is in English for an English registrant', async () => {
    const event = await createEvent({ kind: 'HYBRID' })
    const registration = await createRegistration(event.id, { locale: 'en', firstName: 'Sam' })
    const mail = await sendAndReceive(await built(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })))
    expect(mail.subject).toBe('Your registration is confirmed: Atelier « climat & territoires »')
    const text = flat(mail.text)
    expect(text).toContain('Hello Sam,')
    expect(text).toContain('Thursday, 4 November 2027, 12:15 – 13:00 (Central European Standard Time)')
    expect(text).toContain('To join the event online, use your personal link:')
    expect(text).toContain(personalJoinUrl(registration.token))
    expect(text).toContain('The link opens 30 minutes before the start and works until the end.')
    expect(mail.html).toContain('<html lang="en"')
    expect(mail.attachments.some((attachment) => attachment.cid === checkinQrCid)).toBe(true)
    expect(text).not.toContain('secret-room-4242')
  })

  it('of an online event has no QR code, never the join URL, and gives the personal join link with when it opens', async () => {
    const event = await createEvent({ kind: 'ONLINE', joinOpensMinutes: 15 })
    const registration = await createRegistration(event.id)
    const message = await built(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id }))
    expect(message.template).toBe('event-confirmation-online')
    const mail = await sendAndReceive(message)
    // Only the invite (invite.ics, from the calendar part): no QR code.
    expect(mail.attachments.map((attachment) => attachment.contentType).sort()).toEqual(['application/ics', 'text/calendar'])
    expect(mail.html).not.toContain('cid:')
    expect(mail.html).not.toContain('secret-room-4242')
    expect(mail.text).not.toContain('secret-room-4242')
    const joinLink = personalJoinUrl(registration.token)
    expect(mail.html).toMatch(new RegExp(`<a\\s+href="${joinLink}"[^>]*>\\s*Rejoindre l’événement`))
    expect(flat(mail.text)).toContain(`Pour rejoindre l’événement en ligne, utilisez votre lien personnel : Rejoindre l’événement [${joinLink}]`)
    expect(flat(mail.text)).toContain('Le lien s’ouvre 15 minutes avant le début et reste valable jusqu’à la fin.')
    expect(flat(mail.text)).not.toContain('vous sera envoyé')
    expect(flat(mail.text)).not.toContain('Maison des associations')
  })

  it('escapes a hostile first name in the HTML part', async () => {
    const event = await createEvent()
    const registration = await createRegistration(event.id, { firstName: hostileName })
    const mail = await sendAndReceive(await built(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })))
    expect(mail.html).toContain('Bonjour &lt;img src=x onerror=alert(1)&gt;,')
    expect(mail.html).not.toContain('<img src=x')
    expect(flat(mail.text)).toContain(`Bonjour ${hostileName},`)
  })
})

describe('every kind of notice', () => {
  const cases: { kind: EventMessageKind; status: RegistrationStatus; detail?: string; eventStatus?: 'CANCELLED'; subject: string; sentence: string }[] = [
    { kind: 'WAITLISTED', status: 'WAITLISTED', subject: 'Vous êtes sur liste d’attente : Atelier', sentence: 'Si une place se libère, elle vous sera attribuée automatiquement' },
    { kind: 'PROMOTED', status: 'CONFIRMED', subject: 'Une place s’est libérée : votre inscription est confirmée', sentence: 'Vous quittez la liste d’attente : votre inscription est maintenant confirmée.' },
    { kind: 'PENDING_APPROVAL', status: 'PENDING_APPROVAL', subject: 'Demande d’inscription reçue : Atelier', sentence: 'validées par l’équipe organisatrice' },
    { kind: 'REFUSED', status: 'REFUSED', subject: 'Votre demande d’inscription : Atelier', sentence: 'nous ne pouvons pas donner suite à votre demande d’inscription' },
    { kind: 'CANCELLATION', status: 'CANCELLED', subject: 'Votre inscription est annulée : Atelier', sentence: 'est annulée, comme vous l’avez demandé' },
    { kind: 'CANCELLATION', status: 'CANCELLED', detail: eventMessageDetail.byStaff, subject: 'Votre inscription est annulée : Atelier', sentence: 'L’équipe organisatrice a annulé votre inscription' },
    { kind: 'EVENT_CANCELLED', status: 'CONFIRMED', eventStatus: 'CANCELLED', subject: 'Événement annulé : Atelier', sentence: 'est annulé. Il n’aura pas lieu à la date prévue.' },
    { kind: 'ALREADY_REGISTERED', status: 'WAITLISTED', subject: 'Vous êtes déjà inscrit·e : Atelier', sentence: 'État de votre inscription : sur liste d’attente.' },
  ]
  for (const { kind, status, detail, eventStatus, subject, sentence } of cases) {
    it(`${kind}${detail ? ` (${detail})` : ''} for a ${status} registration`, async () => {
      const event = await createEvent({ status: eventStatus })
      const registration = await createRegistration(event.id, { status })
      const message = await built(await createMessage(kind, { eventId: event.id, registrationId: registration.id, detail }))
      expect(message.subject).toContain(subject)
      expect(flat(message.text)).toContain(sentence)
      expect(flat(message.text)).toContain('jeudi 4 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale)')
      // Only a confirmed seat at a venue carries the check-in QR code, and only a confirmed seat the invite (nobody
      // here was sent one before, so the cancellations carry no CANCEL).
      expect(message.attachments?.map((attachment) => attachment.cid) ?? []).toEqual(kind === 'PROMOTED' ? [checkinQrCid] : [])
      expect(message.icalEvent?.method).toBe(kind === 'PROMOTED' ? 'REQUEST' : undefined)
      if (kind === 'WAITLISTED' || kind === 'ALREADY_REGISTERED') {
        expect(readRegistrationToken(decodeURIComponent(manageToken(message.html)), 'registration')).toBe(registration.id)
      }
    })
  }

  it('says a new session was added to the series the person is registered to', async () => {
    const series = await createSeries()
    const event = await createEvent({ seriesId: series.id, kind: 'ONLINE' })
    const registration = await createRegistration(event.id)
    const message = await built(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id, detail: eventMessageDetail.seriesSessionAdded }))
    expect(message.subject).toBe('Nouvelle séance du cycle Les Jeudis de l’ODD 17 : Atelier « climat & territoires »')
    expect(flat(message.text)).toContain('Une nouvelle séance a été ajoutée au cycle « Les Jeudis de l’ODD 17 »')
    expect(flat(message.text)).toContain('vous y êtes inscrit·e')
  })

  it('a waitlist notice for a session added to the series says where it comes from', async () => {
    const series = await createSeries()
    const event = await createEvent({ seriesId: series.id })
    const registration = await createRegistration(event.id, { status: 'WAITLISTED', locale: 'en' })
    const message = await built(await createMessage('WAITLISTED', { eventId: event.id, registrationId: registration.id, detail: eventMessageDetail.seriesSessionAdded }))
    expect(message.subject).toBe('New session in the Les Jeudis de l’ODD 17 series: you are on the waitlist')
    expect(flat(message.text)).toContain('It is already full: you are on its waitlist.')
  })

  it('a staff announcement keeps its paragraphs, escapes its markup and names the event below', async () => {
    const event = await createEvent()
    const registration = await createRegistration(event.id)
    const announcement = await prisma.eventAnnouncement.create({
      data: { eventId: event.id, subject: 'Changement de salle <b>important</b>', body: 'Bonjour à toutes et à tous,\n\n<script>alert(1)</script> la salle change.\nMerci !\n\nL’équipe' },
    })
    const mail = await sendAndReceive(await built(await createMessage('ANNOUNCEMENT', { eventId: event.id, registrationId: registration.id, announcementId: announcement.id })))
    expect(mail.subject).toBe('Changement de salle <b>important</b>')
    const html = mail.html || ''
    expect(html).not.toContain('<script>')
    expect(html).toContain('Bonjour à toutes et à tous,<br /><br />&lt;script&gt;alert(1)&lt;/script&gt; la salle change.<br />Merci !<br /><br />L’équipe')
    expect(mail.text).toMatch(/Bonjour à toutes et à tous,\n\n<script>alert\(1\)<\/script> la salle change\.\nMerci !\n\nL’équipe/)
    expect(flat(mail.text)).toContain('Atelier « climat & territoires »')
    expect(flat(mail.text)).toContain('jeudi 4 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale)')
    expect(readRegistrationToken(decodeURIComponent(manageToken(html)), 'registration')).toBe(registration.id)
  })
})

describe('event dates', () => {
  it('name the zone of the event, summer or winter time, and give both ends of an event over several days', () => {
    const october = { startsAt: new Date('2027-10-28T10:15:00Z'), endsAt: new Date('2027-10-28T11:00:00Z'), timeZone: zone }
    expect(formatEventWhen(october, 'fr')).toBe('jeudi 28 octobre 2027, 12:15 – 13:00 (heure d’été d’Europe centrale)')
    // North America changes a week later (7 November 2027): still daylight time there.
    const montreal = { startsAt, endsAt, timeZone: 'America/Montreal' }
    expect(formatEventWhen(montreal, 'en')).toBe('Thursday, 4 November 2027, 07:15 – 08:00 (Eastern Daylight Time)')
    const twoDays = { startsAt, endsAt: wallClockToInstant({ date: '2027-11-05', time: '17:00' }, zone)!, timeZone: zone }
    expect(formatEventWhen(twoDays, 'fr')).toBe(
      'jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale) – vendredi 5 novembre 2027 à 17:00 (heure normale d’Europe centrale)',
    )
  })
})

describe('series registrations', () => {
  async function seriesWithMember(locale = 'fr') {
    const series = await createSeries()
    const member = await prisma.seriesRegistration.create({
      data: { seriesId: series.id, email: uniqueAddress('series-mail'), firstName: 'Alix', locale, token: randomUUID() },
    })
    return { series, member }
  }

  /** The management pages the message links to (as addresses in the text), by registration id. */
  function sessionPages(text: string): (number | null)[] {
    return [...text.matchAll(/\/registrations\/(?!series\/)([\w.-]+)/g)].map((match) => readRegistrationToken(match[1]!, 'registration'))
  }

  it('the confirmation lists the upcoming sessions where the person holds a place, each with its status and its own page, and says later sessions are included', async () => {
    const { series, member } = await seriesWithMember()
    const week = (n: number, time = '12:15') => wallClockToInstant({ date: `2027-11-${String(4 + 7 * n).padStart(2, '0')}`, time }, zone)!
    const session = (n: number, title: string) => createEvent({ seriesId: series.id, title, startsAt: week(n), endsAt: week(n, '13:00') })
    const first = await session(0, 'Séance 1')
    const second = await session(1, 'Séance 2')
    const third = await session(2, 'Séance 3')
    const full = await session(3, 'Séance 4 complète')
    const cancelled = await session(4, 'Séance 5 annulée par la personne')
    const refused = await session(5, 'Séance 6 refusée')
    const past = await createEvent({ seriesId: series.id, title: 'Séance passée', startsAt: new Date(Date.now() - 7 * 86_400_000), endsAt: new Date(Date.now() - 7 * 86_400_000 + 3_600_000) })
    const email = member.email
    const confirmed = await createRegistration(first.id, { email, seriesRegistrationId: member.id })
    const waitlisted = await createRegistration(second.id, { email, seriesRegistrationId: member.id, status: 'WAITLISTED' })
    // Registered on their own before joining the series (not linked to it), awaiting approval.
    const pending = await createRegistration(third.id, { email, status: 'PENDING_APPROVAL' })
    await createRegistration(cancelled.id, { email, seriesRegistrationId: member.id, status: 'CANCELLED' })
    await createRegistration(refused.id, { email, status: 'REFUSED' })
    await createRegistration(past.id, { email, seriesRegistrationId: member.id })
    // Someone else's registration to the full session: the member has none there.
    await createRegistration(full.id)

    const message = await built(await createMessage('SERIES_CONFIRMATION', { seriesId: series.id, seriesRegistrationId: member.id }))
    expect(message.to).toBe(member.email)
    const mail = await sendAndReceive(message)
    expect(mail.subject).toBe('Votre inscription au cycle Les Jeudis de l’ODD 17 est enregistrée')
    const text = flat(mail.text)
    expect(text).toContain('• jeudi 4 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale) — Séance 1 : inscription confirmée Votre page pour cette séance : http')
    expect(text).toContain('• jeudi 11 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale) — Séance 2 : sur liste d’attente Votre page pour cette séance : http')
    expect(text).toContain('• jeudi 18 novembre 2027, 12:15 – 13:00 (heure normale d’Europe centrale) — Séance 3 : demande en attente de validation par l’équipe organisatrice')
    for (const absent of ['Séance 4', 'Séance 5', 'Séance 6', 'Séance passée']) expect(text).not.toContain(absent)
    expect(text).toContain('Les séances ajoutées plus tard au cycle sont incluses')
    // Each listed session links to the person's own page for it (where an on-site session shows its QR code), in
    // both parts, in the order of the sessions.
    expect(sessionPages(text)).toEqual([confirmed.id, waitlisted.id, pending.id])
    expect(sessionPages(mail.html || '')).toEqual([confirmed.id, waitlisted.id, pending.id])
    const link = /href="[^"]*\/registrations\/series\/([^"/]+)"/.exec(mail.html || '')
    expect(readRegistrationToken(decodeURIComponent(link![1]!), 'series-registration')).toBe(member.id)
  })

  it('the confirmation says so when no upcoming session holds a place for the person', async () => {
    const { series, member } = await seriesWithMember('en')
    const session = await createEvent({ seriesId: series.id, title: 'Session 1' })
    await createRegistration(session.id)
    const message = await built(await createMessage('SERIES_CONFIRMATION', { seriesId: series.id, seriesRegistrationId: member.id }))
    const text = flat(message.text)
    expect(text).toContain('No place is held for you in the upcoming sessions for now (they are full or closed to registrations).')
    expect(text).not.toContain('Session 1')
    expect(sessionPages(text)).toEqual([])
  })

  it('leaving the series and a cancelled series each have their message', async () => {
    const { series, member } = await seriesWithMember('en')
    await prisma.seriesRegistration.update({ where: { id: member.id }, data: { status: 'CANCELLED', cancelledAt: new Date() } })
    const left = await built(await createMessage('SERIES_CANCELLED', { seriesId: series.id, seriesRegistrationId: member.id }))
    expect(left.subject).toBe('Your registration for the Les Jeudis de l’ODD 17 series is cancelled')
    expect(flat(left.text)).toContain('your registrations for the upcoming sessions are cancelled too')

    const other = await seriesWithMember()
    await prisma.series.update({ where: { id: other.series.id }, data: { status: 'CANCELLED' } })
    const cancelled = await built(await createMessage('SERIES_CANCELLED', { seriesId: other.series.id, seriesRegistrationId: other.member.id }))
    expect(cancelled.subject).toBe('Cycle annulé : Les Jeudis de l’ODD 17')
    expect(flat(cancelled.text)).toContain('ses séances à venir n’auront pas lieu')
  })
})

describe('rows with nothing left to send', () => {
  it('return null when the notice no longer matches the registration or event', async () => {
    const event = await createEvent()
    const cancelled = await createRegistration(event.id, { status: 'CANCELLED' })
    const confirmed = await createRegistration(event.id)
    const expectations: [EventMessageKind, number][] = [
      ['PROMOTED', cancelled.id],
      ['CONFIRMATION', cancelled.id],
      ['WAITLISTED', confirmed.id],
      ['CANCELLATION', confirmed.id],
      ['EVENT_CANCELLED', confirmed.id],
      ['ALREADY_REGISTERED', cancelled.id],
      ['REMINDER', cancelled.id],
      ['UPDATE', cancelled.id],
      ['FOLLOW_UP_ATTENDED', cancelled.id],
    ]
    for (const [kind, registrationId] of expectations) {
      expect(await buildEventMessage(await createMessage(kind, { eventId: event.id, registrationId })), kind).toBeNull()
    }
    expect(await buildEventMessage(2_000_000_000)).toBeNull()
  })

  it('return null once the registration is gone', async () => {
    const event = await createEvent()
    const registration = await createRegistration(event.id)
    const messageId = await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })
    expect(await buildEventMessage(messageId)).not.toBeNull()
    await prisma.registration.delete({ where: { id: registration.id } })
    expect(await buildEventMessage(messageId)).toBeNull()
  })
})

describe('rows written by the registration core', () => {
  const attendee = (email: string) => ({ email, firstName: 'Camille', lastName: 'Essai', locale: 'fr' as const })

  /** The notices of a registration by kind (its timed rows, reminders and follow-ups, are the schedule's tests'). */
  async function templatesOf(registrationId: number): Promise<Record<string, string | null>> {
    const timed: EventMessageKind[] = ['REMINDER', 'FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT']
    const rows = await prisma.eventMessage.findMany({ where: { registrationId, kind: { notIn: timed } }, orderBy: { id: 'asc' } })
    const result: Record<string, string | null> = {}
    for (const row of rows) result[row.kind] = (await buildEventMessage(row.id))?.template ?? null
    return result
  }

  it('a confirmation, a waitlist notice overtaken by a promotion, a staff cancellation and a second registration', async () => {
    const event = await createEvent()
    await prisma.event.update({ where: { id: event.id }, data: { capacity: 1, waitlistEnabled: true } })
    const first = await registerForEvent({ eventId: event.id, attendee: attendee(uniqueAddress('core-first')), answers: {}, source: 'PUBLIC' })
    const second = await registerForEvent({ eventId: event.id, attendee: attendee(uniqueAddress('core-second')), answers: {}, source: 'PUBLIC' })
    expect(first.status).toBe('confirmed')
    expect(second.status).toBe('waitlisted')
    if (!('registrationId' in first) || !('registrationId' in second)) throw new Error('registrations expected')
    expect(await templatesOf(second.registrationId)).toEqual({ WAITLISTED: 'event-waitlisted' })

    const firstEmail = (await prisma.registration.findUniqueOrThrow({ where: { id: first.registrationId } })).email
    expect((await registerForEvent({ eventId: event.id, attendee: attendee(firstEmail), answers: {}, source: 'PUBLIC' })).status).toBe('already')
    expect(await templatesOf(first.registrationId)).toEqual({ CONFIRMATION: 'event-confirmation-in-person', ALREADY_REGISTERED: 'event-already-registered' })

    await cancelRegistration({ registrationId: first.registrationId, by: 'staff' })
    expect(await templatesOf(first.registrationId)).toEqual({ CONFIRMATION: null, ALREADY_REGISTERED: null, CANCELLATION: 'event-cancellation-by-staff' })
    // The waitlist notice has been overtaken: only the promotion (with the QR code) is still worth sending.
    expect(await templatesOf(second.registrationId)).toEqual({ WAITLISTED: null, PROMOTED: 'event-promoted-in-person' })
  })
})
