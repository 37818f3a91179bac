// The team page and its rules against the production server: admin-only pages, CSRF on every staff action,
// invitations (email, hashed single-use token, password chosen by the invitee), disabling, roles, the audit log.
import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeQueues, getQueue } from '#jobs/queues.ts'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { cookieHeader, createTestStaff, openForm, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { envFor } from '#tests/helpers/test-env.ts'
import { recordAudit } from '~/models/audit.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'

const context = inject('testContext')
const { appUrl } = context
let admin: TestStaff
let worker: RunningProcess | undefined

beforeAll(async () => {
  admin = await createTestStaff('ADMIN', { name: 'Amandine Admin' })
})

afterAll(async () => {
  await worker?.stop()
  await closeQueues()
})

async function auditOf(userId: number) {
  return prisma.auditLog.findMany({ where: { entityType: 'StaffUser', entityId: String(userId) }, orderBy: { id: 'asc' } })
}

describe('roles', () => {
  it('gives editors a 403 on the team and audit pages, and hides them from their navigation', async () => {
    const editor = await createTestStaff('EDITOR')
    for (const path of ['/admin/staff', '/admin/audit']) {
      const response = await staffGet(editor, path)
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('Cette page est réservée aux administrateurs.')
      expect((await staffGet(admin, path)).status).toBe(200)
    }
    const editorHome = await (await staffGet(editor, '/admin')).text()
    expect(editorHome).not.toContain('href="/admin/staff"')
    expect(editorHome).toContain('href="/admin/campaigns"')
    expect(await (await staffGet(admin, '/admin')).text()).toContain('href="/admin/staff"')
    // An editor cannot act on the team either, even with a valid token.
    const target = await createTestStaff('EDITOR')
    expect((await staffPost(editor, '/admin/staff', { intent: 'disable', userId: String(target.id) })).status).toBe(403)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('ACTIVE')
  })

  it('shows sections still to come inside the staff shell, and a 404 for unknown staff pages', async () => {
    const editor = await createTestStaff('EDITOR')
    const events = await staffGet(editor, '/admin/events')
    expect(events.status).toBe(200)
    expect(await events.text()).toContain('Nouvel événement')
    expect((await staffGet(editor, '/admin/nulle-part')).status).toBe(404)
    expect((await staffGet(null, '/admin/events')).status).toBe(302)
  })
})

describe('CSRF on staff actions', () => {
  it('refuses a POST without the token, with a wrong token, or that the browser marks cross-site, and changes nothing', async () => {
    const target = await createTestStaff('EDITOR')
    const fields = { intent: 'disable', userId: String(target.id) }
    const attempts = [
      await staffPost(admin, '/admin/staff', fields, { csrf: null }),
      await staffPost(admin, '/admin/staff', fields, { csrf: `${admin.csrfToken.slice(0, -2)}xx` }),
      await staffPost(admin, '/admin/staff', fields, { origin: null, csrf: null }),
      // Sec-Fetch-Site alone is enough (a browser that sends no Origin on this request).
      await fetch(`${appUrl}/admin/staff`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ ...fields, csrf: admin.csrfToken }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: admin.cookie, 'Sec-Fetch-Site': 'cross-site' },
      }),
    ]
    for (const response of attempts) {
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('Action refusée : ce formulaire ne vient pas d’une page de Relais ou il a expiré. Rechargez la page, puis recommencez.')
    }
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('ACTIVE')
    expect((await auditOf(target.id)).map((entry) => entry.action)).not.toContain('staff.disable')
    // The same request from our own page goes through.
    expect((await staffPost(admin, '/admin/staff', fields)).status).toBe(200)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('DISABLED')
  })

  it('answers a cross-site form POST with 403 and a French sentence, and changes nothing', async () => {
    const target = await createTestStaff('EDITOR')
    const crossSite = await staffPost(admin, '/admin/staff', { intent: 'disable', userId: String(target.id) }, { origin: 'https://attaquant.example' })
    expect(crossSite.status).toBe(403)
    expect(await crossSite.text()).toContain('Action refusée : ce formulaire ne vient pas d’une page de Relais ou il a expiré.')
    // The same through the data request a script on another site would make (single fetch).
    expect((await staffPost(admin, '/admin/staff.data', { intent: 'disable', userId: String(target.id) }, { origin: 'https://attaquant.example' })).status).toBe(403)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('ACTIVE')
    // Signing out is a staff action too.
    expect((await staffPost(target, '/logout', {}, { origin: 'https://attaquant.example' })).status).toBe(403)
    expect((await staffGet(target, '/admin')).status).toBe(200)
  })
})

describe('invitations', () => {
  it('invites by email with a role; the invitee chooses a password, is signed in, and the link works once', async () => {
    // Logs on (info): if the invitation never arrives, the failure below shows what the worker did.
    worker = startProcess('jobs/worker.ts', { ...envFor(context), LOG_LEVEL: 'info' })
    const heartbeat = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
    await waitFor(async () => (await redis.exists(heartbeat)) === 1, 30_000, `worker heartbeat (${worker.output()})`)

    const email = uniqueAddress('invitee')
    const invited = await staffPost(admin, '/admin/staff', { intent: 'invite', email: email.toUpperCase(), name: 'Inès Invitée', role: 'EDITOR' })
    expect(invited.status).toBe(200)
    const page = await invited.text()
    expect(page).toContain(`Invitation envoyée à ${email}`)
    // The admin sees the link once, to pass it on if the email does not arrive.
    const acceptUrl = /id="invitation-link"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? ''
    expect(acceptUrl).toMatch(new RegExp(`^${appUrl}/invitation/[A-Za-z0-9_-]{43}$`))
    const token = acceptUrl.split('/').at(-1)!

    const invitee = await prisma.staffUser.findUniqueOrThrow({ where: { email } })
    expect(invitee).toMatchObject({ status: 'INVITED', role: 'EDITOR', passwordHash: null })
    expect(invitee.inviteTokenHash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(invitee.inviteExpiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000)
    // The staff list shows the invitation without the link.
    expect(await (await staffGet(admin, '/admin/staff')).text()).not.toContain(token)

    const [mail] = await waitForMessages(email).catch(async (error: unknown) => {
      const row = await prisma.outboundEmail.findFirst({ where: { toAddress: email } })
      const jobs = await getQueue('email').getJobCounts()
      throw new Error(`${String(error)}\noutbound row: ${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\nemail queue: ${JSON.stringify(jobs)}\nworker output (end):\n${worker!.output().slice(-4000)}`)
    })
    expect(mail!.parsed.subject).toMatch(/^Amandine Admin vous invite à rejoindre l’espace équipe de /)
    expect(mail!.parsed.text).toContain(acceptUrl)
    expect(mail!.parsed.html).toContain(`href="${acceptUrl}"`)

    const path = new URL(acceptUrl).pathname
    const form = await openForm(path)
    expect(form.status).toBe(200)
    expect(form.html).toContain('Rejoindre l’espace équipe')
    // The token is in the address: the page keeps it from other sites (same-origin, so its own form still carries an Origin).
    expect(form.html).toContain('<meta name="referrer" content="same-origin"')
    const submit = (fields: Record<string, string>) =>
      fetch(`${appUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ csrf: form.csrfToken, ...fields }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: form.cookie, Origin: appUrl },
      })

    const mismatch = await submit({ name: 'Inès Invitée', password: 'un mot de passe tout neuf', confirmPassword: 'un autre mot de passe' })
    expect(mismatch.status).toBe(400)
    expect(await mismatch.text()).toContain('Les deux mots de passe ne sont pas identiques.')
    const short = await submit({ name: 'Inès Invitée', password: 'court', confirmPassword: 'court' })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('Le mot de passe doit compter au moins 12 caractères.')

    const accepted = await submit({ name: 'Inès Nouvelle', password: 'un mot de passe tout neuf', confirmPassword: 'un mot de passe tout neuf' })
    expect(accepted.status).toBe(302)
    expect(accepted.headers.get('location')).toBe('/admin')
    const session = cookieHeader(accepted.headers.getSetCookie().find((c) => c.startsWith('relais_session=')))
    const dashboard = await fetch(`${appUrl}/admin`, { headers: { Cookie: session }, redirect: 'manual' })
    expect(dashboard.status).toBe(200)
    expect(await dashboard.text()).toContain('Connecté·e en tant que Inès Nouvelle')
    const active = await prisma.staffUser.findUniqueOrThrow({ where: { email } })
    expect(active).toMatchObject({ status: 'ACTIVE', name: 'Inès Nouvelle', inviteTokenHash: null, inviteExpiresAt: null })
    expect(active.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)

    // Single use: the page now says the link is spent, and posting to it changes nothing.
    const reused = await fetch(acceptUrl)
    expect(reused.status).toBe(404)
    expect(await reused.text()).toContain('Invitation expirée ou déjà utilisée')
    expect((await submit({ name: 'Pirate', password: 'un mot de passe pirate', confirmPassword: 'un mot de passe pirate' })).status).toBe(400)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { email } })).name).toBe('Inès Nouvelle')

    const actions = (await auditOf(invitee.id)).map((entry) => [entry.action, entry.actorId])
    expect(actions).toEqual([
      ['staff.invite', admin.id],
      ['staff.invitation.accept', invitee.id],
      ['auth.login', invitee.id],
    ])
    // Never a token or a password in the log.
    const logged = JSON.stringify((await auditOf(invitee.id)).map((entry) => entry.data))
    expect(logged).not.toContain(token)
    expect(logged).not.toContain('un mot de passe tout neuf')
  })

  it('refuses an expired invitation link and an address that already has an account', async () => {
    const email = uniqueAddress('expired')
    const page = await (await staffPost(admin, '/admin/staff', { intent: 'invite', email, name: 'Paul Tard', role: 'ADMIN' })).text()
    const path = new URL(/id="invitation-link"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? 'http://x/').pathname
    await prisma.staffUser.update({ where: { email }, data: { inviteExpiresAt: new Date(Date.now() - 1000) } })
    expect((await fetch(`${appUrl}${path}`)).status).toBe(404)

    const taken = await staffPost(admin, '/admin/staff', { intent: 'invite', email: admin.email, name: 'Doublon', role: 'EDITOR' })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain('Un compte d’équipe existe déjà pour cette adresse.')
    const invalid = await staffPost(admin, '/admin/staff', { intent: 'invite', email: 'pas-une-adresse', name: '', role: 'EDITOR' })
    expect(invalid.status).toBe(400)
    const html = await invalid.text()
    expect(html).toContain('Saisissez une adresse électronique valide')
    expect(html).toContain('Saisissez un nom.')
    expect(html).toMatch(/aria-invalid="true"[^>]*aria-describedby="[^"]*-error"|aria-describedby="[^"]*-error"[^>]*aria-invalid="true"/)
  })
})

describe('team changes', () => {
  it('disables (ending sessions), enables and changes roles, each audited; an admin cannot change their own account', async () => {
    const member = await createTestStaff('EDITOR')
    expect((await staffGet(member, '/admin')).status).toBe(200)

    const disabled = await staffPost(admin, '/admin/staff', { intent: 'disable', userId: String(member.id) })
    expect(disabled.status).toBe(200)
    expect(await disabled.text()).toContain('Compte désactivé : ses sessions ont été fermées.')
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).status).toBe('DISABLED')
    expect(await prisma.staffSession.count({ where: { userId: member.id } })).toBe(0)
    const bounced = await staffGet(member, '/admin')
    expect(bounced.status).toBe(302)
    expect(bounced.headers.get('location')).toBe('/login?redirectTo=%2Fadmin')

    expect((await staffPost(admin, '/admin/staff', { intent: 'enable', userId: String(member.id) })).status).toBe(200)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).status).toBe('ACTIVE')
    expect((await staffPost(admin, '/admin/staff', { intent: 'role', userId: String(member.id), role: 'ADMIN' })).status).toBe(200)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).role).toBe('ADMIN')

    const self = await staffPost(admin, '/admin/staff', { intent: 'disable', userId: String(admin.id) })
    expect(self.status).toBe(400)
    expect(await self.text()).toContain('Vous ne pouvez pas modifier votre propre compte depuis cette page')
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: admin.id } })).status).toBe('ACTIVE')

    const entries = (await auditOf(member.id)).filter((entry) => entry.actorId === admin.id)
    expect(entries.map((entry) => entry.action)).toEqual(['staff.disable', 'staff.enable', 'staff.role'])
    expect(entries[2]!.data).toEqual({ from: 'EDITOR', to: 'ADMIN' })
    expect(entries.every((entry) => entry.actorLabel === admin.email)).toBe(true)

    const journal = await (await staffGet(admin, `/admin/audit?entityType=StaffUser&entityId=${member.id}`)).text()
    expect(journal).toContain('Compte désactivé')
    expect(journal).toContain('Rôle modifié')
  })

  it('pages the audit log newest first, each entry once', async () => {
    const entityId = `pagination-${Date.now()}`
    for (let index = 0; index < 55; index++) {
      await recordAudit({ actorId: null, actorLabel: 'test', action: 'test.page', entityType: 'TestPagination', entityId, data: { index } })
    }
    const first = await (await staffGet(admin, `/admin/audit?entityType=TestPagination&entityId=${entityId}`)).text()
    const indexes = (html: string) => [...html.matchAll(/<td>index : (\d+)<\/td>/g)].map((match) => Number(match[1]))
    expect(indexes(first)).toEqual(Array.from({ length: 50 }, (_, i) => 54 - i))
    const older = /href="(\/admin\/audit\?[^"]*avant=\d+[^"]*)"/.exec(first)?.[1]?.replaceAll('&amp;', '&')
    expect(older).toBeDefined()
    const second = await (await staffGet(admin, older!)).text()
    expect(indexes(second)).toEqual([4, 3, 2, 1, 0])
    expect(second).not.toContain('Entrées plus anciennes')
  })
})
