// Owns how a JS instant is written into raw SQL that compares it with DateTime columns: those columns hold the UTC
// wall clock (Prisma's convention), so the instant is turned into the same form whatever the session's TimeZone.
import { Prisma } from '~/generated/prisma/client.ts'

/** A JS instant as the UTC wall clock the DateTime columns hold, for raw SQL. */
export function sqlWallClock(at: Date): Prisma.Sql {
  return Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`
}
