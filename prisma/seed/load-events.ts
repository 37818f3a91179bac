// Owns writing the demo calendar: the series, its sessions and the other events, then a plausible set of
// registrations (series members, a full Session with a waitlist, attendance on the past webinar), then what follows
// them (load-journey.ts: follow-ups and feedback of the events already held). Insert-only, keyed by slug and by
// event × email, so a rerun adds nothing that is already there.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Attendance, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { demoEvents, demoTimeZone, jeudisSeries, type DemoEvent } from './events.ts'
import { loadJourney, type JourneyReport } from './load-journey.ts'
import { demoContacts, type DemoContact } from './people.ts'
import { wallClock } from './time.ts'

export interface EventsReport extends JourneyReport {
  eventsAdded: number
  registrationsAdded: number
}

const token = () => randomBytes(24).toString('base64url')

interface Attendee {
  contact: DemoContact
  contactId: number
  status: RegistrationStatus
  attendance?: Attendance
  answers?: Record<string, string>
  seriesRegistrationId?: number
}

async function loadEventRows(events: DemoEvent[], seriesId: number, now: Date): Promise<number> {
  const { count } = await prisma.event.createMany({
    data: events.map(({ seriesSlug, ...event }) => ({
      ...event,
      seriesId: seriesSlug ? seriesId : null,
      timeZone: demoTimeZone,
      status: 'PUBLISHED' as const,
      // Random like every event's UID; only rows that do not exist yet are inserted, so a rerun never changes one.
      icalUid: `${randomUUID()}@relais`,
      // Published a little before its first registration (see registeredAt), so its registrations chart has a history.
      createdAt: new Date(Math.min(now.getTime(), event.startsAt.getTime()) - 15 * 86_400_000),
    })),
    skipDuplicates: true,
  })
  return count
}

/**
 * When the `index`-th of `count` people registered: spread over the two weeks before the event (or before now, for
 * an event ahead), in the order listed, so the registrations chart has a history and the waitlist keeps its order.
 */
function registeredAt(index: number, count: number, startsAt: Date, now: Date): Date {
  const spacing = (14 * 86_400_000) / count
  return new Date(Math.min(now.getTime(), startsAt.getTime()) - (count - index) * spacing + ((index * 37) % 60) * 60_000)
}

async function register(event: DemoEvent, attendees: Attendee[], now: Date): Promise<number> {
  const row = await prisma.event.findUniqueOrThrow({ where: { slug: event.slug }, select: { id: true, startsAt: true } })
  const { count } = await prisma.registration.createMany({
    data: attendees.map(({ contact, contactId, status, attendance, answers, seriesRegistrationId }, index) => {
      const createdAt = registeredAt(index, attendees.length, row.startsAt, now)
      return {
        eventId: row.id,
        contactId,
        seriesRegistrationId,
        email: contact.email,
        firstName: contact.firstName,
        lastName: contact.lastName,
        organization: contact.organization,
        actorType: contact.actorType,
        territory: contact.territory,
        locale: contact.locale,
        status,
        source: seriesRegistrationId ? ('SERIES' as const) : ('PUBLIC' as const),
        // The waitlist is served by (waitlistedAt, id): the order listed.
        waitlistedAt: status === 'WAITLISTED' ? createdAt : null,
        answers: answers ?? {},
        token: token(),
        attendance: attendance ?? 'UNKNOWN',
        // Those present joined through their personal link between five minutes early and a few minutes late.
        joinedAt: attendance === 'PRESENT' ? new Date(row.startsAt.getTime() + (((index * 7) % 13) - 5) * 60_000) : null,
        createdAt,
        updatedAt: createdAt,
      }
    }),
    skipDuplicates: true,
  })
  return count
}

/** Loads the demo calendar relative to `now`, and registrations of demo contacts (which must be loaded first). */
export async function loadEvents(now: Date): Promise<EventsReport> {
  const events = demoEvents(wallClock(now, demoTimeZone).date)
  const series = await prisma.series.upsert({
    where: { slug: jeudisSeries.slug },
    create: { ...jeudisSeries, timeZone: demoTimeZone, status: 'PUBLISHED' },
    update: {},
    select: { id: true },
  })
  const eventsAdded = await loadEventRows(events, series.id, now)

  const people = demoContacts().filter((contact) => contact.status === 'ACTIVE')
  const ids = new Map(
    (await prisma.contact.findMany({ where: { email: { in: people.map((p) => p.email) } }, select: { id: true, email: true } })).map((c) => [c.email, c.id]),
  )
  const present = people.filter((person) => ids.has(person.email))
  const attendee = (contact: DemoContact, status: RegistrationStatus = 'CONFIRMED', extra: Partial<Attendee> = {}): Attendee => ({
    contact,
    contactId: ids.get(contact.email)!,
    status,
    ...extra,
  })
  const byType = (...types: DemoContact['actorType'][]) => present.filter((person) => types.includes(person.actorType))

  // Twelve people follow the whole cycle of Jeudis: each session, past or ahead, holds their registration.
  const members = present.filter((_, index) => index % 17 === 3).slice(0, 12)
  await prisma.seriesRegistration.createMany({
    data: members.map((person) => ({
      seriesId: series.id,
      contactId: ids.get(person.email)!,
      email: person.email,
      status: 'CONFIRMED' as const,
      token: token(),
      firstName: person.firstName,
      lastName: person.lastName,
      organization: person.organization,
      actorType: person.actorType,
      territory: person.territory,
      locale: person.locale,
    })),
    skipDuplicates: true,
  })
  const memberRows = await prisma.seriesRegistration.findMany({ where: { seriesId: series.id, email: { in: members.map((m) => m.email) } } })
  const memberIds = new Map(memberRows.map((row) => [row.email, row.id]))

  let registrationsAdded = 0
  for (const event of events) {
    const attendees: Attendee[] = []
    const past = event.endsAt < now
    if (event.seriesSlug) {
      members.forEach((person, index) =>
        attendees.push(attendee(person, 'CONFIRMED', { seriesRegistrationId: memberIds.get(person.email), attendance: past ? (index % 4 === 0 ? 'ABSENT' : 'PRESENT') : undefined })),
      )
      // A few more people pick single sessions: more for the next one, fewer further ahead.
      const weeksAhead = (event.startsAt.getTime() - now.getTime()) / (7 * 86_400_000)
      const extra = Math.max(2, 10 - weeksAhead)
      byType('PUBLIC_AGENT', 'ASSOCIATION', 'RESEARCHER')
        .filter((person) => !members.includes(person))
        .slice(0, Math.round(extra))
        .forEach((person, index) => attendees.push(attendee(person, 'CONFIRMED', { attendance: past ? (index % 3 === 0 ? 'ABSENT' : 'PRESENT') : undefined })))
    } else if (event.kind === 'IN_PERSON') {
      // The Session is full: the whole project team plus two people on the waitlist.
      const team = byType('PUBLIC_AGENT', 'ELECTED_OFFICIAL', 'ASSOCIATION').slice(0, event.capacity + 2)
      const meals = ['Sans restriction', 'Végétarien', 'Sans restriction', 'Sans gluten']
      team.forEach((person, index) =>
        attendees.push(
          attendee(person, index < event.capacity ? 'CONFIRMED' : 'WAITLISTED', {
            answers: { repas: meals[index % meals.length]!, covoiturage: index % 5 === 0 ? 'Je propose des places' : 'Non merci' },
          }),
        ),
      )
    } else if (event.kind === 'HYBRID') {
      byType('ELECTED_OFFICIAL', 'ASSOCIATION', 'COMPANY', 'CITIZEN')
        .slice(5, 19)
        .forEach((person, index) => attendees.push(attendee(person, 'CONFIRMED', { answers: { modalite: index % 3 === 0 ? 'À distance' : 'Sur place' } })))
    } else {
      // The past webinar: elected officials and their teams, most of whom joined.
      byType('ELECTED_OFFICIAL', 'PUBLIC_AGENT')
        .slice(0, 42)
        .forEach((person, index) => attendees.push(attendee(person, 'CONFIRMED', { attendance: index % 10 < 7 ? 'PRESENT' : 'ABSENT' })))
    }
    registrationsAdded += await register(event, attendees, now)
  }
  return { eventsAdded, registrationsAdded, ...(await loadJourney(events.map((event) => event.slug), now)) }
}
