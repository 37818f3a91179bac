// Owns the one Prisma client of the process (over node-postgres through the driver adapter).
import { remember } from '@epic-web/remember'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '~/generated/prisma/client.ts'
import { getEnv } from './env.server.ts'

export function createPrismaClient(databaseUrl: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) })
}

export const prisma: PrismaClient = remember('prisma', () => createPrismaClient(getEnv().DATABASE_URL))
