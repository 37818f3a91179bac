// Owns the audit log: who did what to which record, written in the same transaction as the change it records.
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'

export type AuditEntry = {
  actorId: number | null
  /** The staff user's email, or "cli", "seed", "system", "api:<token prefix>" when no staff user acted. */
  actorLabel: string
  /** Dotted verb, e.g. "staff.invite", "campaign.schedule". */
  action: string
  /** The model name, e.g. "StaffUser", "Campaign". */
  entityType: string
  entityId?: string | number | null
  data?: Record<string, unknown>
}

export type AuditActor = Pick<AuditEntry, 'actorId' | 'actorLabel'>

/** The actor for a signed-in staff user. */
export function staffActor(staff: { id: number; email: string }): AuditActor {
  return { actorId: staff.id, actorLabel: staff.email }
}

/** The actor for a program acting on its own ("cli", "seed", "system"). */
export function programActor(label: string): AuditActor {
  return { actorId: null, actorLabel: label }
}

// A safety net: secrets must never reach the log, even if a caller passes them by mistake.
const secretKey = /password|token|secret|hash|cookie/i

function toJson(value: unknown): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value)) return value.map((item) => toJson(item))
  if (typeof value === 'object') {
    const out: Record<string, Prisma.InputJsonValue | null> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue
      out[key] = secretKey.test(key) ? '[retiré]' : toJson(item)
    }
    return out
  }
  return String(value)
}

export async function recordAudit(entry: AuditEntry, tx?: Prisma.TransactionClient): Promise<void> {
  await (tx ?? prisma).auditLog.create({
    data: {
      actorId: entry.actorId,
      actorLabel: entry.actorLabel,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === null || entry.entityId === undefined ? null : String(entry.entityId),
      data: (toJson(entry.data ?? {}) ?? {}) as Prisma.InputJsonValue,
    },
  })
}

export type AuditFilter = { entityType?: string; entityId?: string; actorId?: number }

/**
 * One page of the log, newest first. Pages are cut by id ("older than entry N") rather than by offset, so that
 * reading far back stays fast on a log of millions of rows and new entries do not shift the pages.
 */
export async function listAuditEntries({ before, pageSize = 50, filter = {} }: { before?: bigint; pageSize?: number; filter?: AuditFilter }) {
  const rows = await prisma.auditLog.findMany({
    where: {
      ...(before === undefined ? {} : { id: { lt: before } }),
      ...(filter.entityType ? { entityType: filter.entityType } : {}),
      ...(filter.entityId ? { entityId: filter.entityId } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
    },
    orderBy: { id: 'desc' },
    take: pageSize + 1,
    include: { actor: { select: { name: true } } },
  })
  const page = rows.slice(0, pageSize)
  return {
    entries: page.map((row) => ({
      id: row.id.toString(),
      createdAt: row.createdAt,
      actorLabel: row.actorLabel,
      actorName: row.actor?.name ?? null,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      data: row.data,
    })),
    /** The cursor of the next (older) page, or null on the last page. */
    olderThan: rows.length > pageSize ? (page.at(-1)?.id.toString() ?? null) : null,
  }
}
