// Owns CSRF protection for staff actions and the sign-in forms: a random token in a signed cookie that each form
// echoes in a hidden field (double submit), plus a check that the browser says the request comes from our origin.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createCookie, type Cookie } from '@remix-run/node'
import type { RequestHandler } from 'express'
import { CSRF_FIELD } from '~/components/csrf-input.tsx'
import { getEnv } from './env.server.ts'
import { i18next } from './i18n.server.ts'
import { logger } from './logger.server.ts'
import { secureCookies } from './session.server.ts'

export { CSRF_FIELD }
/** Header a script may send instead of the field, for requests whose body is not a form (JSON). */
export const CSRF_HEADER = 'X-CSRF-Token'

let cookie: Cookie | undefined

// Signed, so that a sibling sub-domain that can set cookies for ours still cannot plant a token it knows.
function csrfCookie(): Cookie {
  cookie ??= createCookie('relais_csrf', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies(),
    secrets: [getEnv().SESSION_SECRET],
    maxAge: 60 * 60 * 24 * 30,
  })
  return cookie
}

async function tokenFromCookie(request: Request): Promise<string | null> {
  const value: unknown = await csrfCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length >= 32 ? value : null
}

/**
 * The browser's token, made on its first visit: render it with <CsrfInput /> and send `setCookie` (when not
 * null) with the page.
 */
export async function getCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await tokenFromCookie(request)
  if (existing) return { token: existing, setCookie: null }
  const token = randomBytes(32).toString('base64url')
  return { token, setCookie: await csrfCookie().serialize(token) }
}

export type CsrfFailure = 'cross-site' | 'missing-token' | 'bad-token'

/**
 * Whether the browser says the request comes from another site. `ownOrigin` is the address the request reached;
 * the public APP_URL is accepted too (behind a proxy that does not say it terminated https).
 */
function isCrossSite(header: (name: string) => string | null | undefined, ownOrigin: string): boolean {
  // Sent by every current browser and impossible for a page to forge: when present it decides alone (a page with a
  // strict referrer policy sends `Origin: null` with its own forms). Anything but our own origin, or a typed
  // address ("none"), is refused.
  const fetchSite = header('Sec-Fetch-Site')
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none'
  const origin = header('Origin')
  return Boolean(origin) && origin !== ownOrigin && origin !== new URL(getEnv().APP_URL).origin
}

function crossSite(request: Request): boolean {
  return isCrossSite((name) => request.headers.get(name), new URL(request.url).origin)
}

/**
 * Express middleware for app/server.ts, before the Remix handler. Remix 2.17 aborts a document POST whose Origin
 * differs from its Host with a bare 500 before any route runs; this answers such cross-site writes (and those
 * Sec-Fetch-Site reports) with 403 and a sentence instead. The JSON API (/api/) handles cross-origin calls itself.
 */
export const refuseCrossSiteWrites: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.path.startsWith('/api/')) return next()
  // RFC 8058: mail clients POST List-Unsubscribe=One-Click to /u/<token> from anywhere; the signed token is the
  // only credential there (a resource route, so Remix's own origin check does not apply either).
  if (req.path.startsWith('/u/')) return next()
  // The public sign-up form: partners' sites post the plain HTML snippet to it. No session stands behind it to
  // protect (the proof-of-work, rate limits and double opt-in do the guarding). Remix would abort such a document
  // POST (Origin ≠ Host) with a bare 500, so the Origin header is dropped for this exact path only.
  if (req.path === '/newsletters' || req.path === '/newsletters/') {
    delete req.headers.origin
    return next()
  }
  const host = req.get('X-Forwarded-Host')?.split(',')[0]?.trim() || req.get('Host') || 'localhost'
  const ownOrigin = `${req.protocol}://${host}`
  if (!isCrossSite((name) => req.get(name), ownOrigin)) return next()
  logger.warn({ reason: 'cross-site', path: req.path }, 'request refused by the CSRF checks')
  // The sentence follows the visitor's language (cookie, then Accept-Language), like the pages.
  const request = new Request('http://localhost/', { headers: { Cookie: req.get('Cookie') ?? '', 'Accept-Language': req.get('Accept-Language') ?? '' } })
  csrfRejectionMessage(request)
    .then((message) => res.status(403).type('text/plain; charset=utf-8').send(message))
    .catch(next)
}

function isFormBody(request: Request): boolean {
  const type = request.headers.get('Content-Type') ?? ''
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
}

async function submittedToken(request: Request, formData?: FormData): Promise<string | null> {
  const header = request.headers.get(CSRF_HEADER)
  if (header) return header
  if (formData) return stringOrNull(formData.get(CSRF_FIELD))
  if (!isFormBody(request)) return null
  if (request.bodyUsed) {
    throw new Error('CSRF check after the body was read: call requireStaff/requireCsrf before request.formData()')
  }
  return stringOrNull((await request.clone().formData()).get(CSRF_FIELD))
}

function stringOrNull(value: FormDataEntryValue | null): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Why the request fails the CSRF checks, or null when it passes. Pass the form data if already read. */
export async function checkCsrf(request: Request, formData?: FormData): Promise<CsrfFailure | null> {
  if (crossSite(request)) return 'cross-site'
  const expected = await tokenFromCookie(request)
  const submitted = await submittedToken(request, formData)
  if (!expected || !submitted) return 'missing-token'
  return sameToken(expected, submitted) ? null : 'bad-token'
}

/** The French (or English) sentence shown when a form is refused for CSRF reasons. */
export async function csrfRejectionMessage(request: Request): Promise<string> {
  const t = await i18next.getFixedT(request)
  return t('auth.csrfRejected')
}

/** Throws a 403 response with a sentence saying what to do when the request fails the CSRF checks. */
export async function requireCsrf(request: Request, formData?: FormData): Promise<void> {
  const failure = await checkCsrf(request, formData)
  if (!failure) return
  logger.warn({ reason: failure, path: new URL(request.url).pathname }, 'request refused by the CSRF checks')
  throw new Response(await csrfRejectionMessage(request), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
