// Owns consent: the versioned texts people were shown (addressed by the SHA-256 of their exact wording) and the
// append-only records of every subscribe, confirm, unsubscribe and preference change.
import { createHash } from 'node:crypto'
import type { ConsentAction, ConsentSource, Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'

export type ConsentInput = {
  contactId: number
  action: ConsentAction
  listIds: number[]
  source: ConsentSource
  /** web, embed, email, one-click, api, csv */
  channel: string
  /** The import batch, staff user or API token behind the record. */
  sourceRef?: string
  consentTextHash?: string
}

type Db = Prisma.TransactionClient | typeof prisma

/** Appends one consent record, inside the caller's transaction so that it stands or falls with the change. */
export async function recordConsent(tx: Db, input: ConsentInput): Promise<void> {
  await tx.consentRecord.create({
    data: {
      contactId: input.contactId,
      action: input.action,
      listIds: [...new Set(input.listIds)].sort((a, b) => a - b),
      source: input.source,
      channel: input.channel,
      sourceRef: input.sourceRef ?? null,
      consentTextHash: input.consentTextHash ?? null,
    },
  })
}

export function consentTextHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex')
}

/** Stores this exact wording once (first time shown) and returns its hash, the version a record points to. */
export async function ensureConsentText(locale: string, body: string): Promise<string> {
  const hash = consentTextHash(body)
  await prisma.consentText.createMany({ data: [{ hash, locale, body }], skipDuplicates: true })
  return hash
}

/** The consent text hash of the person's latest sign-up covering `listId`, carried over to its confirmation. */
export async function latestSubscribeTextHash(tx: Db, contactId: number, listIds: number[]): Promise<string | undefined> {
  const record = await tx.consentRecord.findFirst({
    where: { contactId, action: 'SUBSCRIBE', listIds: { hasSome: listIds }, consentTextHash: { not: null } },
    orderBy: { id: 'desc' },
    select: { consentTextHash: true },
  })
  return record?.consentTextHash ?? undefined
}
