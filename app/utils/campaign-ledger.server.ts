// Owns the SQL of the campaign delivery ledger (Delivery): the set-based audience snapshot at launch, the claim of
// a range's QUEUED rows by one conditional UPDATE, the re-check just before sending, the recording of outcomes,
// and the giving back of claims (pause, shutdown, a dead worker). Every statement is conditional on the row's
// status, so two processes racing on a row cannot both send it. Timestamps are UTC wall clock, as Prisma writes.
import { Prisma } from '~/generated/prisma/client.ts'
import type { SegmentFilter } from '~/models/segment-filter.ts'
import { segmentWhere } from '~/models/segment.server.ts'
import { prisma } from './db.server.ts'

type Db = Prisma.TransactionClient | typeof prisma

/** `now()` as a UTC timestamp without time zone, whatever the session's TimeZone. */
export const utcNow = Prisma.sql`(now() AT TIME ZONE 'UTC')`

const contactIdSpan = 50_000

/**
 * Inserts one QUEUED delivery per reachable recipient: an ACTIVE contact with an address, CONFIRMED on at least
 * one of the lists (once, through the first of their lists in the lists' order), not suppressed (by the hash of
 * the stored, normalised address, as emailHash() computes it), narrowed by the segment. By ranges of contact id;
 * existing rows are kept (ON CONFLICT DO NOTHING). Returns how many rows were added.
 */
export async function snapshotAudience(db: Db, campaignId: number, listIds: number[], segment: SegmentFilter | null): Promise<number> {
  const [bounds] = await db.$queryRaw<Array<{ lo: number | null; hi: number | null }>>`SELECT min(id) AS lo, max(id) AS hi FROM "Contact"`
  if (!bounds || bounds.lo === null || bounds.hi === null || listIds.length === 0) return 0
  let inserted = 0
  for (let lo = bounds.lo; lo <= bounds.hi; lo += contactIdSpan) {
    const hi = lo + contactIdSpan
    let segmentFilter = Prisma.empty
    if (segment) {
      const rows = await db.contact.findMany({ where: { AND: [segmentWhere(segment), { id: { gte: lo, lt: hi } }] }, select: { id: true } })
      if (rows.length === 0) continue
      segmentFilter = Prisma.sql`AND c.id = ANY(${rows.map((row) => row.id)}::int[])`
    }
    inserted += await db.$executeRaw`
      INSERT INTO "Delivery" ("campaignId", "contactId", "listId", "status", "createdAt", "updatedAt")
      SELECT ${campaignId}, c.id, firstList."listId", 'QUEUED', ${utcNow}, ${utcNow}
      FROM "Contact" c
      CROSS JOIN LATERAL (
        SELECT s."listId" FROM "Subscription" s JOIN "MailingList" l ON l.id = s."listId"
        WHERE s."contactId" = c.id AND s.status = 'CONFIRMED' AND s."listId" = ANY(${listIds}::int[])
        ORDER BY l."sortOrder", l.id LIMIT 1
      ) firstList
      WHERE c.id >= ${lo} AND c.id < ${hi} AND c.status = 'ACTIVE' AND c.email IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "Suppression" x WHERE x."emailHash" = encode(sha256(convert_to(c.email, 'UTF8')), 'hex'))
        ${segmentFilter}
      ORDER BY c.id
      ON CONFLICT ("campaignId", "contactId") DO NOTHING`
  }
  return inserted
}

export interface ClaimedDelivery {
  id: bigint
  contactId: number | null
  listId: number | null
  attempts: number
  email: string | null
  firstName: string | null
  lastName: string | null
  organization: string | null
  territory: string | null
  measurementConsent: boolean | null
  /** Why it must not be sent now (see eligibility below), or null. */
  skipReason: string | null
}

/** The re-check of a delivery's contact, as SQL columns: status, address, still CONFIRMED on a list, suppressed. */
const eligibilityColumns = (campaignId: number) => Prisma.sql`
  c.status::text AS "contactStatus",
  EXISTS (SELECT 1 FROM "Subscription" s JOIN "CampaignList" cl ON cl."listId" = s."listId" AND cl."campaignId" = ${campaignId}
          WHERE s."contactId" = c.id AND s.status = 'CONFIRMED') AS confirmed,
  EXISTS (SELECT 1 FROM "Suppression" x WHERE x."emailHash" = encode(sha256(convert_to(c.email, 'UTF8')), 'hex')) AS suppressed`

interface EligibilityRow {
  contactStatus: string | null
  email: string | null
  confirmed: boolean
  suppressed: boolean
}

const statusReasons: Record<string, string> = {
  UNSUBSCRIBED: 'contact désinscrit',
  BOUNCED: 'adresse en échec définitif',
  COMPLAINED: 'contact ayant signalé un courriel indésirable',
  ERASED: 'contact effacé',
}

/** Why a delivery must not be sent now (in French, kept in Delivery.error for staff), or null. */
function skipReason(row: EligibilityRow): string | null {
  if (row.contactStatus === null || row.email === null) return statusReasons.ERASED!
  if (row.contactStatus !== 'ACTIVE') return statusReasons[row.contactStatus] ?? 'contact inactif'
  if (!row.confirmed) return 'plus inscrit aux listes de la campagne'
  if (row.suppressed) return 'adresse dans la liste de suppression'
  return null
}

/**
 * Claims up to `limit` due QUEUED rows of a range for this worker in one statement (status SENDING, claimedBy,
 * attempts+1), only while the campaign is SENDING, skipping rows another claimer holds; returns them with their
 * contact and the re-check (contact still ACTIVE, still CONFIRMED on one of the campaign's lists, not suppressed).
 */
export async function claimDeliveries(campaignId: number, fromId: bigint, toId: bigint, worker: string, limit: number): Promise<ClaimedDelivery[]> {
  const rows = await prisma.$queryRaw<Array<Omit<ClaimedDelivery, 'skipReason'> & EligibilityRow>>`
    WITH claimed AS (
      UPDATE "Delivery" d
      SET status = 'SENDING', "claimedAt" = ${utcNow}, "claimedBy" = ${worker}, attempts = d.attempts + 1, "updatedAt" = ${utcNow}
      WHERE d.id IN (
        SELECT id FROM "Delivery"
        WHERE "campaignId" = ${campaignId} AND status = 'QUEUED' AND id BETWEEN ${fromId} AND ${toId}
          AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${utcNow})
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      AND d.status = 'QUEUED'
      AND EXISTS (SELECT 1 FROM "Campaign" WHERE id = ${campaignId} AND status = 'SENDING')
      RETURNING d.id, d."contactId", d."listId", d.attempts
    )
    SELECT cl.id, cl."contactId", cl."listId", cl.attempts, c.email, c."firstName", c."lastName", c.organization, c.territory,
      c."measurementConsent", ${eligibilityColumns(campaignId)}
    FROM claimed cl LEFT JOIN "Contact" c ON c.id = cl."contactId"
    ORDER BY cl.id`
  return rows.map(({ contactStatus, confirmed, suppressed, ...row }) => ({ ...row, skipReason: skipReason({ contactStatus, email: row.email, confirmed, suppressed }) }))
}

/** The re-check again, for claimed deliveries that waited: why each must not be sent now. */
export async function ineligibleDeliveries(campaignId: number, ids: bigint[]): Promise<Map<bigint, string>> {
  if (ids.length === 0) return new Map()
  const rows = await prisma.$queryRaw<Array<{ id: bigint } & EligibilityRow>>`
    SELECT d.id, c.email, ${eligibilityColumns(campaignId)}
    FROM "Delivery" d LEFT JOIN "Contact" c ON c.id = d."contactId"
    WHERE d.id = ANY(${ids}::bigint[])`
  const reasons = new Map<bigint, string>()
  for (const row of rows) {
    const reason = skipReason(row)
    if (reason) reasons.set(row.id, reason)
  }
  return reasons
}

export interface SentRecord {
  id: bigint
  messageId: string
  response: string
  at: Date
}

/** Marks acknowledged deliveries SENT with their Message-ID and SMTP answer, in one statement. */
export async function recordSent(records: SentRecord[]): Promise<void> {
  if (records.length === 0) return
  const json = JSON.stringify(records.map((record) => ({ id: record.id.toString(), mid: record.messageId, resp: record.response, at: record.at.toISOString() })))
  await prisma.$executeRaw`
    UPDATE "Delivery" d
    SET status = 'SENT', "sentAt" = u.at, "messageId" = u.mid, "smtpResponse" = u.resp, "claimedBy" = NULL, "nextAttemptAt" = NULL,
      error = NULL, "updatedAt" = ${utcNow}
    FROM json_to_recordset(${json}::json) AS u(id bigint, mid text, resp text, at timestamp)
    WHERE d.id = u.id AND d.status IN ('SENDING', 'QUEUED')`
}

/** Marks claimed deliveries SKIPPED with the reason (in French, shown to staff). */
export async function recordSkipped(reasons: Map<bigint, string>): Promise<void> {
  if (reasons.size === 0) return
  const json = JSON.stringify([...reasons].map(([id, reason]) => ({ id: id.toString(), reason })))
  await prisma.$executeRaw`
    UPDATE "Delivery" d SET status = 'SKIPPED', error = u.reason, "claimedBy" = NULL, "updatedAt" = ${utcNow}
    FROM json_to_recordset(${json}::json) AS u(id bigint, reason text)
    WHERE d.id = u.id AND d.status = 'SENDING'`
}

export type Outcome =
  | { status: 'QUEUED'; nextAttemptAt: Date; response: string }
  | { status: 'BOUNCED' | 'FAILED'; response: string }

/** Records a refused or deferred delivery (one row: these are the exceptions). */
export async function recordOutcome(id: bigint, outcome: Outcome): Promise<void> {
  await prisma.delivery.updateMany({
    where: { id, status: 'SENDING' },
    data: {
      status: outcome.status,
      smtpResponse: outcome.response,
      error: outcome.response,
      claimedBy: null,
      nextAttemptAt: outcome.status === 'QUEUED' ? outcome.nextAttemptAt : null,
    },
  })
}

/**
 * Gives claimed rows back without counting the attempt (never sent: pause, shutdown, SMTP unreachable): QUEUED
 * again, or SKIPPED when the campaign was cancelled meanwhile. Only rows this worker still holds.
 */
export async function releaseClaims(campaignId: number, ids: bigint[], worker: string): Promise<number> {
  if (ids.length === 0) return 0
  return prisma.$executeRaw`
    UPDATE "Delivery" d
    SET status = CASE WHEN c.status = 'CANCELLED' THEN 'SKIPPED'::"DeliveryStatus" ELSE 'QUEUED'::"DeliveryStatus" END,
      error = CASE WHEN c.status = 'CANCELLED' THEN 'campagne annulée' ELSE d.error END,
      attempts = GREATEST(d.attempts - 1, 0), "claimedAt" = NULL, "claimedBy" = NULL, "updatedAt" = ${utcNow}
    FROM "Campaign" c
    WHERE c.id = ${campaignId} AND d."campaignId" = c.id AND d.id = ANY(${ids}::bigint[]) AND d.status = 'SENDING' AND d."claimedBy" = ${worker}`
}

/** Keeps this worker's claims fresh (a slow, rate-limited batch must not look abandoned). */
export async function renewClaims(ids: bigint[], worker: string): Promise<void> {
  if (ids.length === 0) return
  await prisma.$executeRaw`
    UPDATE "Delivery" SET "claimedAt" = ${utcNow} WHERE id = ANY(${ids}::bigint[]) AND status = 'SENDING' AND "claimedBy" = ${worker}`
}

/** SENDING → SENT (with finishedAt) once no QUEUED or SENDING row is left; true when this call finished it. */
export async function finishIfDone(campaignId: number): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE "Campaign" SET status = 'SENT', "finishedAt" = ${utcNow}, "pausedReason" = NULL, "updatedAt" = ${utcNow}
    WHERE id = ${campaignId} AND status = 'SENDING'
      AND NOT EXISTS (SELECT 1 FROM "Delivery" WHERE "campaignId" = ${campaignId} AND status IN ('QUEUED', 'SENDING'))`
  return count === 1
}

export interface RangeDue {
  bucket: bigint
  /** When its earliest QUEUED row is due (null: now). */
  dueAt: Date | null
}

/**
 * The ranges (Delivery id / batch size) of a campaign that hold QUEUED rows, with when the earliest is due. Read
 * through the (campaignId, status, id) index.
 */
export async function queuedRanges(campaignId: number, batchSize: number): Promise<RangeDue[]> {
  return prisma.$queryRaw<RangeDue[]>`
    SELECT (id / ${batchSize}) AS bucket,
      CASE WHEN bool_or("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${utcNow}) THEN NULL ELSE min("nextAttemptAt") END AS "dueAt"
    FROM "Delivery" WHERE "campaignId" = ${campaignId} AND status = 'QUEUED'
    GROUP BY 1 ORDER BY 1`
}

export interface RecoveryRules {
  /** Whether a worker identity has a live heartbeat. */
  isAlive: (worker: string) => Promise<boolean>
  /** This process: its own claims are live (its batches renew them), except those older than its start. */
  self: { identity: string; startedAt: Date }
  /**
   * A claim of a worker without heartbeat is taken back only once it is also this old: a live worker whose
   * heartbeat key vanished (a Redis flush) renews its claims more often than that, a dead one does not.
   */
  staleMs: number
  /** Any claim older than this is taken back, whoever holds it. */
  leaseMs: number
}

/**
 * SENDING rows whose holder is gone go back to QUEUED (or SKIPPED when the campaign was cancelled), counted in
 * Campaign.recoveredCount: rows of a worker without heartbeat whose claim went stale, rows claimed by a previous
 * process of this same identity (a restarted container keeps its hostname and pid), rows older than the lease.
 */
export async function recoverClaims(rules: RecoveryRules): Promise<Map<number, number>> {
  // Only campaigns that can hold claims (the ledger keeps every campaign ever sent: never scan it whole).
  const campaigns = await prisma.campaign.findMany({
    where: { OR: [{ status: { in: ['SENDING', 'PAUSED'] } }, { status: 'CANCELLED', finishedAt: { gte: new Date(Date.now() - 7 * 24 * 3_600_000) } }] },
    select: { id: true },
  })
  if (campaigns.length === 0) return new Map()
  const campaignIds = campaigns.map((campaign) => campaign.id)
  const holders = await prisma.$queryRaw<Array<{ claimedBy: string | null }>>`
    SELECT DISTINCT "claimedBy" FROM "Delivery" WHERE "campaignId" = ANY(${campaignIds}::int[]) AND status = 'SENDING'`
  const dead: string[] = []
  let noHolder = false
  for (const { claimedBy } of holders) {
    if (claimedBy === null) noHolder = true
    else if (claimedBy !== rules.self.identity && !(await rules.isAlive(claimedBy))) dead.push(claimedBy)
  }
  const now = Date.now()
  const staleBefore = new Date(now - rules.staleMs)
  const leaseBefore = new Date(now - rules.leaseMs)
  const rows = await prisma.$queryRaw<Array<{ campaignId: number; count: bigint }>>`
    WITH taken AS (
      UPDATE "Delivery" d
      SET status = CASE WHEN c.status = 'CANCELLED' THEN 'SKIPPED'::"DeliveryStatus" ELSE 'QUEUED'::"DeliveryStatus" END,
        error = CASE WHEN c.status = 'CANCELLED' THEN 'campagne annulée' ELSE d.error END,
        "claimedAt" = NULL, "claimedBy" = NULL, "updatedAt" = ${utcNow}
      FROM "Campaign" c
      WHERE c.id = d."campaignId" AND d."campaignId" = ANY(${campaignIds}::int[]) AND d.status = 'SENDING'
        AND ((d."claimedBy" = ANY(${dead}::text[]) AND d."claimedAt" < ${staleBefore}::timestamp)
          OR (d."claimedBy" = ${rules.self.identity} AND d."claimedAt" < ${rules.self.startedAt}::timestamp)
          OR d."claimedAt" < ${leaseBefore}::timestamp
          ${noHolder ? Prisma.sql`OR d."claimedBy" IS NULL` : Prisma.empty})
      RETURNING d."campaignId"
    )
    SELECT "campaignId", count(*) AS count FROM taken GROUP BY 1`
  const recovered = new Map(rows.map((row) => [row.campaignId, Number(row.count)]))
  for (const [campaignId, count] of recovered) {
    await prisma.campaign.update({ where: { id: campaignId }, data: { recoveredCount: { increment: count } } })
  }
  return recovered
}

/** When the earliest QUEUED row of one range is due (now when already due), or null when it has none. */
export async function rangeNextDue(campaignId: number, fromId: bigint, toId: bigint): Promise<Date | null> {
  const rows = await prisma.$queryRaw<Array<{ dueAt: Date | null; found: boolean }>>`
    SELECT min(COALESCE("nextAttemptAt", ${utcNow})) AS "dueAt", count(*) > 0 AS found
    FROM "Delivery" WHERE "campaignId" = ${campaignId} AND status = 'QUEUED' AND id BETWEEN ${fromId} AND ${toId}`
  return rows[0]?.found ? (rows[0].dueAt ?? new Date()) : null
}
