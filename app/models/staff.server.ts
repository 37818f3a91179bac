// Owns staff accounts: creation, invitations (random token stored hashed, 7 days, single use), roles, disabling,
// and the rule that an instance always keeps at least one active admin. Every change is audited in its transaction.
import { createHash, randomBytes } from 'node:crypto'
import type { z } from 'zod'
import { renderEmail } from '#emails/render.ts'
import { enqueueEmail } from '#jobs/queues.ts'
import { Prisma, type StaffStatus } from '~/generated/prisma/client.ts'
import { formatDateTime } from '~/i18n.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { hashPassword } from '~/utils/password.server.ts'
import { revokeStaffSessions } from '~/utils/session.server.ts'
import { recordAudit, staffActor, type AuditActor } from './audit.server.ts'
import { getOrganization } from './organization.server.ts'
import { emailSchema, nameSchema, passwordSchema, roleSchema, type StaffRoleName } from './staff-schema.ts'

export type StaffIdentity = { id: number; email: string; name: string; role: 'ADMIN' | 'EDITOR' }

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000

export type StaffErrorCode = 'invalid-input' | 'email-taken' | 'not-found' | 'self' | 'last-admin' | 'invitation-invalid'

/** A refusal to show the person who asked; `messageKey` is an i18n key, `field` the form field it belongs to. */
export class StaffError extends Error {
  constructor(
    readonly code: StaffErrorCode,
    readonly messageKey: string,
    readonly field?: 'email' | 'name' | 'password' | 'role',
  ) {
    super(`${code}: ${messageKey}`)
    this.name = 'StaffError'
  }
}

function parseField<S extends z.ZodTypeAny>(schema: S, value: unknown, field: StaffError['field']): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new StaffError('invalid-input', result.error.issues[0]?.message ?? 'staff.form.invalid', field)
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

const summary = { id: true, email: true, name: true, role: true, status: true } as const

/** Creates an account; with a password it is active at once, without one it waits for an invitation. */
export async function createStaffUser(
  input: { email: string; name: string; password?: string; role: StaffRoleName },
  actor: AuditActor,
) {
  const email = parseField(emailSchema, input.email, 'email')
  const name = parseField(nameSchema, input.name, 'name')
  const role = parseField(roleSchema, input.role, 'role')
  const password = input.password === undefined ? undefined : parseField(passwordSchema, input.password, 'password')
  const passwordHash = password === undefined ? null : await hashPassword(password)
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.staffUser.create({
        data: { email, name, role, passwordHash, status: passwordHash ? 'ACTIVE' : 'INVITED' },
        select: summary,
      })
      await recordAudit({ ...actor, action: 'staff.create', entityType: 'StaffUser', entityId: user.id, data: { email, role, status: user.status } }, tx)
      return user
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new StaffError('email-taken', 'staff.errors.emailTaken', 'email')
    throw error
  }
}

export function listStaff() {
  return prisma.staffUser.findMany({
    orderBy: [{ status: 'asc' }, { name: 'asc' }],
    select: { ...summary, lastLoginAt: true, inviteExpiresAt: true, createdAt: true },
  })
}

/** What the sign-in form needs to know about an address (nothing when unknown). */
export function findStaffForLogin(email: string) {
  return prisma.staffUser.findUnique({ where: { email }, select: { ...summary, passwordHash: true } })
}

export async function markSignedIn(userId: number, tx: Prisma.TransactionClient): Promise<void> {
  await tx.staffUser.update({ where: { id: userId }, data: { lastLoginAt: new Date() } })
}

export type Invitation = { userId: number; email: string; acceptUrl: string; expiresAt: Date; emailQueued: boolean }

/**
 * Invites an address with a role (or invites again someone still invited: the previous link stops working) and
 * queues the email. The link is returned so that the admin can pass it on if the email does not arrive.
 */
export async function inviteStaff(input: { email: string; name: string; role: StaffRoleName }, inviter: StaffIdentity): Promise<Invitation> {
  const email = parseField(emailSchema, input.email, 'email')
  const name = parseField(nameSchema, input.name, 'name')
  const role = parseField(roleSchema, input.role, 'role')
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS)
  const invitation = { inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt }
  const user = await prisma.$transaction(async (tx) => {
    const existing = await tx.staffUser.findUnique({ where: { email }, select: { id: true, status: true } })
    if (existing && existing.status !== 'INVITED') throw new StaffError('email-taken', 'staff.errors.emailTaken', 'email')
    const saved = existing
      ? await tx.staffUser.update({ where: { id: existing.id }, data: { name, role, ...invitation }, select: summary })
      : await tx.staffUser.create({ data: { email, name, role, status: 'INVITED', ...invitation }, select: summary })
    await recordAudit(
      { ...staffActor(inviter), action: 'staff.invite', entityType: 'StaffUser', entityId: saved.id, data: { email, role, expiresAt } },
      tx,
    )
    return saved
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new StaffError('email-taken', 'staff.errors.emailTaken', 'email')
    throw error
  })
  const acceptUrl = `${getEnv().APP_URL}/invitation/${token}`
  const emailQueued = await sendInvitationEmail({ user, acceptUrl, expiresAt, inviter, tokenHash: invitation.inviteTokenHash })
  return { userId: user.id, email: user.email, acceptUrl, expiresAt, emailQueued }
}

/** Sends a new invitation to someone who has not accepted yet. */
export async function reinviteStaff(userId: number, inviter: StaffIdentity): Promise<Invitation> {
  const user = await prisma.staffUser.findUnique({ where: { id: userId }, select: summary })
  if (!user) throw new StaffError('not-found', 'staff.errors.notFound')
  if (user.status !== 'INVITED') throw new StaffError('email-taken', 'staff.errors.alreadyActive')
  return inviteStaff({ email: user.email, name: user.name, role: user.role }, inviter)
}

async function sendInvitationEmail(input: {
  user: { id: number; email: string; name: string }
  acceptUrl: string
  expiresAt: Date
  inviter: StaffIdentity
  tokenHash: string
}): Promise<boolean> {
  try {
    const organization = await getOrganization()
    const rendered = await renderEmail(
      'staff-invitation',
      {
        organizationName: organization.name,
        postalAddress: organization.postalAddress,
        inviterName: input.inviter.name,
        inviteeName: input.user.name,
        acceptUrl: input.acceptUrl,
        expiresAt: formatDateTime(input.expiresAt, 'fr', organization.timeZone),
      },
      'fr',
    )
    await enqueueEmail({
      // One key per invitation (token), so a retried request does not send the same invitation twice.
      idempotencyKey: `staff-invitation-${input.user.id}-${input.tokenHash.slice(0, 16)}`,
      template: 'staff-invitation',
      to: input.user.email,
      kind: 'transactional',
      ...rendered,
    })
    return true
  } catch (error) {
    // The invitation itself is saved; the admin sees the link and can pass it on.
    logger.error({ userId: input.user.id, err: error instanceof Error ? error.message : String(error) }, 'invitation email not queued')
    return false
  }
}

/** The pending invitation behind a link, or null when the link is unknown, used or expired. */
export async function findInvitation(token: string, now = new Date()) {
  return prisma.staffUser.findFirst({
    where: { inviteTokenHash: hashToken(token), status: 'INVITED', inviteExpiresAt: { gt: now } },
    select: summary,
  })
}

/** Sets the password chosen by the invitee and activates the account; the link cannot be used again. */
export async function acceptInvitation(token: string, input: { name: string; password: string }): Promise<StaffIdentity> {
  const name = parseField(nameSchema, input.name, 'name')
  const password = parseField(passwordSchema, input.password, 'password')
  const passwordHash = await hashPassword(password)
  return prisma.$transaction(async (tx) => {
    const pending = await tx.staffUser.findFirst({
      where: { inviteTokenHash: hashToken(token), status: 'INVITED', inviteExpiresAt: { gt: new Date() } },
      select: { id: true },
    })
    // The status condition in the update makes two simultaneous acceptances of one link activate it once.
    const { count } = pending
      ? await tx.staffUser.updateMany({
          where: { id: pending.id, status: 'INVITED' },
          data: { name, passwordHash, status: 'ACTIVE', inviteTokenHash: null, inviteExpiresAt: null },
        })
      : { count: 0 }
    if (!pending || count !== 1) throw new StaffError('invitation-invalid', 'auth.invitation.invalid')
    const user = await tx.staffUser.findUniqueOrThrow({ where: { id: pending.id }, select: { id: true, email: true, name: true, role: true } })
    await recordAudit({ ...staffActor(user), action: 'staff.invitation.accept', entityType: 'StaffUser', entityId: user.id }, tx)
    return user
  })
}

/**
 * Runs a change to another staff account under a lock on the active admins, so that two admins demoting or
 * disabling each other at the same moment cannot leave the instance without one.
 */
async function changeOtherStaff<T>(
  userId: number,
  actor: StaffIdentity,
  change: (tx: Prisma.TransactionClient, target: { id: number; role: StaffRoleName; status: StaffStatus; passwordHash: string | null }, otherActiveAdmins: number) => Promise<T>,
): Promise<T> {
  if (userId === actor.id) throw new StaffError('self', 'staff.errors.self')
  return prisma.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "StaffUser" WHERE role = 'ADMIN' AND status = 'ACTIVE' FOR UPDATE`
    const target = await tx.staffUser.findUnique({ where: { id: userId }, select: { id: true, role: true, status: true, passwordHash: true } })
    if (!target) throw new StaffError('not-found', 'staff.errors.notFound')
    return change(tx, target, admins.filter((admin) => admin.id !== userId).length)
  })
}

/** Disables an account: its sessions end now and a pending invitation link stops working. */
export async function disableStaff(userId: number, actor: StaffIdentity): Promise<void> {
  await changeOtherStaff(userId, actor, async (tx, target, otherActiveAdmins) => {
    if (target.status === 'DISABLED') return
    if (target.role === 'ADMIN' && target.status === 'ACTIVE' && otherActiveAdmins === 0) {
      throw new StaffError('last-admin', 'staff.errors.lastAdmin')
    }
    await tx.staffUser.update({ where: { id: userId }, data: { status: 'DISABLED', inviteTokenHash: null, inviteExpiresAt: null } })
    const sessions = await revokeStaffSessions(userId, tx)
    await recordAudit({ ...staffActor(actor), action: 'staff.disable', entityType: 'StaffUser', entityId: userId, data: { sessionsEnded: sessions } }, tx)
  })
}

/** Enables a disabled account again; one that never chose a password goes back to "invited" (invite it again). */
export async function enableStaff(userId: number, actor: StaffIdentity): Promise<void> {
  await changeOtherStaff(userId, actor, async (tx, target) => {
    if (target.status !== 'DISABLED') return
    const status: StaffStatus = target.passwordHash ? 'ACTIVE' : 'INVITED'
    await tx.staffUser.update({ where: { id: userId }, data: { status } })
    await recordAudit({ ...staffActor(actor), action: 'staff.enable', entityType: 'StaffUser', entityId: userId, data: { status } }, tx)
  })
}

export async function changeStaffRole(userId: number, role: StaffRoleName, actor: StaffIdentity): Promise<void> {
  const newRole = parseField(roleSchema, role, 'role')
  await changeOtherStaff(userId, actor, async (tx, target, otherActiveAdmins) => {
    if (target.role === newRole) return
    if (target.role === 'ADMIN' && target.status === 'ACTIVE' && otherActiveAdmins === 0) {
      throw new StaffError('last-admin', 'staff.errors.lastAdmin')
    }
    await tx.staffUser.update({ where: { id: userId }, data: { role: newRole } })
    await recordAudit(
      { ...staffActor(actor), action: 'staff.role', entityType: 'StaffUser', entityId: userId, data: { from: target.role, to: newRole } },
      tx,
    )
  })
}
