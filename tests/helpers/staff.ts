// Staff accounts for tests: a user made straight in the database with a signed-in session cookie and a CSRF token
// (no trip through the sign-in form, so login rate limits never interfere), and fetch helpers that send them.
import { inject } from 'vitest'
import { programActor } from '~/models/audit.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'
import { signIn } from '~/utils/auth.server.ts'
import { getCsrfToken } from '~/utils/csrf.server.ts'
import { uniqueAddress } from './mailbox.ts'

export interface TestStaff {
  id: number
  email: string
  name: string
  role: 'ADMIN' | 'EDITOR'
  password: string
  /** Cookie header value: the session and the CSRF cookie. */
  cookie: string
  /** The value the CSRF cookie holds, to send as the `csrf` form field. */
  csrfToken: string
}

export const TEST_PASSWORD = 'un mot de passe de test assez long'

/** The `name=value` part of Set-Cookie headers, joined for a Cookie request header. */
export function cookieHeader(...setCookies: (string | null | undefined)[]): string {
  return setCookies
    .filter((value): value is string => Boolean(value))
    .map((value) => value.split(';')[0])
    .join('; ')
}

/** A fresh staff member, signed in. */
export async function createTestStaff(role: 'ADMIN' | 'EDITOR' = 'EDITOR', options: { label?: string; name?: string } = {}): Promise<TestStaff> {
  const email = uniqueAddress(options.label ?? role.toLowerCase())
  const name = options.name ?? (role === 'ADMIN' ? 'Admin de test' : 'Éditrice de test')
  const user = await createStaffUser({ email, name, password: TEST_PASSWORD, role }, programActor('test'))
  const session = await signIn(user)
  const csrf = await getCsrfToken(new Request('http://localhost/'))
  return { id: user.id, email, name, role, password: TEST_PASSWORD, cookie: cookieHeader(session, csrf.setCookie), csrfToken: csrf.token }
}

function appUrl(): string {
  return inject('testContext').appUrl
}

/** GET as this staff member (or anonymously with `null`); redirects are returned, not followed. */
export function staffGet(staff: TestStaff | null, path: string): Promise<Response> {
  return fetch(`${appUrl()}${path}`, { redirect: 'manual', headers: staff ? { Cookie: staff.cookie } : {} })
}

/**
 * A form POST as a browser on our own page would send it: the CSRF field and a same-origin Origin header. Pass
 * `csrf: null` to leave the field out, `origin` to pretend to come from another site.
 */
export function staffPost(
  staff: TestStaff | null,
  path: string,
  fields: Record<string, string>,
  options: { csrf?: string | null; origin?: string | null } = {},
): Promise<Response> {
  const csrf = options.csrf === undefined ? staff?.csrfToken : options.csrf
  const body = new URLSearchParams({ ...fields, ...(csrf ? { csrf } : {}) })
  const origin = options.origin === undefined ? appUrl() : options.origin
  return fetch(`${appUrl()}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(staff ? { Cookie: staff.cookie } : {}),
      ...(origin ? { Origin: origin } : {}),
    },
  })
}

/** Opens a page that carries a form and returns its cookies and the CSRF token in its hidden field. */
export async function openForm(path: string): Promise<{ cookie: string; csrfToken: string; html: string; status: number }> {
  const response = await fetch(`${appUrl()}${path}`, { redirect: 'manual' })
  const html = await response.text()
  const csrfToken = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  return { cookie: cookieHeader(...response.headers.getSetCookie()), csrfToken, html, status: response.status }
}
