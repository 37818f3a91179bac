// Fixtures of the public event pages' tests and of the registration benchmark: published events and series made
// straight in the database with every public field filled (and a join link that must never show), and the fields
// of the public registration form as a browser would post them. No vitest import: bench/registrations.ts uses it.
import { randomBytes, randomUUID } from 'node:crypto'
import type { EventKind, EventStatus } from '~/generated/prisma/enums.ts'
import type { EventQuestion } from '~/models/event-schema.ts'
import { prisma } from '~/utils/db.server.ts'

const day = 24 * 60 * 60 * 1000

export interface PublicEventFixture {
  title?: string
  kind?: EventKind
  status?: EventStatus
  startsAt?: Date
  endsAt?: Date
  timeZone?: string
  capacity?: number | null
  waitlistEnabled?: boolean
  approvalRequired?: boolean
  registrationOpensAt?: Date | null
  registrationClosesAt?: Date | null
  questions?: EventQuestion[]
  tags?: string[]
  seriesId?: number | null
  replayUrl?: string | null
}

/** A secret join link per event: tests look for it in every public page and never find it. */
export function joinUrlOf(slug: string): string {
  return `https://visio.example/secret-${slug}`
}

export function uniqueSlug(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`
}

export async function createPublicEvent(fixture: PublicEventFixture = {}) {
  const slug = uniqueSlug('evt')
  const startsAt = fixture.startsAt ?? new Date(Date.now() + 7 * day)
  return prisma.event.create({
    data: {
      slug,
      kind: fixture.kind ?? 'HYBRID',
      title: fixture.title ?? `Rencontre ${slug}`,
      summary: 'Un temps d’échange entre collectivités.',
      description: '<p>Au programme : <strong>retours d’expérience</strong> et questions.</p>',
      startsAt,
      endsAt: fixture.endsAt ?? new Date(startsAt.getTime() + 45 * 60 * 1000),
      timeZone: fixture.timeZone ?? 'Europe/Paris',
      venueName: 'Maison des associations',
      venueAddress: '12 rue des Lilas, 33000 Bordeaux',
      accessNotes: 'Salle accessible en fauteuil roulant, entrée côté jardin.',
      joinUrl: joinUrlOf(slug),
      capacity: fixture.capacity === undefined ? null : fixture.capacity,
      waitlistEnabled: fixture.waitlistEnabled ?? true,
      approvalRequired: fixture.approvalRequired ?? false,
      registrationOpensAt: fixture.registrationOpensAt ?? null,
      registrationClosesAt: fixture.registrationClosesAt ?? null,
      questions: (fixture.questions ?? []) as object[],
      speakers: [{ name: 'Alex Martin', role: 'Chargée de mission' }],
      tags: fixture.tags ?? ['climat'],
      status: fixture.status ?? 'PUBLISHED',
      seriesId: fixture.seriesId ?? null,
      replayUrl: fixture.replayUrl ?? null,
      icalUid: `${randomUUID()}@relais.test`,
    },
  })
}

export async function createPublicSeries(title?: string) {
  const slug = uniqueSlug('cycle')
  return prisma.series.create({ data: { slug, title: title ?? `Cycle ${slug}`, description: '<p>Un cycle de webinaires.</p>', status: 'PUBLISHED' } })
}

/** The registration form's fields (attendee and, given as `extra`, answers `q-<id>`, newsletter, altcha…). */
export function registrationFields(email: string, extra: Record<string, string | string[]> = {}): URLSearchParams {
  const body = new URLSearchParams({ email, firstName: 'Camille', lastName: 'Essai', organization: 'Commune de Test', actorType: 'PUBLIC_AGENT', territory: '33', locale: 'fr' })
  for (const [name, value] of Object.entries(extra)) {
    body.delete(name)
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item)
  }
  return body
}
