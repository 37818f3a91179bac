// `npm run db:seed` loads a believable demo resource centre, twice without duplicating anything, and refuses a
// database holding real data. Confirmed registrations ahead have their reminders; the events already held come with
// their follow-ups recorded as sent and some feedback, and the worker's own follow-up step, run on the seeded
// database, finds nothing left to write (so nothing to mail). It runs against a database of its own, created and migrated here next to the run's
// database, so that its hundreds of rows never show up in another file's pages and the others' rows never trip it.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActorType } from '~/generated/prisma/enums.ts'
import { createPrismaClient } from '~/utils/db.server.ts'
import { verifyPassword } from '~/utils/password.server.ts'
import { applyMigrations } from '../../prisma/migrations.ts'
import { consentWordings, demoStaff, staffPassword } from '../../prisma/seed/catalog.ts'
import { demoEvents } from '../../prisma/seed/events.ts'
import { demoContacts } from '../../prisma/seed/people.ts'
import { zonedInstant } from '../../prisma/seed/time.ts'
import { createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '#tests/helpers/postgres.ts'
import { startProcess } from '#tests/helpers/processes.ts'

const runUrl = process.env.DATABASE_URL!
const seedDatabase = `${new URL(runUrl).pathname.slice(1)}_seed`
const seedUrl = databaseUrlFor(seedDatabase, runUrl)
const db = createPrismaClient(seedUrl, 2)
const demoEmails = demoContacts().map((contact) => contact.email)

/** What a clock in Paris shows at `instant`, read with Intl alone (independent of the seed's own helper). */
function paris(instant: Date): { weekday: string; time: string } {
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', ...options }).format(instant)
  return { weekday: format({ weekday: 'long' }), time: format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) }
}

async function runSeed(...args: string[]): Promise<{ code: number | null; output: string }> {
  const seed = startProcess('prisma/seed.ts', { DATABASE_URL: seedUrl }, args)
  const code = await seed.exited
  return { code, output: seed.output() }
}

const tables = [
  'Organization', 'SenderIdentity', 'MailingList', 'ConsentText', 'ImportBatch', 'Contact', 'Subscription', 'ConsentRecord',
  'Suppression', 'Series', 'Event', 'SeriesRegistration', 'Registration', 'StaffUser', 'AuditLog', 'EventMessage', 'Feedback',
]

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const [row] = await db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${table}"`)
    counts[table] = Number(row!.count)
  }
  return counts
}

let first: { code: number | null; output: string }
let second: { code: number | null; output: string }
let afterFirst: Record<string, number>
let afterSecond: Record<string, number>

beforeAll(async () => {
  await createScratchDatabase(seedDatabase)
  await applyMigrations(seedUrl)
  first = await runSeed()
  afterFirst = await rowCounts()
  second = await runSeed()
  afterSecond = await rowCounts()
})

afterAll(async () => {
  await db.$disconnect()
  await dropScratchDatabase(seedDatabase)
})

describe('demo data (npm run db:seed)', () => {
  it('runs twice without duplicating anything', () => {
    expect(first.code, first.output).toBe(0)
    expect(second.code, second.output).toBe(0)
    expect(first.output).toContain('300 contact(s) ajouté(s)')
    expect(second.output).toContain('0 contact(s) ajouté(s), 300 déjà présent(s)')
    expect(afterSecond).toEqual(afterFirst)
  })

  it('describes the organisation, its default sender and its newsletters', async () => {
    const organization = await db.organization.findUniqueOrThrow({ where: { id: 1 } })
    expect(organization.timeZone).toBe('Europe/Paris')
    expect(organization.postalAddress).toMatch(/\b\d{5} [A-ZÉ]/)
    expect(await db.senderIdentity.count({ where: { isDefault: true } })).toBe(1)
    const lists = await db.mailingList.findMany()
    const names = lists.map((list) => list.name.replace('’', "'"))
    expect(names).toEqual(expect.arrayContaining(['La quotidienne', "L'hebdo association", "L'hebdo grand public"]))
    expect(lists.some((list) => !list.isPublic)).toBe(true)
    expect(lists.every((list) => list.cadence && list.description)).toBe(true)
  })

  it('loads a few hundred contacts of every actor type, with proof of every subscription', async () => {
    const contacts = await db.contact.findMany({ where: { email: { in: demoEmails } }, include: { subscriptions: true, consentRecords: true } })
    expect(contacts.length).toBeGreaterThanOrEqual(200)
    expect(new Set(contacts.map((c) => c.actorType))).toEqual(new Set(Object.values(ActorType)))
    expect(new Set(contacts.map((c) => c.status))).toEqual(new Set(['ACTIVE', 'UNSUBSCRIBED', 'BOUNCED']))
    expect(contacts.filter((c) => c.locale === 'fr').length).toBeGreaterThan(contacts.filter((c) => c.locale === 'en').length * 5)
    expect(contacts.some((c) => /^(\d{2}|2[AB]|97\d)$/.test(c.territory ?? ''))).toBe(true)

    const statuses = new Set(contacts.flatMap((c) => c.subscriptions.map((s) => s.status)))
    expect(statuses).toEqual(new Set(['CONFIRMED', 'PENDING', 'UNSUBSCRIBED']))
    const texts = new Map((await db.consentText.findMany()).map((text) => [text.hash, text.body]))
    expect([...texts.keys()]).toEqual(expect.arrayContaining(Object.values(consentWordings).map((body) => createHash('sha256').update(body).digest('hex'))))
    for (const contact of contacts) {
      for (const subscription of contact.subscriptions) {
        const proof = contact.consentRecords.find((r) => r.action === 'SUBSCRIBE' && r.listIds.includes(subscription.listId))
        expect(proof, `consent of contact ${contact.id} to list ${subscription.listId}`).toBeDefined()
        expect(['FORM', 'IMPORT']).toContain(proof!.source)
        expect(texts.has(proof!.consentTextHash!)).toBe(true)
      }
    }
  })

  it('schedules the Jeudis de l’ODD 17 on Thursdays 12:15–13:00 in Paris, several of them ahead', async () => {
    const series = await db.series.findUniqueOrThrow({ where: { slug: 'jeudis-odd-17' }, include: { events: true } })
    expect(series.title).toBe('Les Jeudis de l’ODD 17')
    const upcoming = series.events.filter((event) => event.startsAt > new Date())
    expect(upcoming.length).toBeGreaterThanOrEqual(4)
    for (const event of series.events) {
      expect(event.kind).toBe('ONLINE')
      expect(event.joinUrl).toMatch(/^https:\/\//)
      expect(event.capacity).toBe(300)
      expect(paris(event.startsAt)).toEqual({ weekday: 'Thursday', time: '12:15' })
      expect(paris(event.endsAt)).toEqual({ weekday: 'Thursday', time: '13:00' })
    }
    expect(new Set(series.events.map((event) => event.icalUid)).size).toBe(series.events.length)
  })

  it('keeps 12:15 in Paris across the end of summer time (last Sunday of October) and its start in March', () => {
    // The seed computed from a date in early October: its Thursdays straddle 25 October 2026.
    const jeudis = demoEvents('2026-10-08').filter((event) => event.seriesSlug)
    const beforeChange = jeudis.filter((event) => event.startsAt < new Date('2026-10-25T01:00:00Z'))
    const afterChange = jeudis.filter((event) => event.startsAt > new Date('2026-10-25T01:00:00Z'))
    expect(beforeChange.length).toBeGreaterThan(0)
    expect(afterChange.length).toBeGreaterThan(0)
    for (const event of jeudis) expect(paris(event.startsAt)).toEqual({ weekday: 'Thursday', time: '12:15' })
    expect(beforeChange.at(-1)!.startsAt.toISOString()).toBe('2026-10-22T10:15:00.000Z')
    expect(afterChange[0]!.startsAt.toISOString()).toBe('2026-10-29T11:15:00.000Z')
    expect(zonedInstant('2027-03-25', '12:15', 'Europe/Paris').toISOString()).toBe('2027-03-25T11:15:00.000Z')
    expect(zonedInstant('2027-04-01', '12:15', 'Europe/Paris').toISOString()).toBe('2027-04-01T10:15:00.000Z')
  })

  it('has a full-day in-person Session with a waitlist and an evening hybrid Intersession ahead', async () => {
    const session = await db.event.findFirstOrThrow({ where: { slug: { startsWith: 'session-' } }, include: { registrations: true } })
    expect(session.kind).toBe('IN_PERSON')
    expect(session.startsAt > new Date()).toBe(true)
    expect([paris(session.startsAt).time, paris(session.endsAt).time]).toEqual(['09:30', '17:00'])
    expect(session.venueAddress).toMatch(/\d{5}/)
    expect(session.capacity).toBeGreaterThanOrEqual(15)
    expect(session.capacity).toBeLessThanOrEqual(40)
    const confirmed = session.registrations.filter((r) => r.status === 'CONFIRMED').length
    expect(confirmed).toBeLessThanOrEqual(session.capacity!)
    expect(session.registrations.some((r) => r.status === 'WAITLISTED')).toBe(true)

    const intersession = await db.event.findFirstOrThrow({ where: { slug: { startsWith: 'intersession-' } } })
    expect(intersession.kind).toBe('HYBRID')
    expect([paris(intersession.startsAt).time, paris(intersession.endsAt).time]).toEqual(['18:30', '20:30'])
    expect(intersession.joinUrl).toBeTruthy()
    expect(intersession.venueAddress).toBeTruthy()
  })

  it('has a past webinar with its replay, resources and recorded attendance', async () => {
    const past = await db.event.findUniqueOrThrow({ where: { slug: 'webinaire-faire-alliance-premiers-pas' }, include: { registrations: true } })
    expect(past.endsAt < new Date()).toBe(true)
    expect(past.replayUrl).toMatch(/^https:\/\//)
    expect(past.resources).toEqual(expect.arrayContaining([expect.objectContaining({ url: expect.stringMatching(/^https:\/\//) })]))
    expect(past.registrations.filter((r) => r.attendance === 'PRESENT').length).toBeGreaterThan(0)
    expect(past.registrations.filter((r) => r.attendance === 'ABSENT').length).toBeGreaterThan(0)
  })

  it('records the reminders and follow-ups of the past webinar as sent, follow-ups split by attendance, with feedback in French', async () => {
    const past = await db.event.findUniqueOrThrow({
      where: { slug: 'webinaire-faire-alliance-premiers-pas' },
      include: { registrations: { where: { status: 'CONFIRMED' }, include: { messages: true, feedback: true } } },
    })
    expect(past.followUpsRecordedAt).not.toBeNull()
    for (const registration of past.registrations) {
      // Its reminders went before the start (those due before the person registered were never written).
      const reminders = registration.messages.filter((message) => message.kind === 'REMINDER')
      expect(reminders.length).toBeGreaterThan(0)
      for (const reminder of reminders) expect([reminder.status, reminder.sentAt! < past.startsAt, reminder.dueAt > registration.createdAt]).toEqual(['SENT', true, true])
      const followUps = registration.messages.filter((message) => message.kind.startsWith('FOLLOW_UP_'))
      expect(followUps.map((message) => [message.kind, message.status, message.sentAt !== null])).toEqual([
        [registration.attendance === 'PRESENT' ? 'FOLLOW_UP_ATTENDED' : 'FOLLOW_UP_ABSENT', 'SENT', true],
      ])
      if (registration.attendance === 'PRESENT') expect(registration.joinedAt).not.toBeNull()
    }
    const feedback = past.registrations.flatMap((registration) => (registration.feedback ? [{ ...registration.feedback, attendance: registration.attendance }] : []))
    expect(feedback.length).toBeGreaterThanOrEqual(5)
    for (const answer of feedback) {
      expect(answer.attendance).toBe('PRESENT')
      expect(answer.rating).toBeGreaterThanOrEqual(1)
      expect(answer.rating).toBeLessThanOrEqual(5)
    }
    expect(feedback.filter((answer) => answer.comment && /\p{L}{3,} \p{L}/u.test(answer.comment)).length).toBeGreaterThanOrEqual(3)
  })

  it('gives every confirmed registration ahead its reminders, as a registration through the app would get', async () => {
    const next = await db.event.findFirstOrThrow({
      where: { seriesId: { not: null }, startsAt: { gt: new Date(Date.now() + 25 * 60 * 60 * 1000) } },
      orderBy: { startsAt: 'asc' },
      include: { registrations: { include: { messages: { where: { kind: 'REMINDER' } } } } },
    })
    expect(next.reminderOffsets).toEqual([1440, 60])
    const confirmed = next.registrations.filter((registration) => registration.status === 'CONFIRMED')
    expect(confirmed.length).toBeGreaterThan(0)
    for (const registration of confirmed) {
      const reminders = registration.messages
        .map((message) => ({ offset: message.offsetMinutes ?? 0, status: message.status, dueAt: message.dueAt.getTime() }))
        .sort((a, b) => a.offset - b.offset)
      expect(reminders).toEqual([60, 1440].map((offset) => ({ offset, status: 'SCHEDULED', dueAt: next.startsAt.getTime() - offset * 60_000 })))
    }
    const waitlisted = await db.registration.findMany({ where: { status: 'WAITLISTED' }, include: { messages: { where: { kind: 'REMINDER' } } } })
    expect(waitlisted.length).toBeGreaterThan(0)
    expect(waitlisted.flatMap((registration) => registration.messages)).toEqual([])
    // Nothing left to send for events already begun: their reminders are recorded as sent.
    expect(await db.eventMessage.count({ where: { kind: 'REMINDER', status: { not: 'SENT' }, event: { startsAt: { lt: new Date() } } } })).toBe(0)
  })

  it('leaves the worker no follow-up to write at demo start', async () => {
    expect(await db.eventMessage.count({ where: { kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] }, status: 'SCHEDULED' } })).toBe(0)
    const run = startProcess('tests/helpers/run-follow-ups.ts', { DATABASE_URL: seedUrl, LOG_LEVEL: 'warn' })
    expect(await run.exited, run.output()).toBe(0)
    expect(run.output()).toContain('{"written":0}')
    expect(await db.eventMessage.count({ where: { kind: { in: ['FOLLOW_UP_ATTENDED', 'FOLLOW_UP_ABSENT'] }, status: 'SCHEDULED' } })).toBe(0)
  })

  it('creates the demo admin and editor with the passwords the demo prints', async () => {
    for (const staff of demoStaff) {
      const user = await db.staffUser.findUniqueOrThrow({ where: { email: staff.email } })
      expect([user.role, user.status]).toEqual([staff.role, 'ACTIVE'])
      expect(await verifyPassword(user.passwordHash!, staffPassword(staff))).toBe(true)
    }
  })

  it('refuses a database that holds real contacts, and changes nothing there', async () => {
    await db.contact.create({ data: { email: 'secretariat@mairie-de-quelque-part.fr' } })
    const before = await rowCounts()
    const refused = await runSeed()
    expect(refused.code).toBe(2)
    expect(refused.output).toContain('cette base contient déjà des données (1 contact(s) réel(s)')
    expect(await rowCounts()).toEqual(before)
  })
})
