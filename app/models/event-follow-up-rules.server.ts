// Owns the rules of the follow-up after an event, as SQL read by both the writer (recordDueFollowUps in
// event-schedule.server.ts) and the staff summary (event-schedule-summary.server.ts), so the two never disagree:
// who gets one, who counts as having attended, when attendance counts as taken, and how long after the end the
// follow-up may still go.
import { Prisma } from '~/generated/prisma/client.ts'

/** Follow-ups go out at most this long after the end: a worker back after a long outage does not thank for a stale event. */
export const followUpWindowMs = 7 * 24 * 60 * 60 * 1000

/** The placeholder domain of an erased person's registration (privacy.server.ts): nothing is sent there. */
export const erasedAddressDomain = 'erased.invalid'

/** Registration `r` still gets event messages: confirmed and not erased. */
export function receivesMessages(r: string): Prisma.Sql {
  const alias = Prisma.raw(`"${r}"`)
  return Prisma.sql`(${alias}."status" = 'CONFIRMED' AND ${alias}."email" NOT LIKE ${`%@${erasedAddressDomain}`})`
}

/** Registration `r` attended: joined by their personal link, checked in, or marked present by staff. */
export function attended(r: string): Prisma.Sql {
  const alias = Prisma.raw(`"${r}"`)
  return Prisma.sql`(${alias}."attendance" = 'PRESENT' OR ${alias}."joinedAt" IS NOT NULL OR ${alias}."checkedInAt" IS NOT NULL)`
}

/**
 * Whether the attendance of event `e` can be read. Online: always (the personal join link records it, no join =
 * absent). In person: once someone was checked in, joined or marked present or absent. Hybrid: joining online says
 * nothing of the room, so once attendance was taken on site among those who did not join online (checked in or
 * marked), or when everybody joined online. Until then the follow-up waits: "sorry we missed you" to everyone in the
 * room would be wrong.
 */
export function attendanceTaken(e: string): Prisma.Sql {
  const event = Prisma.raw(`"${e}"`)
  const onSiteMarked = Prisma.sql`(a."checkedInAt" IS NOT NULL OR a."attendance" <> 'UNKNOWN')`
  return Prisma.sql`(${event}."kind" = 'ONLINE'
    OR (${event}."kind" = 'IN_PERSON' AND EXISTS (
      SELECT 1 FROM "Registration" a WHERE a."eventId" = ${event}."id" AND (${onSiteMarked} OR a."joinedAt" IS NOT NULL)))
    OR (${event}."kind" = 'HYBRID' AND (
      EXISTS (SELECT 1 FROM "Registration" a WHERE a."eventId" = ${event}."id" AND a."joinedAt" IS NULL AND ${onSiteMarked})
      OR NOT EXISTS (SELECT 1 FROM "Registration" a WHERE a."eventId" = ${event}."id" AND a."status" = 'CONFIRMED' AND a."joinedAt" IS NULL))))`
}
