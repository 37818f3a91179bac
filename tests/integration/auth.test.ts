// Signing in and out against the production server: sessions in cookies backed by rows, wrong passwords, the
// login rate limit, login CSRF, local-only redirects, and where anonymous visitors of /admin are sent.
import { describe, expect, inject, it } from 'vitest'
import { cookieHeader, openForm, TEST_PASSWORD } from '#tests/helpers/staff.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { programActor } from '~/models/audit.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'
import { safeRedirect } from '~/utils/auth.server.ts'
import { prisma } from '~/utils/db.server.ts'

const { appUrl } = inject('testContext')

/** A client address of its own per test, so that the per-address limit of one test never touches another. */
function someIp(): string {
  const byte = () => Math.floor(Math.random() * 250) + 1
  return `10.${byte()}.${byte()}.${byte()}`
}

async function newStaff(label: string) {
  return createStaffUser({ email: uniqueAddress(label), name: 'Claire Martin', password: TEST_PASSWORD, role: 'EDITOR' }, programActor('test'))
}

/** Submits the sign-in form as a browser would, after opening it. */
async function submitLogin(fields: { email: string; password: string; redirectTo?: string }, options: { ip?: string; csrf?: 'omit'; origin?: string } = {}) {
  const form = await openForm('/login')
  const body = new URLSearchParams({ email: fields.email, password: fields.password, redirectTo: fields.redirectTo ?? '/admin' })
  if (options.csrf !== 'omit') body.set('csrf', form.csrfToken)
  const response = await fetch(`${appUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: form.cookie,
      Origin: options.origin ?? appUrl,
      'X-Forwarded-For': options.ip ?? someIp(),
    },
  })
  const sessionCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('relais_session='))
  return { response, sessionCookie, cookie: cookieHeader(sessionCookie, ...form.cookie.split('; ')) }
}

describe('sign-in and sign-out', () => {
  it('signs in with the right password, shows the dashboard, and signs out with a POST only', async () => {
    const user = await newStaff('login-ok')
    const form = await openForm('/login')
    expect(form.status).toBe(200)
    expect(form.html).toContain('Connexion à l’espace équipe')
    expect(form.html).toMatch(/<label for="[^"]+">Adresse électronique<\/label>/)

    // Case and spaces in the typed address do not matter.
    const { response, sessionCookie } = await submitLogin({ email: `  ${user.email.toUpperCase()} `, password: TEST_PASSWORD })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/admin')
    expect(sessionCookie).toMatch(/HttpOnly/i)
    expect(sessionCookie).toMatch(/SameSite=Lax/i)
    expect(sessionCookie).toMatch(/Path=\//)
    // The tests serve the production build over http: a Secure cookie would never come back.
    expect(sessionCookie).not.toMatch(/Secure/i)
    const cookie = cookieHeader(sessionCookie)

    const dashboard = await fetch(`${appUrl}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(dashboard.status).toBe(200)
    const html = await dashboard.text()
    expect(html).toContain('<h1>Tableau de bord</h1>')
    expect(html).toContain('Connecté·e en tant que Claire Martin')
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(1)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeInstanceOf(Date)

    // A GET to /logout (a link, an image tag on another site) changes nothing.
    const get = await fetch(`${appUrl}/logout`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(get.status).toBe(302)
    expect((await fetch(`${appUrl}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(200)

    const page = await fetch(`${appUrl}/admin`, { headers: { Cookie: cookie } })
    const csrfToken = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
    const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('relais_csrf='))
    const withCsrf = cookieHeader(sessionCookie, csrfCookie)
    const logout = await fetch(`${appUrl}/logout`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ csrf: csrfToken }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: withCsrf, Origin: appUrl },
    })
    expect(logout.status).toBe(302)
    expect(logout.headers.get('location')).toBe('/login')
    expect(logout.headers.getSetCookie().find((c) => c.startsWith('relais_session='))).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/)
    // The row is gone, so even the old cookie (kept by a thief) no longer works, in any web process.
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(0)
    const after = await fetch(`${appUrl}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toBe('/login?redirectTo=%2Fadmin')

    const actions = await prisma.auditLog.findMany({ where: { entityType: 'StaffUser', entityId: String(user.id) }, select: { action: true, actorId: true } })
    expect(actions).toEqual(expect.arrayContaining([{ action: 'auth.login', actorId: user.id }, { action: 'auth.logout', actorId: user.id }]))
  })

  it('refuses a wrong password or an unknown address with the same French message and no session', async () => {
    const user = await newStaff('login-wrong')
    const wrong = await submitLogin({ email: user.email, password: 'pas le bon mot de passe' })
    const unknown = await submitLogin({ email: uniqueAddress('nobody'), password: 'pas le bon mot de passe' })
    for (const { response, sessionCookie } of [wrong, unknown]) {
      expect(response.status).toBe(400)
      expect(sessionCookie).toBeUndefined()
      const html = await response.text()
      expect(html).toContain('Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie et réessayez.')
      expect(html).not.toContain('pas le bon mot de passe')
    }
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(0)
  })

  it('refuses even the right password after five failures for an address, saying how long to wait', async () => {
    const user = await newStaff('login-limit')
    for (let attempt = 1; attempt <= 5; attempt++) {
      const { response } = await submitLogin({ email: user.email, password: `mauvais ${attempt}` })
      expect(response.status).toBe(400)
    }
    const sixth = await submitLogin({ email: user.email, password: TEST_PASSWORD })
    expect(sixth.response.status).toBe(429)
    expect(sixth.sessionCookie).toBeUndefined()
    expect(Number(sixth.response.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await sixth.response.text()).toMatch(/Trop de tentatives de connexion\. Par sécurité, attendez 1[45] minutes avant de réessayer\./)
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(0)

    // An address without an account gets exactly the same treatment.
    const nobody = uniqueAddress('nobody-limit')
    for (let attempt = 1; attempt <= 5; attempt++) await submitLogin({ email: nobody, password: `mauvais ${attempt}` })
    const refused = await submitLogin({ email: nobody, password: 'mauvais 6' })
    expect(refused.response.status).toBe(429)
  })

  it('refuses a client address after twenty failures, whatever the account', async () => {
    const ip = someIp()
    for (let attempt = 1; attempt <= 20; attempt++) {
      const { response } = await submitLogin({ email: uniqueAddress('spray'), password: 'mauvais' }, { ip })
      expect(response.status).toBe(400)
    }
    const user = await newStaff('login-ip')
    const refused = await submitLogin({ email: user.email, password: TEST_PASSWORD }, { ip })
    expect(refused.response.status).toBe(429)
    expect(await refused.response.text()).toContain('Trop de tentatives de connexion')
    // The same account from another address is not affected.
    expect((await submitLogin({ email: user.email, password: TEST_PASSWORD })).response.status).toBe(302)
  })

  it('resists login CSRF: a sign-in without the form’s token is refused with 403', async () => {
    const user = await newStaff('login-csrf')
    const { response, sessionCookie } = await submitLogin({ email: user.email, password: TEST_PASSWORD }, { csrf: 'omit' })
    expect(response.status).toBe(403)
    expect(sessionCookie).toBeUndefined()
    expect(await response.text()).toContain('Action refusée : ce formulaire ne vient pas d’une page de Relais ou il a expiré.')
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(0)
  })

  it('answers a sign-in posted from another site with 403 and a French sentence', async () => {
    const user = await newStaff('login-cross-site')
    const { response, sessionCookie } = await submitLogin({ email: user.email, password: TEST_PASSWORD }, { origin: 'https://attaquant.example' })
    expect(response.status).toBe(403)
    expect(sessionCookie).toBeUndefined()
    expect(await response.text()).toContain('Action refusée : ce formulaire ne vient pas d’une page de Relais ou il a expiré.')
    expect(await prisma.staffSession.count({ where: { userId: user.id } })).toBe(0)
  })

  it('goes back only to a local page after signing in', async () => {
    const user = await newStaff('login-redirect')
    const local = await submitLogin({ email: user.email, password: TEST_PASSWORD, redirectTo: '/admin/audit?avant=5' })
    expect(local.response.headers.get('location')).toBe('/admin/audit?avant=5')
    for (const target of ['https://attaquant.example/', '//attaquant.example', '/\\attaquant.example']) {
      const { response } = await submitLogin({ email: user.email, password: TEST_PASSWORD, redirectTo: target })
      expect(response.headers.get('location')).toBe('/admin')
    }
    expect(safeRedirect('/\t/attaquant.example')).toBe('/admin')
    expect(safeRedirect(null)).toBe('/admin')

    // Already signed in: the sign-in page sends on to the (local) page asked for.
    const again = await fetch(`${appUrl}/login?redirectTo=${encodeURIComponent('//attaquant.example')}`, { headers: { Cookie: local.cookie }, redirect: 'manual' })
    expect(again.headers.get('location')).toBe('/admin')
  })

  it('sends anonymous visitors of the staff area to the sign-in page, remembering where they were going', async () => {
    for (const path of ['/admin', '/admin/staff', '/admin/audit?avant=10']) {
      const response = await fetch(`${appUrl}${path}`, { redirect: 'manual' })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
    }
    const form = await openForm(`/login?redirectTo=${encodeURIComponent('/admin/staff')}`)
    expect(form.html).toContain('name="redirectTo" value="/admin/staff"')
  })
})
