// Owns staff sessions: a signed cookie holding only a random id that maps to a StaffSession row (stored hashed),
// so that sessions can be revoked and are shared by every web process.
import { createHash, randomBytes } from 'node:crypto'
import { createCookieSessionStorage, type SessionStorage } from '@remix-run/node'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from './db.server.ts'
import { getEnv } from './env.server.ts'

const DAY_MS = 24 * 60 * 60 * 1000
/** A session ends after a week without use … */
export const SESSION_IDLE_MS = 7 * DAY_MS
/** … and in any case 30 days after sign-in. */
export const SESSION_MAX_MS = 30 * DAY_MS
/** The idle deadline is pushed back at most once a day, to keep reads free of writes. */
const RENEW_AFTER_MS = DAY_MS

/**
 * Cookies are Secure only when the instance is really served over https: the tests (and a first local try) run
 * the production build on http://127.0.0.1, where a Secure cookie would never come back.
 */
export function secureCookies(): boolean {
  const env = getEnv()
  return env.NODE_ENV === 'production' && env.APP_URL.startsWith('https:')
}

type SessionData = { sid: string }

let storage: SessionStorage<SessionData> | undefined

// Built on first use (not at import) so that scripts importing the staff model need no cookie settings.
function sessionStorage(): SessionStorage<SessionData> {
  storage ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: 'relais_session',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: secureCookies(),
      secrets: [getEnv().SESSION_SECRET],
      maxAge: SESSION_MAX_MS / 1000,
    },
  })
  return storage
}

/** The row id is a hash of the cookie's secret, so that a leaked database dump holds no usable session. */
function rowId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export type Db = Prisma.TransactionClient | typeof prisma

/** Opens a session for a staff user; returns the Set-Cookie header that carries it. */
export async function createStaffSession(userId: number, db: Db = prisma, now = new Date()): Promise<string> {
  const secret = randomBytes(32).toString('base64url')
  await db.staffSession.deleteMany({ where: { userId, expiresAt: { lt: now } } })
  await db.staffSession.create({
    data: { id: rowId(secret), userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) },
  })
  const session = await sessionStorage().getSession()
  session.set('sid', secret)
  return sessionStorage().commitSession(session)
}

async function readSecret(request: Request): Promise<string | null> {
  const session = await sessionStorage().getSession(request.headers.get('Cookie'))
  const sid: unknown = session.get('sid')
  return typeof sid === 'string' && sid.length > 0 ? sid : null
}

/** Whether the request carries a session cookie at all (valid or not). */
export async function hasSessionCookie(request: Request): Promise<boolean> {
  return (await readSecret(request)) !== null
}

/** The live session of the request with its user, or null; pushes the idle deadline back when due. */
export async function findLiveSession(request: Request, now = new Date()) {
  const secret = await readSecret(request)
  if (!secret) return null
  const session = await prisma.staffSession.findUnique({
    where: { id: rowId(secret) },
    select: {
      id: true,
      createdAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, name: true, role: true, status: true } },
    },
  })
  if (!session || session.expiresAt <= now) return null
  const idleDeadline = Math.min(now.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_MAX_MS)
  if (idleDeadline - session.expiresAt.getTime() >= RENEW_AFTER_MS) {
    await prisma.staffSession.updateMany({ where: { id: session.id }, data: { expiresAt: new Date(idleDeadline) } })
  }
  return session
}

/** Ends the request's session (row deleted, so other processes stop honouring it); returns the clearing cookie. */
export async function destroyStaffSession(request: Request): Promise<{ setCookie: string }> {
  const secret = await readSecret(request)
  if (secret) await prisma.staffSession.deleteMany({ where: { id: rowId(secret) } })
  return { setCookie: await clearSessionCookie(request) }
}

export async function clearSessionCookie(request: Request): Promise<string> {
  const session = await sessionStorage().getSession(request.headers.get('Cookie'))
  return sessionStorage().destroySession(session)
}

/** Signs a staff user out everywhere (account disabled, password changed). */
export async function revokeStaffSessions(userId: number, db: Db = prisma): Promise<number> {
  const { count } = await db.staffSession.deleteMany({ where: { userId } })
  return count
}

/** Deletes sessions past their expiry (they are already refused; this keeps the table small). */
export async function purgeExpiredStaffSessions(now = new Date()): Promise<number> {
  const { count } = await prisma.staffSession.deleteMany({ where: { expiresAt: { lt: now } } })
  return count
}
