// Owns the controls of a campaign's sending: launch (snapshot of the message and of the audience into the Delivery
// ledger, then one job per range), scheduling, pause, resume, cancel and retry of failed deliveries. Each control
// is one conditional UPDATE on the campaign's status, so a double click or a replayed request acts once. The worker
// side, and the design as a whole, is described in jobs/campaign.ts.
import { getQueue, jobIdFor, enqueueCampaignJobs, QueueUnavailableError } from '#jobs/queues.ts'
import { mergeTagPattern } from '#emails/campaign/blocks.ts'
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import { Prisma, type CampaignStatus } from '~/generated/prisma/client.ts'
import { enqueueRanges } from '~/utils/campaign-dispatch.server.ts'
import { finishIfDone, snapshotAudience, utcNow } from '~/utils/campaign-ledger.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { programActor, recordAudit, staffActor } from './audit.server.ts'
import { compileCampaignSnapshot } from './campaign-render.server.ts'
import { campaignReadiness } from './campaign-readiness.server.ts'
import { getOrganization } from './organization.server.ts'
import { getSegment } from './segment.server.ts'

export type ControlResult = { ok: true } | { ok: false; message: string }

const fail = (message: string) => ({ ok: false as const, message })

const statusMessages: Record<CampaignStatus, string> = {
  DRAFT: 'Cette campagne est un brouillon : elle n’est pas en cours d’envoi.',
  SCHEDULED: 'Cette campagne est programmée : elle n’est pas encore en cours d’envoi.',
  SENDING: 'Cette campagne est déjà en cours d’envoi.',
  PAUSED: 'L’envoi de cette campagne est en pause.',
  SENT: 'Cette campagne a déjà été envoyée.',
  CANCELLED: 'Cette campagne a été annulée.',
}

async function currentStatusMessage(campaignId: number): Promise<string> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { status: true } })
  return campaign ? statusMessages[campaign.status] : 'Campagne introuvable.'
}

/**
 * Why the move to SENDING matched nothing: another launch or control won, or the content changed meanwhile. The row
 * is locked first, so a concurrent launch still in its transaction is waited for and its outcome is what is told.
 */
async function launchRefusal(tx: Prisma.TransactionClient, campaignId: number): Promise<string> {
  const rows = await tx.$queryRaw<Array<{ status: CampaignStatus }>>`SELECT "status" FROM "Campaign" WHERE "id" = ${campaignId} FOR UPDATE`
  const campaign = rows[0]
  if (campaign && (campaign.status === 'DRAFT' || campaign.status === 'SCHEDULED')) {
    return 'La campagne a été modifiée pendant son lancement : rien n’est parti. Vérifiez l’aperçu, puis relancez l’envoi.'
  }
  return campaign ? statusMessages[campaign.status] : 'Campagne introuvable.'
}

async function auditFor(staffId: number | null, tx: Prisma.TransactionClient, action: string, campaignId: number, data: Record<string, unknown> = {}) {
  if (staffId === null) return
  const staff = await tx.staffUser.findUnique({ where: { id: staffId }, select: { id: true, email: true } })
  if (!staff) return
  await recordAudit({ ...staffActor(staff), action, entityType: 'Campaign', entityId: campaignId, data }, tx)
}

/** Jobs are rebuilt by the reconciler when Redis cannot take them now: the control has happened all the same. */
async function enqueueOrLater(what: string, campaignId: number, enqueue: () => Promise<unknown>): Promise<void> {
  try {
    await enqueue()
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error
    logger.warn({ campaignId, what }, 'campaign jobs not enqueued now: the reconciler will')
  }
}

// ─── Launch ────────────────────────────────────────────────────────────────────────────────────────────────

/** `2026-11-22-la-lettre-de-novembre`: the day in the organisation's time zone and the subject, ASCII. */
function slugBase(subject: string, timeZone: string, now: Date): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  const words = subject
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return words ? `${day}-${words}` : `${day}-lettre`
}

async function uniqueSlug(tx: Prisma.TransactionClient, base: string): Promise<string> {
  const taken = new Set((await tx.campaign.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((row) => row.slug))
  if (!taken.has(base)) return base
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

/**
 * Gives a campaign about to be launched its archive slug (kept when it already has one of today). Only while
 * DRAFT or SCHEDULED; the archive lists SENT campaigns only, so a slug on a campaign whose launch fails is unseen.
 */
async function ensureSlug(campaignId: number, current: string | null, subject: string, now: Date): Promise<void> {
  const { timeZone } = await getOrganization()
  const base = slugBase(subject.replace(mergeTagPattern, (_tag, _name: string, fallback?: string) => (fallback ?? '').trim()), timeZone, now)
  if (current?.startsWith(base)) return
  for (let attempt = 0; ; attempt += 1) {
    try {
      await prisma.$transaction(async (tx) => {
        // Raw SQL on purpose: the slug is not content, so it must not move updatedAt, which launch() compares to
        // detect an edit made while it compiles (a concurrent launch setting the slug is not an edit).
        const slug = await uniqueSlug(tx, base)
        await tx.$executeRaw`UPDATE "Campaign" SET "slug" = ${slug} WHERE "id" = ${campaignId} AND "status" IN ('DRAFT', 'SCHEDULED')`
      })
      return
    } catch (error) {
      // Another campaign took the same slug at the same moment: pick again.
      if (attempt < 3 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue
      throw error
    }
  }
}

class LaunchRefused extends Error {}

async function launch(campaignId: number, staffId: number | null, scheduledFor: Date | null): Promise<ControlResult & { recipients?: number }> {
  const campaign = await prisma.campaign.findUnique({
    where: { id: campaignId },
    select: { status: true, isTemplate: true, scheduledAt: true, segmentId: true, slug: true, subject: true, lists: { select: { listId: true } } },
  })
  if (!campaign) return fail('Campagne introuvable.')
  if (campaign.isTemplate) return fail('Un modèle ne s’envoie pas : créez une campagne à partir de ce modèle.')
  if (scheduledFor ? campaign.status !== 'SCHEDULED' || campaign.scheduledAt?.getTime() !== scheduledFor.getTime() : !['DRAFT', 'SCHEDULED'].includes(campaign.status)) {
    return fail(statusMessages[campaign.status])
  }
  const problems = await campaignReadiness(campaignId)
  if (problems.length > 0) return fail(problems.join(' '))
  const now = new Date()
  // The archive address is set before compiling, so the message's "view online" link can name it.
  await ensureSlug(campaignId, campaign.slug, campaign.subject, now)
  // What is compiled must be what goes out: an edit saved between compiling and the move to SENDING changes
  // updatedAt, and the move below then refuses instead of sending the older content.
  const compiledVersion = (await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { updatedAt: true } })).updatedAt
  let snapshot: CompiledCampaign
  try {
    snapshot = await compileCampaignSnapshot(campaignId)
  } catch (error) {
    logger.error({ campaignId, err: error instanceof Error ? error.message : String(error) }, 'campaign could not be compiled')
    return fail('Le message n’a pas pu être préparé pour l’envoi. Vérifiez l’aperçu, puis réessayez.')
  }
  const segment = campaign.segmentId ? await getSegment(campaign.segmentId) : null
  let recipients: number
  try {
    recipients = await prisma.$transaction(
      async (tx) => {
        const moved = await tx.campaign.updateMany({
          where: scheduledFor
            ? { id: campaignId, status: 'SCHEDULED', scheduledAt: scheduledFor, updatedAt: compiledVersion }
            : { id: campaignId, status: { in: ['DRAFT', 'SCHEDULED'] }, updatedAt: compiledVersion },
          data: {
            status: 'SENDING',
            startedAt: now,
            finishedAt: null,
            pausedReason: null,
            snapshot: snapshot as unknown as Prisma.InputJsonValue,
          },
        })
        if (moved.count === 0) throw new LaunchRefused(await launchRefusal(tx, campaignId))
        const count = await snapshotAudience(
          tx,
          campaignId,
          campaign.lists.map((list) => list.listId),
          segment?.filter ?? null,
        )
        if (count === 0) throw new LaunchRefused('Aucun destinataire : personne n’est inscrit (et joignable) sur les listes choisies.')
        await auditFor(staffId, tx, 'campaign.launch', campaignId, { recipients: count, scheduled: scheduledFor !== null })
        return count
      },
      { maxWait: 10_000, timeout: 10 * 60_000 },
    )
  } catch (error) {
    if (error instanceof LaunchRefused) return fail(error.message)
    throw error
  }
  logger.info({ campaignId, recipients }, 'campaign launched')
  await enqueueOrLater('launch', campaignId, () => enqueueRanges(campaignId))
  return { ok: true, recipients }
}

/**
 * A scheduled campaign that cannot go out at its time (a list emptied, content no longer valid) goes back to draft,
 * with the reason in the audit log, rather than staying "scheduled" in the past and being tried again forever.
 */
async function giveUpSchedule(campaignId: number, scheduledAt: Date, reason: string): Promise<void> {
  const moved = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({ where: { id: campaignId, status: 'SCHEDULED', scheduledAt }, data: { status: 'DRAFT' } })
    if (result.count === 1) {
      await recordAudit({ ...programActor('system'), action: 'campaign.schedule-failed', entityType: 'Campaign', entityId: campaignId, data: { reason } }, tx)
    }
    return result.count === 1
  })
  logger.warn({ campaignId, backToDraft: moved }, 'scheduled campaign not launched')
}

export async function launchCampaign(campaignId: number, staffId: number | null): Promise<ControlResult & { recipients?: number }> {
  return launch(campaignId, staffId, null)
}

/**
 * The launch of a scheduled campaign: only if it is still scheduled, for that very time. When it cannot go out, it
 * goes back to draft (see giveUpSchedule); when it was unscheduled, rescheduled or already launched, nothing changes.
 */
export async function launchScheduledCampaign(campaignId: number, scheduledAt: Date): Promise<ControlResult & { recipients?: number }> {
  const result = await launch(campaignId, null, scheduledAt)
  if (!result.ok) await giveUpSchedule(campaignId, scheduledAt, result.message)
  return result
}

/** Launches every SCHEDULED campaign whose time has come (the worker was down at that time, or its job was lost). */
export async function launchDueCampaigns(now = new Date()): Promise<number> {
  const due = await prisma.campaign.findMany({ where: { status: 'SCHEDULED', scheduledAt: { lte: now } }, select: { id: true, scheduledAt: true } })
  let launched = 0
  for (const campaign of due) {
    const result = await launchScheduledCampaign(campaign.id, campaign.scheduledAt!)
    if (result.ok) launched += 1
  }
  return launched
}

// ─── Scheduling ────────────────────────────────────────────────────────────────────────────────────────────

const launchJobKey = (campaignId: number, at: Date) => `campaign-launch:${campaignId}:${at.getTime()}`

export async function scheduleCampaign(campaignId: number, at: Date, staffId: number): Promise<ControlResult> {
  if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return fail('La date d’envoi doit être dans le futur.')
  const template = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { isTemplate: true } })
  if (template?.isTemplate) return fail('Un modèle ne s’envoie pas : créez une campagne à partir de ce modèle.')
  const problems = await campaignReadiness(campaignId)
  if (problems.length > 0) return fail(problems.join(' '))
  const previous = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { scheduledAt: true } })
  const moved = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({ where: { id: campaignId, status: { in: ['DRAFT', 'SCHEDULED'] } }, data: { status: 'SCHEDULED', scheduledAt: at } })
    if (result.count === 1) await auditFor(staffId, tx, 'campaign.schedule', campaignId, { scheduledAt: at })
    return result.count === 1
  })
  if (!moved) return fail(await currentStatusMessage(campaignId))
  if (previous?.scheduledAt && previous.scheduledAt.getTime() !== at.getTime()) await removeLaunchJob(campaignId, previous.scheduledAt)
  await enqueueOrLater('schedule', campaignId, () =>
    enqueueCampaignJobs([{ data: { kind: 'launch', campaignId, scheduledAt: at.toISOString() }, key: launchJobKey(campaignId, at), delayMs: at.getTime() - Date.now() }]),
  )
  return { ok: true }
}

/** Best effort: the job would do nothing anyway (the launch checks the status and the time). */
async function removeLaunchJob(campaignId: number, at: Date): Promise<void> {
  try {
    await getQueue('campaign').remove(jobIdFor('campaign', launchJobKey(campaignId, at)))
  } catch (error) {
    logger.warn({ campaignId, err: error instanceof Error ? error.message : String(error) }, 'scheduled launch job not removed')
  }
}

export async function unscheduleCampaign(campaignId: number, staffId: number): Promise<ControlResult> {
  const previous = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { scheduledAt: true } })
  const moved = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({ where: { id: campaignId, status: 'SCHEDULED' }, data: { status: 'DRAFT', scheduledAt: null } })
    if (result.count === 1) await auditFor(staffId, tx, 'campaign.unschedule', campaignId)
    return result.count === 1
  })
  if (!moved) return fail(await currentStatusMessage(campaignId))
  if (previous?.scheduledAt) await removeLaunchJob(campaignId, previous.scheduledAt)
  return { ok: true }
}

// ─── Pause, resume, cancel, retry ──────────────────────────────────────────────────────────────────────────

export async function pauseCampaign(campaignId: number, staffId: number | null, reason?: string): Promise<ControlResult> {
  const moved = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({ where: { id: campaignId, status: 'SENDING' }, data: { status: 'PAUSED', pausedReason: reason ?? null } })
    if (result.count === 1) await auditFor(staffId, tx, 'campaign.pause', campaignId, reason ? { reason } : {})
    return result.count === 1
  })
  if (!moved) return fail(await currentStatusMessage(campaignId))
  logger.info({ campaignId, bySystem: staffId === null }, 'campaign paused')
  return { ok: true }
}

export async function resumeCampaign(campaignId: number, staffId: number): Promise<ControlResult> {
  const moved = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({ where: { id: campaignId, status: 'PAUSED' }, data: { status: 'SENDING', pausedReason: null } })
    if (result.count === 1) await auditFor(staffId, tx, 'campaign.resume', campaignId)
    return result.count === 1
  })
  if (!moved) return fail(await currentStatusMessage(campaignId))
  if (!(await finishIfDone(campaignId))) await enqueueOrLater('resume', campaignId, () => enqueueRanges(campaignId))
  return { ok: true }
}

export async function cancelCampaign(campaignId: number, staffId: number): Promise<ControlResult> {
  const skipped = await prisma.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({
      where: { id: campaignId, status: { in: ['SCHEDULED', 'SENDING', 'PAUSED'] } },
      data: { status: 'CANCELLED', finishedAt: new Date(), pausedReason: null },
    })
    if (result.count === 0) return null
    // Rows in flight finish; their batch sees the cancellation within a second and skips the rest it holds.
    const count = await tx.$executeRaw`
      UPDATE "Delivery" SET status = 'SKIPPED', error = 'campagne annulée', "updatedAt" = ${utcNow}
      WHERE "campaignId" = ${campaignId} AND status = 'QUEUED'`
    await auditFor(staffId, tx, 'campaign.cancel', campaignId, { skipped: count })
    return count
  })
  if (skipped === null) return fail(await currentStatusMessage(campaignId))
  return { ok: true }
}

export async function retryFailedDeliveries(campaignId: number, staffId: number): Promise<ControlResult & { retried?: number }> {
  const retried = await prisma.$transaction(async (tx) => {
    const campaign = await tx.campaign.findUnique({ where: { id: campaignId }, select: { status: true } })
    if (!campaign || !['SENDING', 'PAUSED', 'SENT'].includes(campaign.status)) return null
    const count = await tx.$executeRaw`
      UPDATE "Delivery" SET status = 'QUEUED', "nextAttemptAt" = NULL, error = NULL, "claimedBy" = NULL, "updatedAt" = ${utcNow}
      WHERE "campaignId" = ${campaignId} AND status = 'FAILED'`
    if (count > 0 && campaign.status === 'SENT') {
      await tx.campaign.updateMany({ where: { id: campaignId, status: 'SENT' }, data: { status: 'SENDING', finishedAt: null } })
    }
    await auditFor(staffId, tx, 'campaign.retry-failed', campaignId, { retried: count })
    return count
  })
  if (retried === null) return fail(await currentStatusMessage(campaignId))
  if (retried > 0) await enqueueOrLater('retry', campaignId, () => enqueueRanges(campaignId))
  return { ok: true, retried }
}
