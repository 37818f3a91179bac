// `npm run cli -- user:create`, run as the real program: creates an admin who can sign in, and refuses bad input
// with a French sentence and a non-zero exit code.
import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { projectRoot } from '#tests/helpers/processes.ts'
import { cookieHeader, openForm } from '#tests/helpers/staff.ts'
import { envFor } from '#tests/helpers/test-env.ts'
import { prisma } from '~/utils/db.server.ts'

const context = inject('testContext')

function runCli(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/index.ts', ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...envFor(context) },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input ?? '')
  })
}

async function signInStatus(email: string, password: string): Promise<{ status: number; location: string | null }> {
  const form = await openForm('/login')
  const response = await fetch(`${context.appUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ email, password, csrf: form.csrfToken, redirectTo: '/admin' }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(...form.cookie.split('; ')), Origin: context.appUrl },
  })
  return { status: response.status, location: response.headers.get('location') }
}

describe('npm run cli -- user:create', () => {
  it('creates an active admin who can sign in, audited as done by the CLI', async () => {
    const email = uniqueAddress('cli-admin')
    const result = await runCli(['user:create', '--email', email, '--password', 'mot de passe du premier admin', '--role', 'admin', '--name', 'Camille Première'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^Compte créé : ${email.replace(/[.+]/g, '\\$&')} \\(Administrateur, n° \\d+\\)\\. Connexion sur ${context.appUrl}/login\\n$`))

    const user = await prisma.staffUser.findUniqueOrThrow({ where: { email } })
    expect(user).toMatchObject({ role: 'ADMIN', status: 'ACTIVE', name: 'Camille Première' })
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityType: 'StaffUser', entityId: String(user.id), action: 'staff.create' } })
    expect(audit).toMatchObject({ actorId: null, actorLabel: 'cli' })
    expect(JSON.stringify(audit.data)).not.toContain('mot de passe')

    expect(await signInStatus(email, 'mot de passe du premier admin')).toEqual({ status: 302, location: '/admin' })
  })

  it('reads the password from standard input with --password-stdin', async () => {
    const email = uniqueAddress('cli-stdin')
    const result = await runCli(['user:create', '--email', email, '--password-stdin', '--role', 'editor'], 'un mot de passe venu de stdin\n')
    expect(result.code).toBe(0)
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { email } })).role).toBe('EDITOR')
    expect((await signInStatus(email, 'un mot de passe venu de stdin')).status).toBe(302)
  })

  it('refuses a bad address, a short password and a taken address in French, with exit code 1 and nothing created', async () => {
    const badEmail = await runCli(['user:create', '--email', 'pas-une-adresse', '--password', 'mot de passe assez long', '--role', 'admin'])
    expect(badEmail.code).toBe(1)
    expect(badEmail.stderr).toContain('Compte non créé : Saisissez une adresse électronique valide')
    expect(await prisma.staffUser.count({ where: { email: 'pas-une-adresse' } })).toBe(0)

    const email = uniqueAddress('cli-short')
    const short = await runCli(['user:create', '--email', email, '--password', 'court', '--role', 'admin'])
    expect(short.code).toBe(1)
    expect(short.stderr).toContain('Compte non créé : Le mot de passe doit compter au moins 12 caractères.')
    expect(await prisma.staffUser.count({ where: { email } })).toBe(0)

    const taken = uniqueAddress('cli-taken')
    expect((await runCli(['user:create', '--email', taken, '--password', 'mot de passe assez long', '--role', 'editor'])).code).toBe(0)
    const again = await runCli(['user:create', '--email', taken, '--password', 'mot de passe assez long', '--role', 'admin'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Un compte d’équipe existe déjà pour cette adresse.')
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { email: taken } })).role).toBe('EDITOR')
  })

  it('explains wrong usage with exit code 2', async () => {
    const missing = await runCli(['user:create', '--email', uniqueAddress('cli-usage'), '--password', 'mot de passe assez long'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('Option manquante : --role.')
    expect(missing.stderr).toContain('Usage : npm run cli -- user:create')

    const badRole = await runCli(['user:create', '--email', uniqueAddress('cli-role'), '--password', 'mot de passe assez long', '--role', 'chef'])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toContain('Rôle inconnu : « chef ». Choisissez admin ou editor.')

    const unknown = await runCli(['user:delete'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Commande inconnue : « user:delete ».')

    const typo = await runCli(['user:create', '--mail', 'x@y.fr'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('Option invalide')
  })
})
