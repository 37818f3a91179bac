// Owns what one chunk of import rows does to the audience, set-based (a handful of statements per thousand rows) and
// idempotent: contacts are inserted or completed (blanks filled, nothing overwritten), subscriptions inserted ON
// CONFLICT DO NOTHING, suppressed and unsubscribed addresses left out, and one IMPORT consent record per contact for
// the lists it actually joined. Running a chunk twice changes nothing the second time, which is what makes a killed
// worker's retry safe.
import type { Prisma } from '~/generated/prisma/client.ts'
import { emailHash } from '~/utils/email-address.ts'
import type { ImportProfile, RowOutcome } from './import-schema.ts'

export interface ChunkRow {
  /** Line in the file (the header is line 1). */
  line: number
  profile: ImportProfile
}

type Tx = Prisma.TransactionClient

/** Addresses of the chunk on the suppression list (hard bounce, complaint, erasure, by hand). */
async function suppressedEmails(tx: Tx, rows: ChunkRow[]): Promise<Set<string>> {
  const hashes = rows.map((row) => emailHash(row.profile.email))
  const found = await tx.$queryRaw<{ emailHash: string }[]>`SELECT "emailHash" FROM "Suppression" WHERE "emailHash" = ANY(${hashes}::text[])`
  const suppressed = new Set(found.map((row) => row.emailHash))
  return new Set(rows.filter((row) => suppressed.has(emailHash(row.profile.email))).map((row) => row.profile.email))
}

/** Inserts new contacts and fills blank profile fields of known ones; returns every contact's id and status. */
async function upsertContacts(tx: Tx, rows: ChunkRow[]): Promise<Map<string, { id: number; status: string }>> {
  const column = <K extends keyof ImportProfile>(key: K) => rows.map((row) => row.profile[key])
  // The WHERE keeps a re-import from rewriting (and bloating) rows it has nothing to add to.
  const written = await tx.$queryRaw<{ id: number; email: string; status: string }[]>`
    INSERT INTO "Contact" ("email", "firstName", "lastName", "organization", "actorType", "territory", "locale", "updatedAt")
    SELECT u.email, u.first_name, u.last_name, u.organization, u.actor_type::"ActorType", u.territory, COALESCE(u.locale, 'fr'), now()
    FROM unnest(${column('email')}::text[], ${column('firstName')}::text[], ${column('lastName')}::text[], ${column('organization')}::text[],
                ${column('actorType')}::text[], ${column('territory')}::text[], ${column('locale')}::text[])
         AS u(email, first_name, last_name, organization, actor_type, territory, locale)
    ON CONFLICT ("email") DO UPDATE SET
      "firstName" = COALESCE("Contact"."firstName", EXCLUDED."firstName"),
      "lastName" = COALESCE("Contact"."lastName", EXCLUDED."lastName"),
      "organization" = COALESCE("Contact"."organization", EXCLUDED."organization"),
      "actorType" = COALESCE("Contact"."actorType", EXCLUDED."actorType"),
      "territory" = COALESCE("Contact"."territory", EXCLUDED."territory"),
      "updatedAt" = now()
    WHERE ("Contact"."firstName" IS NULL AND EXCLUDED."firstName" IS NOT NULL)
       OR ("Contact"."lastName" IS NULL AND EXCLUDED."lastName" IS NOT NULL)
       OR ("Contact"."organization" IS NULL AND EXCLUDED."organization" IS NOT NULL)
       OR ("Contact"."actorType" IS NULL AND EXCLUDED."actorType" IS NOT NULL)
       OR ("Contact"."territory" IS NULL AND EXCLUDED."territory" IS NOT NULL)
    RETURNING "id", "email", "status"::text AS "status"`
  const contacts = new Map(written.map((contact) => [contact.email, { id: contact.id, status: contact.status }]))
  // Known contacts with nothing to fill in are not returned by the INSERT: read those (all of them on a re-import).
  const unseen = rows.map((row) => row.profile.email).filter((email) => !contacts.has(email))
  if (unseen.length > 0) {
    const known = await tx.$queryRaw<{ id: number; email: string; status: string }[]>`
      SELECT "id", "email", "status"::text AS "status" FROM "Contact" WHERE "email" = ANY(${unseen}::text[])`
    for (const contact of known) contacts.set(contact.email, { id: contact.id, status: contact.status })
  }
  return contacts
}

type SubscriptionChange = { contactId: number; listId: number; change: 'created' | 'confirmed' | 'unsubscribed' }

/**
 * Subscribes the contacts to the lists, CONFIRMED (staff vouch for the consent they collected). A pending
 * double opt-in is confirmed the same way; a subscription the person ended stays ended.
 */
async function subscribe(tx: Tx, contactIds: number[], listIds: number[]): Promise<SubscriptionChange[]> {
  if (contactIds.length === 0) return []
  // One statement: every part sees the same snapshot, so the UPDATE and the SELECT only see rows that were there
  // before this chunk, and a row the INSERT adds is never counted twice.
  return tx.$queryRaw<SubscriptionChange[]>`
    WITH wanted AS (
      SELECT c AS contact_id, l AS list_id FROM unnest(${contactIds}::int[]) AS c CROSS JOIN unnest(${listIds}::int[]) AS l
    ), created AS (
      INSERT INTO "Subscription" ("contactId", "listId", "status", "confirmedAt", "updatedAt")
      SELECT contact_id, list_id, 'CONFIRMED', now(), now() FROM wanted
      ON CONFLICT ("contactId", "listId") DO NOTHING
      RETURNING "contactId", "listId"
    ), confirmed AS (
      UPDATE "Subscription" s SET "status" = 'CONFIRMED', "confirmedAt" = now(), "updatedAt" = now()
      FROM wanted w WHERE s."contactId" = w.contact_id AND s."listId" = w.list_id AND s."status" = 'PENDING'
      RETURNING s."contactId", s."listId"
    )
    SELECT "contactId", "listId", 'created' AS "change" FROM created
    UNION ALL SELECT "contactId", "listId", 'confirmed' FROM confirmed
    UNION ALL SELECT s."contactId", s."listId", 'unsubscribed' FROM "Subscription" s
      JOIN wanted w ON s."contactId" = w.contact_id AND s."listId" = w.list_id WHERE s."status" = 'UNSUBSCRIBED'`
}

/** One consent record per contact and action, naming the lists joined, with the batch as its source. */
async function recordConsents(tx: Tx, changes: SubscriptionChange[], batchId: number): Promise<void> {
  const byContact = new Map<string, { contactId: number; action: 'SUBSCRIBE' | 'CONFIRM'; listIds: number[] }>()
  for (const change of changes) {
    if (change.change === 'unsubscribed') continue
    const action = change.change === 'created' ? 'SUBSCRIBE' : 'CONFIRM'
    const key = `${change.contactId}:${action}`
    const entry = byContact.get(key) ?? { contactId: change.contactId, action, listIds: [] }
    entry.listIds.push(change.listId)
    byContact.set(key, entry)
  }
  if (byContact.size === 0) return
  const entries = [...byContact.values()]
  await tx.$executeRaw`
    INSERT INTO "ConsentRecord" ("contactId", "action", "listIds", "source", "sourceRef", "channel")
    SELECT u.contact_id, u.action::"ConsentAction", u.list_ids::int[], 'IMPORT', ${String(batchId)}, 'csv'
    FROM unnest(${entries.map((entry) => entry.contactId)}::int[], ${entries.map((entry) => entry.action)}::text[],
                ${entries.map((entry) => `{${entry.listIds.join(',')}}`)}::text[]) AS u(contact_id, action, list_ids)`
}

/** Applies valid, de-duplicated rows to the audience and returns each row's outcome, in order. */
export async function applyImportRows(tx: Tx, rows: ChunkRow[], listIds: number[], batchId: number): Promise<RowOutcome[]> {
  if (rows.length === 0) return []
  const suppressed = await suppressedEmails(tx, rows)
  const candidates = rows.filter((row) => !suppressed.has(row.profile.email))
  const contacts = candidates.length > 0 ? await upsertContacts(tx, candidates) : new Map<string, { id: number; status: string }>()
  // Only active contacts are subscribed: one who unsubscribed from everything (or bounced, or complained) is not
  // brought back by a file.
  const activeIds = candidates.flatMap((row) => {
    const contact = contacts.get(row.profile.email)
    return contact?.status === 'ACTIVE' ? [contact.id] : []
  })
  const changes = await subscribe(tx, activeIds, listIds)
  await recordConsents(tx, changes, batchId)
  const joined = new Set(changes.filter((change) => change.change !== 'unsubscribed').map((change) => change.contactId))
  const leftList = new Set(changes.filter((change) => change.change === 'unsubscribed').map((change) => change.contactId))
  return rows.map((row): RowOutcome => {
    if (suppressed.has(row.profile.email)) return 'suppressed'
    const contact = contacts.get(row.profile.email)
    if (!contact) return 'suppressed'
    if (contact.status === 'BOUNCED' || contact.status === 'COMPLAINED' || contact.status === 'ERASED') return 'suppressed'
    if (contact.status !== 'ACTIVE') return 'unsubscribed'
    if (joined.has(contact.id)) return 'imported'
    return leftList.has(contact.id) ? 'unsubscribed' : 'alreadySubscribed'
  })
}
