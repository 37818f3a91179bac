// Owns the organisation settings (a single row): name, postal address, reply address, time zone, brand.
import type { Organization } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'

export type OrganizationSettings = Omit<Organization, 'createdAt' | 'updatedAt'>

/** Until an admin fills the settings in, a fresh instance shows neutral values instead of failing. */
const fallback: OrganizationSettings = {
  id: 1,
  name: 'Relais',
  postalAddress: '',
  replyTo: '',
  website: null,
  timeZone: 'Europe/Paris',
  defaultLocale: 'fr',
  brandColor: '#1d4e89',
  logoUrl: null,
  retentionEnabledAt: null,
  retentionEnabledById: null,
}

export async function getOrganization(): Promise<OrganizationSettings> {
  return (await prisma.organization.findUnique({ where: { id: 1 } })) ?? fallback
}
