// Fixtures for the event email tests (event-mail, event-invite): events and registrations made straight in the
// shared test database (unique slugs, UIDs and addresses; removed by cleanupEventFixtures), ledger rows written with
// prisma as the registration and schedule code would, and the built email sent to the run's SMTP listener and read
// back with mailparser.
import { randomUUID } from 'node:crypto'
import { simpleParser, type ParsedMail } from 'mailparser'
import { expect } from 'vitest'
import type { EventKind, EventMessageKind, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { buildEventMessage } from '~/models/event-mail.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { sendEmail, type OutgoingEmail } from '~/utils/mail.server.ts'
import { wallClockToInstant } from '~/utils/wall-clock.ts'
import { messagesTo, uniqueAddress, waitForMessages } from './mailbox.ts'

export const zone = 'Europe/Paris'
/** The Thursday after the October 2027 DST change (31 October): 12:15 in Paris is 11:15 UTC. */
export const startsAt = wallClockToInstant({ date: '2027-11-04', time: '12:15' }, zone)!
export const endsAt = wallClockToInstant({ date: '2027-11-04', time: '13:00' }, zone)!
/** The event's real meeting address: it must never reach an attendee (they get their personal /j/ link). */
export const secretJoinUrl = 'https://visio.example.org/secret-room-4242'

const createdEvents: number[] = []
const createdSeries: number[] = []

/** Makes sure an organisation row exists (only when the run has none: other files read the row, never assume it). */
export async function ensureOrganization(): Promise<void> {
  await prisma.organization.upsert({
    where: { id: 1 },
    create: { id: 1, name: 'Réseau Relais (essai)', postalAddress: '1 rue des Essais, 75000 Paris', replyTo: 'contact@relais.test' },
    update: {},
  })
}

export async function cleanupEventFixtures(): Promise<void> {
  await prisma.event.deleteMany({ where: { id: { in: createdEvents } } })
  await prisma.series.deleteMany({ where: { id: { in: createdSeries } } })
}

export interface EventFixtureInput {
  kind?: EventKind
  title?: string
  seriesId?: number
  startsAt?: Date
  endsAt?: Date
  status?: 'PUBLISHED' | 'CANCELLED' | 'DRAFT'
  replayUrl?: string
  resources?: { label: string; url: string }[]
  followUpAttendedMessage?: string
  followUpAbsentMessage?: string
  joinOpensMinutes?: number
  publishedAt?: Date | null
}

export async function createEvent(input: EventFixtureInput = {}) {
  const event = await prisma.event.create({
    data: {
      slug: `mail-${randomUUID()}`,
      kind: input.kind ?? 'IN_PERSON',
      title: input.title ?? 'Atelier « climat & territoires »',
      startsAt: input.startsAt ?? startsAt,
      endsAt: input.endsAt ?? endsAt,
      timeZone: zone,
      venueName: 'Maison des associations',
      venueAddress: '3 place du Marché, 69001 Lyon',
      accessNotes: 'Salle 2, ascenseur à gauche',
      joinUrl: secretJoinUrl,
      status: input.status ?? 'PUBLISHED',
      seriesId: input.seriesId,
      icalUid: `${randomUUID()}@relais.test`,
      replayUrl: input.replayUrl,
      resources: input.resources ?? [],
      followUpAttendedMessage: input.followUpAttendedMessage,
      followUpAbsentMessage: input.followUpAbsentMessage,
      joinOpensMinutes: input.joinOpensMinutes,
      publishedAt: input.publishedAt === undefined ? ((input.status ?? 'PUBLISHED') === 'DRAFT' ? null : new Date()) : input.publishedAt,
    },
  })
  createdEvents.push(event.id)
  return event
}

export async function createSeries(title = 'Les Jeudis de l’ODD 17') {
  const series = await prisma.series.create({ data: { slug: `mail-series-${randomUUID()}`, title, status: 'PUBLISHED' } })
  createdSeries.push(series.id)
  return series
}

export async function createRegistration(
  eventId: number,
  input: { status?: RegistrationStatus; locale?: string; firstName?: string; seriesRegistrationId?: number; email?: string; attendance?: 'UNKNOWN' | 'PRESENT' | 'ABSENT' } = {},
) {
  return prisma.registration.create({
    data: {
      eventId,
      email: input.email ?? uniqueAddress('event-mail'),
      firstName: input.firstName ?? 'Camille',
      lastName: 'Durand',
      locale: input.locale ?? 'fr',
      status: input.status ?? 'CONFIRMED',
      token: randomUUID(),
      seriesRegistrationId: input.seriesRegistrationId,
      attendance: input.attendance,
    },
  })
}

/**
 * A ledger row as the registration or schedule code writes it: due now, or for a REMINDER with its offset, due that
 * long before the event's start (so the email reads it as on time); `status` SCHEDULED unless given.
 */
export async function createMessage(
  kind: EventMessageKind,
  refs: {
    eventId?: number
    registrationId?: number
    seriesId?: number
    seriesRegistrationId?: number
    announcementId?: number
    detail?: string
    offsetMinutes?: number
    dueAt?: Date
    status?: 'SCHEDULED' | 'SENT' | 'CANCELLED' | 'SKIPPED'
  },
): Promise<number> {
  const { dueAt: givenDueAt, ...rest } = refs
  const dueAt = givenDueAt ?? (await reminderDueAt(kind, refs)) ?? new Date()
  const row = await prisma.eventMessage.create({ data: { kind, ...rest, idempotencyKey: `event-mail-test:${randomUUID()}`, dueAt } })
  return row.id
}

async function reminderDueAt(kind: EventMessageKind, refs: { eventId?: number; offsetMinutes?: number }): Promise<Date | null> {
  if (kind !== 'REMINDER' || refs.eventId === undefined || refs.offsetMinutes === undefined) return null
  const event = await prisma.event.findUniqueOrThrow({ where: { id: refs.eventId }, select: { startsAt: true } })
  return new Date(event.startsAt.getTime() - refs.offsetMinutes * 60_000)
}

/** Marks a row SENT, as the worker does once the mail module has sent it. */
export async function markSent(messageId: number): Promise<void> {
  await prisma.eventMessage.update({ where: { id: messageId }, data: { status: 'SENT', sentAt: new Date() } })
}

export async function built(messageId: number, now?: Date): Promise<OutgoingEmail> {
  const message = await buildEventMessage(messageId, now)
  if (!message) throw new Error(`message ${messageId} built nothing`)
  return message
}

/** Sends the built message and returns it as received (found by its Message-ID), cid: references left as they are. */
export async function sendAndReceive(message: OutgoingEmail): Promise<ParsedMail> {
  const before = (await messagesTo(message.to)).length
  const result = await sendEmail(message)
  expect(result.status).toBe('sent')
  const received = await waitForMessages(message.to, before + 1)
  const mine = received.find((mail) => mail.parsed.messageId === result.messageId)
  if (!mine) throw new Error(`message ${result.messageId} not received`)
  return simpleParser(mine.raw, { skipImageLinks: true })
}

/** The text with every run of white space as one space (text parts wrap long lines). */
export function flat(text: string | false | undefined): string {
  return (text || '').replace(/\s+/g, ' ')
}
