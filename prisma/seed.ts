// `npm run db:seed`: loads the demo resource centre (organisation, newsletters, ~300 contacts, events, staff).
// Insert-only and idempotent: what exists (by id, slug, email) is never changed, so a second run adds nothing.
// It refuses a database that already holds real data (another organisation, staff or contacts) unless --force.
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { programActor } from '~/models/audit.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'
import { demoOrganization, demoStaff, staffPassword } from './seed/catalog.ts'
import { loadAudience } from './seed/load-audience.ts'
import { loadCampaigns } from './seed/load-campaigns.ts'
import { loadEvents } from './seed/load-events.ts'

/** What in the database was not put there by this seed, described in French; empty when it is a demo database. */
async function foreignData(): Promise<string[]> {
  const reasons: string[] = []
  const organization = await prisma.organization.findUnique({ where: { id: 1 }, select: { name: true } })
  if (organization && organization.name !== demoOrganization.name) reasons.push(`l’organisation « ${organization.name} » est configurée`)
  const staff = await prisma.staffUser.count({ where: { email: { notIn: demoStaff.map((s) => s.email) } } })
  if (staff > 0) reasons.push(`${staff} compte(s) d’équipe existent`)
  // Demo people all have addresses under the reserved .example domain; anyone else is a real contact.
  const contacts = await prisma.contact.count({ where: { email: { not: null }, NOT: { email: { endsWith: '.example' } } } })
  if (contacts > 0) reasons.push(`${contacts} contact(s) réel(s) sont enregistrés`)
  return reasons
}

/** Creates the demo staff accounts that are missing; returns the emails created. */
async function loadStaff(): Promise<string[]> {
  const created: string[] = []
  for (const staff of demoStaff) {
    if (await prisma.staffUser.findUnique({ where: { email: staff.email }, select: { id: true } })) continue
    await createStaffUser({ email: staff.email, name: staff.name, password: staffPassword(staff), role: staff.role }, programActor('seed'))
    created.push(staff.email)
  }
  return created
}

async function main(args: string[]): Promise<void> {
  const force = args.includes('--force')
  const reasons = await foreignData()
  if (reasons.length > 0 && !force) {
    process.stderr.write(
      `Jeu de démonstration non chargé : cette base contient déjà des données (${reasons.join(', ')}).\n` +
        'Pour ajouter quand même les données de démonstration manquantes (sans comptes de démonstration), relancez : npm run db:seed -- --force\n',
    )
    process.exitCode = 2
    return
  }
  const now = new Date()
  const audience = await loadAudience(now)
  const events = await loadEvents(now)
  const campaigns = await loadCampaigns(now)
  // Known demo passwords never go into a database that holds real data, even when forced.
  const staff = reasons.length > 0 ? [] : await loadStaff()
  process.stdout.write(
    `Jeu de démonstration : ${audience.contactsAdded} contact(s) ajouté(s), ${audience.contactsKept} déjà présent(s) ; ` +
      `${events.eventsAdded} événement(s) et ${events.registrationsAdded} inscription(s) ajouté(s) ; ` +
      `${campaigns.campaignsAdded} lettre(s) d’information ajoutée(s) ; ` +
      `${staff.length} compte(s) d’équipe créé(s).\n`,
  )
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    process.stderr.write(`Échec du chargement des données de démonstration : ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  })
  .finally(async () => {
    // The staff model brings the shared Redis producer connection along; close it so the process can end.
    redis.disconnect()
    await prisma.$disconnect()
  })
