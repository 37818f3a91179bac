// Calendar invites as received. Ledger rows are written here with prisma (as the registration and schedule code
// write them), built by buildEventMessage, sent through the mail module to the run's SMTP listener and read back:
// the text/calendar alternative part AND the .ics attachment of each email are parsed by two independent parsers,
// ical.js and node-ical (tests/helpers/ical.ts throws when they disagree), and the facts a calendar relies on are
// asserted on what they read: METHOD, UID, SEQUENCE, STATUS, DTSTART/DTEND with the VTIMEZONE, ORGANIZER, the one
// ATTENDEE, DESCRIPTION links, LOCATION. Rows the worker would have sent are marked SENT by hand. Leaving a whole
// series goes through the real cancelSeriesRegistration, and its one CANCEL file is read the same way.
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import {
  built,
  cleanupEventFixtures,
  createEvent,
  createMessage,
  createRegistration,
  createSeries,
  ensureOrganization,
  flat,
  markSent,
  secretJoinUrl,
  sendAndReceive,
  zone,
} from '#tests/helpers/event-ledger.ts'
import { calendarParts, invitationPart, parseInvite, type ParsedInvite, type ParsedInviteEvent } from '#tests/helpers/ical.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { eventMessageDetail } from '~/models/event-mail.server.ts'
import { writeUpdateDetail } from '~/models/event-message-detail.ts'
import addressparser from 'nodemailer/lib/addressparser/index.js'
import { personalJoinUrl, registrationInviteUid } from '~/models/event-invite.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { cancelSeriesRegistration } from '~/models/registration-series.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { closeMailTransport } from '~/utils/mail.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'

/** 12:15 in Paris on the Thursday before the last Sunday of October 2027 (summer time) and the Thursday after. */
const summer = { startsAt: wallClockToInstant({ date: '2027-10-28', time: '12:15' }, zone)!, endsAt: wallClockToInstant({ date: '2027-10-28', time: '13:00' }, zone)! }
const winter = { startsAt: wallClockToInstant({ date: '2027-11-04', time: '12:15' }, zone)!, endsAt: wallClockToInstant({ date: '2027-11-04', time: '13:00' }, zone)! }

beforeAll(ensureOrganization)

afterAll(async () => {
  await cleanupEventFixtures()
  await closeMailTransport()
  await closeQueues()
})

interface ReceivedInvite {
  mail: ParsedMail
  /** The alternative part as read (both parsers agreeing). */
  invite: ParsedInvite
  event: ParsedInviteEvent
  /** Raw text of the alternative part. */
  text: string
}

/**
 * The one invite of a received email: the alternative part (text/calendar; method=…) and the .ics attachment
 * (nodemailer attaches the same text as invite.ics, application/ics) must both be there, carry the same calendar,
 * and each be read alike by ical.js and node-ical.
 */
function receivedInvite(mail: ParsedMail, method: 'REQUEST' | 'CANCEL'): ReceivedInvite {
  const alternative = invitationPart(mail)
  const attachments = calendarParts(mail).filter((part) => part.role === 'attachment')
  expect(attachments).toHaveLength(1)
  const file = attachments[0]!
  expect(file.filename).toMatch(/\.ics$/)
  expect(alternative.contentType).toBe('text/calendar')
  expect(alternative.methodParam).toBe(method)
  const invite = parseInvite(alternative.text)
  expect(parseInvite(file.text)).toEqual(invite)
  expect(invite.method).toBe(method)
  expect(invite.events).toHaveLength(1)
  return { mail, invite, event: invite.events[0]!, text: alternative.text }
}

async function sendRow(messageId: number): Promise<ParsedMail> {
  const mail = await sendAndReceive(await built(messageId))
  await markSent(messageId)
  return mail
}

describe('the invite of one registration', () => {
  it('keeps its UID across confirmation, update and cancellation, with a strictly growing SEQUENCE, the right METHOD and times in summer time', async () => {
    const organization = await getOrganization()
    const event = await createEvent({ kind: 'ONLINE', ...summer })
    expect(summer.startsAt.toISOString()).toBe('2027-10-28T10:15:00.000Z')
    const registration = await createRegistration(event.id, { firstName: 'Camille' })
    // Others on the same event: never named in this person's invite.
    const other = await createRegistration(event.id, { firstName: 'Alix' })
    await createRegistration(event.id, { firstName: 'Sacha' })

    const confirmation = await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id }))
    const first = receivedInvite(confirmation, 'REQUEST')
    expect(first.event.uid).toBe(registrationInviteUid(event, registration.id))
    expect(first.event.sequence).toBe(0)
    expect(first.event.status).toBe('CONFIRMED')
    expect(first.event.start.toISOString()).toBe('2027-10-28T10:15:00.000Z')
    expect(first.event.end.toISOString()).toBe('2027-10-28T11:00:00.000Z')
    expect(first.event.startZone).toBe(zone)
    expect(first.text).toMatch(/BEGIN:VTIMEZONE\r?\nTZID:Europe\/Paris/)
    expect(first.text).toContain('DTSTART;TZID=Europe/Paris:20271028T121500')
    expect(first.event.attendees).toEqual([registration.email])
    expect(first.event.organizer).toBe(organization.replyTo.toLowerCase())
    expect(first.event.summary).toBe(event.title)
    expect(first.event.location).toBe('En ligne')
    expect(first.event.url).toBe(`${getEnv().APP_URL}/events/${event.slug}`)
    // The personal link and the management link, never the real meeting address.
    const joinLink = personalJoinUrl(registration.token)
    expect(first.event.description).toContain(joinLink)
    expect(first.event.description).toMatch(new RegExp(`${getEnv().APP_URL}/registrations/[\\w.-]+`))
    expect(first.text).not.toContain('secret-room-4242')
    // The email shows the same personal link.
    expect(confirmation.html).toContain(`href="${joinLink}"`)
    expect(confirmation.html).not.toContain(secretJoinUrl)
    expect(flat(confirmation.text)).toContain('Le lien s’ouvre 30 minutes avant le début')

    // Staff change the meeting link: the event's SEQUENCE goes up once, the update carries the same UID.
    await prisma.event.update({ where: { id: event.id }, data: { joinUrl: 'https://visio.example.org/new-room', icalSequence: { increment: 1 } } })
    const detail = writeUpdateDetail({
      changes: ['link'],
      before: { title: event.title, startsAt: event.startsAt.toISOString(), endsAt: event.endsAt.toISOString(), timeZone: zone, venueName: null, venueAddress: null },
    })
    const update = await sendRow(await createMessage('UPDATE', { eventId: event.id, registrationId: registration.id, detail }))
    const second = receivedInvite(update, 'REQUEST')
    expect(second.event.uid).toBe(first.event.uid)
    expect(second.event.sequence).toBe(1)
    expect(second.event.description).toContain(joinLink)
    expect(flat(update.text)).toContain('Le lien de connexion a changé : votre lien personnel reste le même.')

    // The person cancels: their own SEQUENCE goes up, the CANCEL removes the same UID.
    await prisma.registration.update({ where: { id: registration.id }, data: { status: 'CANCELLED', cancelledAt: new Date(), icalSequence: { increment: 1 } } })
    const cancellation = await sendRow(await createMessage('CANCELLATION', { eventId: event.id, registrationId: registration.id, detail: 'attendee' }))
    const third = receivedInvite(cancellation, 'CANCEL')
    expect(third.event.uid).toBe(first.event.uid)
    expect(third.event.sequence).toBe(2)
    expect(third.event.status).toBe('CANCELLED')
    expect(third.event.attendees).toEqual([registration.email])
    expect(third.event.description).not.toContain(joinLink)
    expect([first, second, third].map((received) => received.event.sequence)).toEqual([0, 1, 2])

    // Another registration to the same event has its own UID.
    const otherInvite = receivedInvite(await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: other.id })), 'REQUEST')
    expect(otherInvite.event.uid).not.toBe(first.event.uid)
    expect(otherInvite.event.sequence).toBe(1)
    expect(otherInvite.event.attendees).toEqual([other.email])
  })

  it('an in-person event in winter time: 11:15 UTC, the venue as LOCATION, no join link, the management link', async () => {
    const event = await createEvent({ kind: 'IN_PERSON', ...winter })
    const registration = await createRegistration(event.id, { locale: 'en', firstName: 'Sam' })
    await createRegistration(event.id)
    const mail = await sendRow(await createMessage('PROMOTED', { eventId: event.id, registrationId: registration.id }))
    const { event: invite, text } = receivedInvite(mail, 'REQUEST')
    expect(invite.start.toISOString()).toBe('2027-11-04T11:15:00.000Z')
    expect(invite.end.toISOString()).toBe('2027-11-04T12:00:00.000Z')
    expect(invite.startZone).toBe(zone)
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20271104T121500')
    expect(invite.location).toBe('Maison des associations, 3 place du Marché, 69001 Lyon')
    expect(invite.description).not.toContain('/j/')
    expect(invite.description).toMatch(/Manage my registration : http\S+\/registrations\/[\w.-]+/)
    expect(invite.attendees).toEqual([registration.email])
  })

  it('a hybrid event names both the venue and "en ligne", and the reminder carries the same invite', async () => {
    const event = await createEvent({ kind: 'HYBRID', ...winter })
    const registration = await createRegistration(event.id)
    const confirmation = receivedInvite(await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })), 'REQUEST')
    expect(confirmation.event.location).toBe('Maison des associations, 3 place du Marché, 69001 Lyon et en ligne')
    expect(confirmation.event.description).toContain(personalJoinUrl(registration.token))
    const reminder = receivedInvite(
      await sendRow(await createMessage('REMINDER', { eventId: event.id, registrationId: registration.id, offsetMinutes: 60 })),
      'REQUEST',
    )
    expect(reminder.event.uid).toBe(confirmation.event.uid)
    expect(reminder.event.sequence).toBe(confirmation.event.sequence)
  })
})

describe('cancellations remove only what was sent', () => {
  it('the event cancelled: a CANCEL for the confirmed person who had the invite, none for the waitlisted one', async () => {
    const event = await createEvent({ kind: 'ONLINE', ...winter })
    const confirmed = await createRegistration(event.id)
    const waitlisted = await createRegistration(event.id, { status: 'WAITLISTED' })
    receivedInvite(await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: confirmed.id })), 'REQUEST')
    const waitlistNotice = await sendRow(await createMessage('WAITLISTED', { eventId: event.id, registrationId: waitlisted.id }))
    expect(calendarParts(waitlistNotice)).toEqual([])

    await prisma.event.update({ where: { id: event.id }, data: { status: 'CANCELLED', icalSequence: { increment: 1 } } })
    const cancelled = receivedInvite(await sendRow(await createMessage('EVENT_CANCELLED', { eventId: event.id, registrationId: confirmed.id })), 'CANCEL')
    expect(cancelled.event.uid).toBe(registrationInviteUid(event, confirmed.id))
    expect(cancelled.event.sequence).toBe(1)
    expect(cancelled.event.status).toBe('CANCELLED')
    const notInvited = await sendRow(await createMessage('EVENT_CANCELLED', { eventId: event.id, registrationId: waitlisted.id }))
    expect(notInvited.subject).toContain('Événement annulé')
    expect(calendarParts(notInvited)).toEqual([])
  })

  it('staff moving an invited person to the waitlist, or refusing them, removes the event (CANCEL, same UID, higher SEQUENCE)', async () => {
    const event = await createEvent({ kind: 'ONLINE', ...winter })
    for (const status of ['WAITLISTED', 'REFUSED'] as const) {
      const registration = await createRegistration(event.id)
      const confirmation = receivedInvite(await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })), 'REQUEST')
      // As leaveConfirmed does: the registration leaves the confirmed list and its SEQUENCE goes up.
      await prisma.registration.update({ where: { id: registration.id }, data: { status, icalSequence: { increment: 1 } } })
      const cancel = receivedInvite(await sendRow(await createMessage(status, { eventId: event.id, registrationId: registration.id })), 'CANCEL')
      expect(cancel.event.uid).toBe(confirmation.event.uid)
      expect(cancel.event.sequence).toBeGreaterThan(confirmation.event.sequence)
      expect(cancel.event.status).toBe('CANCELLED')
    }
  })

  it('a staff cancellation of a registration whose confirmation never went out carries no CANCEL', async () => {
    const event = await createEvent({ ...winter })
    const registration = await createRegistration(event.id, { status: 'CANCELLED' })
    const mail = await sendRow(await createMessage('CANCELLATION', { eventId: event.id, registrationId: registration.id, detail: eventMessageDetail.byStaff }))
    expect(mail.subject).toContain('Votre inscription est annulée')
    expect(calendarParts(mail)).toEqual([])
  })
})

describe('organisation without a reply address', () => {
  it('the invite is still built, with the sender address of MAIL_FROM as ORGANIZER', async () => {
    const saved = await getOrganization()
    await prisma.organization.update({ where: { id: 1 }, data: { replyTo: '' } })
    try {
      const event = await createEvent({ ...winter })
      const registration = await createRegistration(event.id)
      const { event: invite } = receivedInvite(await sendRow(await createMessage('CONFIRMATION', { eventId: event.id, registrationId: registration.id })), 'REQUEST')
      const [sender] = addressparser(getEnv().MAIL_FROM, { flatten: true })
      expect(sender?.address).toBeTruthy()
      expect(invite.organizer).toBe(sender!.address.toLowerCase())
    } finally {
      await prisma.organization.update({ where: { id: 1 }, data: { replyTo: saved.replyTo } })
    }
  })
})

describe('series registration', () => {
  it('one seances.ics (PUBLISH) with one VEVENT per session held confirmed, each with its own UID, no RRULE; a session cancelled later is removed under that UID', async () => {
    const series = await createSeries()
    const member = await prisma.seriesRegistration.create({
      data: { seriesId: series.id, email: uniqueAddress('series-invite'), firstName: 'Alix', locale: 'fr', token: crypto.randomUUID() },
    })
    const week = (n: number, time: string) => wallClockToInstant({ date: `2027-11-${String(4 + 7 * n).padStart(2, '0')}`, time }, zone)!
    const session = (n: number, kind: 'ONLINE' | 'IN_PERSON') => createEvent({ seriesId: series.id, kind, title: `Séance ${n + 1}`, startsAt: week(n, '12:15'), endsAt: week(n, '13:00') })
    const first = await session(0, 'ONLINE')
    const second = await session(1, 'IN_PERSON')
    const full = await session(2, 'ONLINE')
    const email = member.email
    const firstRegistration = await createRegistration(first.id, { email, seriesRegistrationId: member.id })
    const secondRegistration = await createRegistration(second.id, { email, seriesRegistrationId: member.id })
    await createRegistration(full.id, { email, seriesRegistrationId: member.id, status: 'WAITLISTED' })

    const mail = await sendRow(await createMessage('SERIES_CONFIRMATION', { seriesId: series.id, seriesRegistrationId: member.id }))
    const parts = calendarParts(mail)
    // Several UIDs in one email: a file to add, no iTIP request.
    expect(parts.map((part) => [part.role, part.filename, part.methodParam])).toEqual([['attachment', 'seances.ics', 'PUBLISH']])
    // RRULE only in the VTIMEZONE's rules, never in an event.
    const vevents = parts[0]!.text.split('BEGIN:VEVENT').slice(1)
    expect(vevents).toHaveLength(2)
    for (const vevent of vevents) expect(vevent).not.toContain('RRULE')
    const calendar = parseInvite(parts[0]!.text)
    expect(calendar.method).toBe('PUBLISH')
    expect(calendar.events.map((event) => [event.summary, event.uid, event.start.toISOString()])).toEqual([
      ['Séance 1', registrationInviteUid(first, firstRegistration.id), '2027-11-04T11:15:00.000Z'],
      ['Séance 2', registrationInviteUid(second, secondRegistration.id), '2027-11-11T11:15:00.000Z'],
    ])
    expect(calendar.events[0]!.description).toContain(personalJoinUrl(firstRegistration.token))
    expect(calendar.events[1]!.location).toBe('Maison des associations, 3 place du Marché, 69001 Lyon')
    for (const event of calendar.events) expect(event.attendees).toEqual([])

    // Staff cancel the second session's registration: the CANCEL names the UID the series file gave it.
    await prisma.registration.update({ where: { id: secondRegistration.id }, data: { status: 'CANCELLED', icalSequence: { increment: 1 } } })
    const cancel = receivedInvite(
      await sendRow(await createMessage('CANCELLATION', { eventId: second.id, registrationId: secondRegistration.id, detail: eventMessageDetail.byStaff })),
      'CANCEL',
    )
    expect(cancel.event.uid).toBe(calendar.events[1]!.uid)
    expect(cancel.event.sequence).toBeGreaterThan(calendar.events[1]!.sequence)
  })

  it('leaving the whole series sends one annulation-seances.ics (CANCEL) naming each session the calendar got, under its UID', async () => {
    const series = await createSeries()
    const member = await prisma.seriesRegistration.create({
      data: { seriesId: series.id, email: uniqueAddress('series-cancel'), firstName: 'Alix', locale: 'fr', token: crypto.randomUUID() },
    })
    const week = (n: number) => ({ startsAt: wallClockToInstant({ date: `2027-11-${String(4 + 7 * n).padStart(2, '0')}`, time: '12:15' }, zone)!, endsAt: wallClockToInstant({ date: `2027-11-${String(4 + 7 * n).padStart(2, '0')}`, time: '13:00' }, zone)! })
    const sessions = await Promise.all([0, 1, 2, 3].map((n) => createEvent({ seriesId: series.id, kind: 'ONLINE', title: `Séance ${n + 1}`, ...week(n) })))
    const email = member.email
    const [first, second, leftBefore] = await Promise.all([
      createRegistration(sessions[0]!.id, { email, seriesRegistrationId: member.id }),
      createRegistration(sessions[1]!.id, { email, seriesRegistrationId: member.id }),
      createRegistration(sessions[3]!.id, { email, seriesRegistrationId: member.id }),
    ])
    await sendRow(await createMessage('SERIES_CONFIRMATION', { seriesId: series.id, seriesRegistrationId: member.id }))
    // A session added afterwards, its confirmation not sent yet: no invite ever reached the calendar.
    const notInvited = await createRegistration(sessions[2]!.id, { email, seriesRegistrationId: member.id })
    await prisma.registration.update({ where: { id: notInvited.id }, data: { createdAt: new Date(Date.now() + 1000) } })
    // The fourth session was left on its own earlier: its own CANCELLATION removed it already.
    await prisma.registration.update({ where: { id: leftBefore!.id }, data: { status: 'CANCELLED', cancelledAt: new Date(Date.now() - 60_000), icalSequence: { increment: 1 } } })

    await cancelSeriesRegistration(member.id)
    const row = await prisma.eventMessage.findFirstOrThrow({ where: { seriesRegistrationId: member.id, kind: 'SERIES_CANCELLED' }, select: { id: true } })
    const mail = await sendRow(row.id)
    expect(mail.subject).toBeTruthy()
    const parts = calendarParts(mail)
    // Several UIDs: a file, no iTIP alternative part.
    expect(parts.map((part) => [part.role, part.filename, part.methodParam])).toEqual([['attachment', 'annulation-seances.ics', 'CANCEL']])
    const calendar = parseInvite(parts[0]!.text)
    expect(calendar.method).toBe('CANCEL')
    const current = await prisma.registration.findMany({ where: { id: { in: [first!.id, second!.id] } }, orderBy: { id: 'asc' }, select: { id: true, icalSequence: true } })
    expect(calendar.events.map((event) => [event.summary, event.uid, event.sequence, event.status])).toEqual([
      ['Séance 1', registrationInviteUid(sessions[0]!, first!.id), sessions[0]!.icalSequence + current[0]!.icalSequence, 'CANCELLED'],
      ['Séance 2', registrationInviteUid(sessions[1]!, second!.id), sessions[1]!.icalSequence + current[1]!.icalSequence, 'CANCELLED'],
    ])
    // Their SEQUENCE went up when they were cancelled: higher than the series file's.
    for (const event of calendar.events) expect(event.sequence).toBeGreaterThan(0)
    expect(parts[0]!.text).not.toContain(registrationInviteUid(sessions[2]!, notInvited.id))
    expect(parts[0]!.text).not.toContain(registrationInviteUid(sessions[3]!, leftBefore!.id))

    // The same row when the whole series was cancelled by the organisers: same file.
    await prisma.series.update({ where: { id: series.id }, data: { status: 'CANCELLED' } })
    const again = await built(row.id)
    expect(again.attachments?.map((attachment) => attachment.filename)).toEqual(['annulation-seances.ics'])
  })
})
