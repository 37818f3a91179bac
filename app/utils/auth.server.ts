// Owns who is signed in: sign-in with its rate limits, the guards every staff route calls (requireStaff,
// requireAdmin, which also enforce CSRF on writes), and where to go after signing in.
import { isIP } from 'node:net'
import { redirect } from '@remix-run/node'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { normalizeEmail } from './email-address.ts'
import { findStaffForLogin, markSignedIn, type StaffIdentity } from '~/models/staff.server.ts'
import { requireCsrf } from './csrf.server.ts'
import { prisma } from './db.server.ts'
import { i18next } from './i18n.server.ts'
import { logger } from './logger.server.ts'
import { verifyAgainstDummy, verifyPassword } from './password.server.ts'
import { peekRateLimit, consumeRateLimit, resetRateLimit, type RateLimitRule } from './rate-limit.server.ts'
import { clearSessionCookie, createStaffSession, findLiveSession, hasSessionCookie } from './session.server.ts'

export type { StaffIdentity } from '~/models/staff.server.ts'

/** Failed sign-ins allowed per address and per client address, over a sliding 15 minutes. */
export const loginLimits = {
  email: { name: 'login-email', limit: 5, windowSeconds: 15 * 60 },
  ip: { name: 'login-ip', limit: 20, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>

export async function getStaff(request: Request): Promise<StaffIdentity | null> {
  const session = await findLiveSession(request)
  if (!session || session.user.status !== 'ACTIVE') return null
  const { id, email, name, role } = session.user
  return { id, email, name, role }
}

/** The local address to come back to after signing in (the `.data` suffix of a client-side request removed). */
function currentPath(request: Request): string {
  const url = new URL(request.url)
  return url.pathname.replace(/\.data$/, '') + url.search
}

/**
 * The signed-in, active staff member; otherwise a redirect to the sign-in page that comes back here. On anything
 * but GET/HEAD it also enforces the CSRF checks, so that no staff action can forget them: call it before reading
 * the body.
 */
export async function requireStaff(request: Request): Promise<StaffIdentity> {
  const staff = await getStaff(request)
  if (!staff) {
    const headers = new Headers()
    // A revoked or expired session cookie is dropped rather than sent again and again.
    if (await hasSessionCookie(request)) headers.append('Set-Cookie', await clearSessionCookie(request))
    throw redirect(`/login?${new URLSearchParams({ redirectTo: currentPath(request) })}`, { headers })
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') await requireCsrf(request)
  return staff
}

/** Like requireStaff, and a 403 page for editors. */
export async function requireAdmin(request: Request): Promise<StaffIdentity> {
  const staff = await requireStaff(request)
  if (staff.role !== 'ADMIN') {
    const t = await i18next.getFixedT(request)
    throw new Response(t('auth.adminOnly'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  return staff
}

/** Only a path of this site: never another host ("//evil.example", "/\\evil.example", "https://…"). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/admin'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  // Control characters could be trimmed by a browser into a protocol-relative address.
  if ([...to].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return fallback
  return to
}

/**
 * The client's address as told by the reverse proxy, or by the server through the load context (`clientIp`).
 * When unknown, the per-address limit is skipped rather than shared by every client.
 */
export function clientIp(request: Request, context?: unknown): string | null {
  // The production server always tells (Express's req.ip, which believes X-Forwarded-For only from a local proxy);
  // the headers are read only without it, i.e. under the Vite dev server, which is never exposed to the public.
  if (typeof context === 'object' && context !== null && 'clientIp' in context) {
    const fromContext = context.clientIp
    return typeof fromContext === 'string' && isIP(fromContext) !== 0 ? fromContext : null
  }
  const candidates = [request.headers.get('X-Forwarded-For')?.split(',')[0]?.trim() ?? null, request.headers.get('X-Real-IP')?.trim() ?? null]
  return candidates.find((value): value is string => value !== null && isIP(value) !== 0) ?? null
}

/** Opens a session (audited, last sign-in noted) and returns the Set-Cookie header that carries it. */
export async function signIn(staff: Pick<StaffIdentity, 'id' | 'email'>): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const cookie = await createStaffSession(staff.id, tx)
    await markSignedIn(staff.id, tx)
    await recordAudit({ ...staffActor(staff), action: 'auth.login', entityType: 'StaffUser', entityId: staff.id }, tx)
    return cookie
  })
}

export type LoginResult =
  | { status: 'signed-in'; staff: StaffIdentity; setCookie: string }
  | { status: 'invalid' }
  | { status: 'rate-limited'; retryAfterSeconds: number }

/**
 * Checks a sign-in attempt. The answer and (roughly) the time taken are the same whether the address has an
 * account or not; after too many failures even the right password is refused until the window has passed.
 */
export async function login(input: { email: string; password: string; ip: string | null }): Promise<LoginResult> {
  const email = normalizeEmail(input.email)
  const checks = await Promise.all([
    peekRateLimit(loginLimits.email, email),
    input.ip ? peekRateLimit(loginLimits.ip, input.ip) : null,
  ])
  const refused = checks.filter((check) => check !== null && !check.allowed)
  if (refused.length > 0) {
    logger.info({ limits: refused.length }, 'sign-in refused by rate limit')
    return { status: 'rate-limited', retryAfterSeconds: Math.max(...refused.map((check) => check?.retryAfterSeconds ?? 0)) }
  }
  const user = await findStaffForLogin(email)
  const valid =
    user?.status === 'ACTIVE' && user.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password)
  if (!user || !valid) {
    await Promise.all([consumeRateLimit(loginLimits.email, email), input.ip ? consumeRateLimit(loginLimits.ip, input.ip) : null])
    logger.info({ userId: user?.id ?? null }, 'sign-in failed')
    return { status: 'invalid' }
  }
  await resetRateLimit(loginLimits.email, email)
  const staff: StaffIdentity = { id: user.id, email: user.email, name: user.name, role: user.role }
  return { status: 'signed-in', staff, setCookie: await signIn(staff) }
}
