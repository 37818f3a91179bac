// Owns contacts: one person per normalised address, their profile (shared schema in contact-schema.ts) and the
// lookups other parts make (by address, by id).
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'
import { normalizeEmail } from '~/utils/email-address.ts'
import type { ContactProfile } from './contact-schema.ts'

export { contactProfileSchema, type ContactProfile } from './contact-schema.ts'

type Db = Prisma.TransactionClient | typeof prisma

export function findContactByEmail(email: string, db: Db = prisma) {
  return db.contact.findUnique({ where: { email: normalizeEmail(email) } })
}

export function getContactProfile(id: number) {
  return prisma.contact.findUnique({
    where: { id },
    select: { id: true, email: true, firstName: true, lastName: true, organization: true, actorType: true, territory: true, locale: true, status: true },
  })
}

function profileData(profile: Partial<ContactProfile>) {
  return {
    firstName: profile.firstName ?? null,
    lastName: profile.lastName ?? null,
    organization: profile.organization ?? null,
    actorType: profile.actorType ?? null,
    territory: profile.territory ?? null,
    ...(profile.locale ? { locale: profile.locale } : {}),
  }
}

/** Replaces the profile (the person edits it from a signed link: empty fields clear the stored ones). */
export async function updateContactProfile(id: number, profile: ContactProfile, db: Db = prisma): Promise<void> {
  await db.contact.update({ where: { id }, data: profileData(profile) })
}

/**
 * Finds or creates the contact behind a sign-up form. An anonymous form cannot prove who types it, so it only fills
 * the profile of a new contact or the fields an existing one left empty: it never overwrites what is stored.
 */
export async function upsertContactFromForm(tx: Db, email: string, profile: ContactProfile) {
  const address = normalizeEmail(email)
  const existing = await tx.contact.findUnique({ where: { email: address } })
  if (!existing) {
    // createMany + skipDuplicates: two simultaneous sign-ups of one address end with one contact.
    await tx.contact.createMany({ data: [{ email: address, ...profileData(profile), locale: profile.locale }], skipDuplicates: true })
    return tx.contact.findUniqueOrThrow({ where: { email: address } })
  }
  const missing = Object.fromEntries(
    (['firstName', 'lastName', 'organization', 'actorType', 'territory'] as const)
      .filter((field) => existing[field] === null && profile[field] !== undefined)
      .map((field) => [field, profile[field]]),
  )
  if (Object.keys(missing).length === 0) return existing
  return tx.contact.update({ where: { id: existing.id }, data: missing })
}
