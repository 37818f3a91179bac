// Attendees for the registration tests, and the commands of the burst process (no vitest import: the burst
// process runs outside vitest).
import type { AttendeeInput } from '~/models/event-schema.ts'

/** An attendee as the public form gives it (already checked). */
export function attendee(email: string, extra: Partial<AttendeeInput> = {}): AttendeeInput {
  return { email, firstName: 'Camille', lastName: 'Essai', organization: 'Commune de Test', actorType: 'PUBLIC_AGENT', territory: '33', locale: 'fr', ...extra }
}

export type BurstCommand = { kind: 'register'; eventId: number; emails: string[] } | { kind: 'cancel'; registrationIds: number[] }

/** What a burst returns per call: the outcome's status (and registration id), or `error: <message>`. */
export type BurstResult = { status: string; registrationId?: number; promoted?: number[] }

