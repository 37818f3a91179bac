// Retention: the dry run counts what the policy would do, nothing happens until an admin enables it, the task sends
// one re-permission email per inactive contact (read from the SMTP listener) and never twice, "je reste" keeps the
// contact, and a contact who does not answer within 30 days is erased. The clock moves through `now`, never by sleeping.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { closeQueues, getQueue } from '#jobs/queues.ts'
import { launchBrowser, newPage } from '#tests/helpers/browser.ts'
import { messagesTo, uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { envFor } from '#tests/helpers/test-env.ts'
import type { ContactStatus } from '~/generated/prisma/client.ts'
import { retentionDryRun, runRetention } from '~/models/retention.server.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { redis } from '~/utils/redis.server.ts'

// This file's jobs live under a prefix of their own, so that only the worker started here sends them.
const queuePrefix = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}rt`
  process.env.QUEUE_PREFIX = prefix
  return prefix
})

const context = inject('testContext')
const day = 24 * 60 * 60 * 1000
const yearsAgo = (years: number) => new Date(Date.now() - years * 366 * day)
let worker: RunningProcess
let admin: TestStaff
let editor: TestStaff
const people: Record<string, { id: number; email: string }> = {}

async function person(name: string, data: { status?: ContactStatus; locale?: string; createdAt?: Date; lastActivityAt?: Date; repermissionSentAt?: Date }) {
  const email = uniqueAddress(`ret-${name}`)
  const contact = await prisma.contact.create({ data: { email, createdAt: yearsAgo(4), ...data } })
  people[name] = { id: contact.id, email }
  return contact.id
}

const contactOf = (name: string) => prisma.contact.findUniqueOrThrow({ where: { id: people[name]!.id } })

/** Waits until the worker has taken every queued email of this file (sent or failed). */
async function emailQueueDrained(): Promise<void> {
  await waitFor(async () => {
    const counts = await getQueue('email').getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    return Object.values(counts).every((count) => count === 0)
  }, 20_000, 'the email queue to drain')
}

let baseline = { repermission: 0, erase: 0, waiting: 0 }

beforeAll(async () => {
  baseline = await retentionDryRun()
  admin = await createTestStaff('ADMIN', { label: 'ret-admin' })
  editor = await createTestStaff('EDITOR', { label: 'ret-editor' })
  await person('asked', {})
  await person('english', { locale: 'en' })
  await person('unsubscribed', { status: 'UNSUBSCRIBED' })
  await person('waiting', { repermissionSentAt: new Date(Date.now() - 10 * day) })
  await person('silent', { repermissionSentAt: new Date(Date.now() - 40 * day) })
  await person('recent', { lastActivityAt: yearsAgo(1) })
  // On the suppression list by hand: still ACTIVE, but never to be written to, so erased without an email.
  await person('suppressed', {})
  await suppressAddress({ email: people.suppressed!.email, reason: 'MANUAL' })
  const registered = await person('registered', {})
  const event = await prisma.event.create({
    data: { slug: `ret-${randomUUID()}`, kind: 'ONLINE', title: 'Webinaire', startsAt: yearsAgo(1), endsAt: yearsAgo(1), icalUid: `${randomUUID()}@test` },
  })
  await prisma.registration.create({
    data: { eventId: event.id, contactId: registered, email: people.registered!.email, firstName: 'R', lastName: 'R', status: 'CONFIRMED', token: randomUUID(), createdAt: yearsAgo(1) },
  })
  worker = startProcess('jobs/worker.ts', { ...envFor(context), QUEUE_PREFIX: queuePrefix })
  const key = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
  await waitFor(async () => (await redis.exists(key)) === 1, 30_000, `worker heartbeat (${worker.output()})`)
})

afterAll(async () => {
  // Retention stays off for the other test files that share this database.
  await prisma.organization.updateMany({ where: { id: 1 }, data: { retentionEnabledAt: null, retentionEnabledById: null } })
  await worker?.stop()
  for (const name of ['email', 'maintenance'] as const) await getQueue(name).obliterate({ force: true })
  await closeQueues()
})

describe('retention', () => {
  it('shows admins the dry-run counts first, and does nothing while it is off', async () => {
    const counts = await retentionDryRun()
    expect(counts).toEqual({ repermission: baseline.repermission + 2, erase: baseline.erase + 3, waiting: baseline.waiting + 1 })
    const page = await staffGet(admin, '/admin/retention')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`${counts.repermission} contacts recevraient un e-mail de re-permission ; ${counts.erase} seraient effacés.`)
    expect(html).toContain('La conservation automatique est désactivée')
    expect((await staffGet(editor, '/admin/retention')).status).toBe(403)

    expect(await runRetention()).toEqual({ sent: 0, erased: 0 })
    expect((await contactOf('asked')).repermissionSentAt).toBeNull()
    expect((await contactOf('silent')).status).toBe('ACTIVE')
  })

  it('once enabled, sends one re-permission email per inactive contact and never twice', async () => {
    expect((await staffPost(editor, '/admin/retention', { intent: 'enable' })).status).toBe(403)
    const enabled = await staffPost(admin, '/admin/retention', { intent: 'enable' })
    expect(enabled.status).toBe(200)
    expect(await prisma.auditLog.count({ where: { action: 'retention.enable', actorId: admin.id } })).toBe(1)

    const first = await runRetention()
    expect(first.sent).toBeGreaterThanOrEqual(2)
    const [french] = await waitForMessages(people.asked!.email)
    expect(french?.parsed.subject).toMatch(/^Souhaitez-vous continuer à recevoir les lettres/)
    expect(french?.parsed.text).toMatch(/\/stay\//)
    const [english] = await waitForMessages(people.english!.email)
    expect(english?.parsed.subject).toMatch(/^Do you want to keep receiving newsletters/)
    expect((await contactOf('asked')).repermissionSentAt).not.toBeNull()
    // Unreachable and unanswered contacts are erased; the others are left alone.
    expect((await contactOf('unsubscribed')).status).toBe('ERASED')
    expect((await contactOf('silent')).status).toBe('ERASED')
    expect((await contactOf('suppressed')).status).toBe('ERASED')
    expect(await prisma.suppression.count({ where: { emailHash: emailHash(people.silent!.email) } })).toBe(1)
    for (const name of ['waiting', 'recent', 'registered']) expect((await contactOf(name)).status).toBe('ACTIVE')
    expect(await messagesTo(people.recent!.email)).toHaveLength(0)
    expect(await messagesTo(people.waiting!.email)).toHaveLength(0)
    expect(await messagesTo(people.suppressed!.email)).toHaveLength(0)

    const second = await runRetention()
    expect(second).toEqual({ sent: 0, erased: 0 })
    await emailQueueDrained()
    expect(await messagesTo(people.asked!.email)).toHaveLength(1)
    expect(await prisma.outboundEmail.count({ where: { contactId: people.asked!.id, template: 'repermission' } })).toBe(1)

    const page = await (await staffGet(admin, '/admin/retention')).text()
    expect(page).toContain('Dernier passage le')
  })

  it('keeps a contact who clicks "je reste", and erases one who does not answer within 30 days', async () => {
    const [mail] = await messagesTo(people.asked!.email)
    const link = /https?:\/\/\S+\/stay\/[A-Za-z0-9._-]+/.exec(mail?.parsed.text ?? '')?.[0]
    expect(link).toBeDefined()
    const path = new URL(link ?? '').pathname

    const shown = await fetch(`${context.appUrl}${path}`)
    expect(shown.status).toBe(200)
    expect(await shown.text()).toContain('Je reste abonné·e')
    expect((await contactOf('asked')).repermissionSentAt).not.toBeNull()
    expect((await fetch(`${context.appUrl}${path.slice(0, -3)}abc`)).status).toBe(404)

    // The button, pressed in a real browser (its own form must pass the cross-site checks).
    const browser = await launchBrowser()
    try {
      const { page } = await newPage(browser)
      await page.goto(path)
      await page.getByRole('button', { name: 'Je reste abonné·e' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Vous restez abonné·e')
    } finally {
      await browser.close()
    }
    const asked = await contactOf('asked')
    expect(asked.repermissionSentAt).toBeNull()
    expect(asked.lastActivityAt?.getTime()).toBeGreaterThan(Date.now() - day)
    const consent = await prisma.consentRecord.findFirst({ where: { contactId: asked.id, action: 'CONFIRM', source: 'EMAIL_LINK' } })
    expect(consent?.sourceRef).toBe('repermission')

    // 31 days later: the English contact never answered, the one who stayed is active again.
    const later = new Date(Date.now() + 31 * day)
    const result = await runRetention(later)
    expect(result.erased).toBeGreaterThanOrEqual(2)
    expect((await contactOf('asked')).status).toBe('ACTIVE')
    const english = await contactOf('english')
    expect(english.status).toBe('ERASED')
    expect(english.email).toBeNull()
    expect(await prisma.suppression.findUnique({ where: { emailHash: emailHash(people.english!.email) } })).toMatchObject({ reason: 'ERASURE', email: null })
    expect((await contactOf('waiting')).status).toBe('ERASED')
    for (const name of ['recent', 'registered']) expect((await contactOf(name)).status).toBe('ACTIVE')
    // The link of an erased contact leads nowhere.
    const [englishMail] = await messagesTo(people.english!.email)
    const englishLink = /https?:\/\/\S+\/stay\/[A-Za-z0-9._-]+/.exec(englishMail?.parsed.text ?? '')?.[0] ?? ''
    expect((await fetch(`${context.appUrl}${new URL(englishLink).pathname}`)).status).toBe(404)
  })
})
