// Staff list pages against the production server: create and edit with audit rows, validation in French, slug
// clashes, archiving, counts by status, the 90-day growth figures, the embed snippets, and refused cross-site posts.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser, signedInPage } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { listPublicLists } from '~/models/list.server.ts'
import { prisma } from '~/utils/db.server.ts'

let editor: TestStaff
const tag = randomUUID().slice(0, 8)

function listFields(overrides: Record<string, string> = {}): Record<string, string> {
  return { intent: 'save', name: `Lettre test ${tag}`, slug: `lettre-test-${tag}`, description: 'Pour les tests', cadence: 'Chaque mois', isPublic: 'on', doubleOptIn: 'on', inArchive: 'on', sortOrder: '5', welcomeSubject: 'Bienvenue', welcomeBody: 'Premier paragraphe.\n\nSecond paragraphe.', ...overrides }
}

async function createListAsEditor(overrides: Record<string, string> = {}): Promise<number> {
  const response = await staffPost(editor, '/admin/lists/new', listFields(overrides))
  expect(response.status).toBe(302)
  const id = Number(/^\/admin\/lists\/(\d+)\?saved=1$/.exec(response.headers.get('location') ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  return id
}

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'lists-editor' })
})

describe('lists: create, edit, archive', () => {
  it('sends visitors without a session to the sign-in page', async () => {
    for (const path of ['/admin/lists', '/admin/lists/new', '/admin/lists/1']) {
      const response = await staffGet(null, path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/login\?redirectTo=/)
    }
  })

  it('lets an editor create a list, audited, and shows it with the embed snippets', async () => {
    const id = await createListAsEditor()
    const list = await prisma.mailingList.findUniqueOrThrow({ where: { id } })
    expect(list).toMatchObject({ name: `Lettre test ${tag}`, slug: `lettre-test-${tag}`, isPublic: true, doubleOptIn: true, inArchive: true, sortOrder: 5, cadence: 'Chaque mois' })
    expect(list.welcomeBody).toBe('Premier paragraphe.\n\nSecond paragraphe.')
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'list.create', entityType: 'MailingList', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)

    const html = await (await staffGet(editor, `/admin/lists/${id}?saved=1`)).text()
    expect(html).toContain('La liste a été créée.')
    expect(html).toContain(`/newsletters/embed?lists=lettre-test-${tag}`)
    expect(html).toContain('name=&quot;lists&quot; value=&quot;lettre-test-' + tag)
    expect(html).toContain('name=&quot;email&quot;')
    expect(await (await staffGet(editor, '/admin/lists')).text()).toContain(`href="/admin/lists/${id}"`)
  })

  it('refuses an invalid form with French errors, and a slug already taken', async () => {
    const invalid = await staffPost(editor, '/admin/lists/new', listFields({ name: '', slug: 'Pas Bon !' }))
    expect(invalid.status).toBe(400)
    const html = await invalid.text()
    expect(html).toContain('Indiquez le nom de la liste.')
    expect(html).toContain('Utilisez seulement des lettres minuscules')

    const slug = `double-${tag}`
    await createListAsEditor({ slug })
    const clash = await staffPost(editor, '/admin/lists/new', listFields({ slug }))
    expect(clash.status).toBe(400)
    expect(await clash.text()).toContain('Une autre liste utilise déjà cet identifiant')
    expect(await prisma.mailingList.count({ where: { slug } })).toBe(1)
  })

  it('saves edits with the changed fields in the audit entry, then archives and reactivates', async () => {
    const id = await createListAsEditor({ slug: `edit-${tag}` })
    const saved = await staffPost(editor, `/admin/lists/${id}`, listFields({ slug: `edit-${tag}`, name: `Renommée ${tag}`, doubleOptIn: '', isPublic: '' }))
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Les modifications ont été enregistrées.')
    const list = await prisma.mailingList.findUniqueOrThrow({ where: { id } })
    expect(list).toMatchObject({ name: `Renommée ${tag}`, doubleOptIn: false, isPublic: false })
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'list.update', entityId: String(id) } })
    expect(audit.actorId).toBe(editor.id)
    expect(audit.data).toMatchObject({ changes: { name: { from: `Lettre test ${tag}`, to: `Renommée ${tag}` }, doubleOptIn: { from: true, to: false } } })

    await staffPost(editor, `/admin/lists/${id}`, listFields({ slug: `edit-${tag}`, isPublic: 'on' }))
    expect((await listPublicLists()).map((row) => row.id)).toContain(id)
    const archived = await staffPost(editor, `/admin/lists/${id}`, { intent: 'archive' })
    expect(await archived.text()).toContain('La liste a été archivée.')
    expect((await prisma.mailingList.findUniqueOrThrow({ where: { id } })).archivedAt).not.toBeNull()
    expect((await listPublicLists()).map((row) => row.id)).not.toContain(id)
    await staffPost(editor, `/admin/lists/${id}`, { intent: 'unarchive' })
    expect((await prisma.mailingList.findUniqueOrThrow({ where: { id } })).archivedAt).toBeNull()
    const actions = (await prisma.auditLog.findMany({ where: { entityType: 'MailingList', entityId: String(id) }, orderBy: { id: 'asc' } })).map((row) => row.action)
    expect(actions).toEqual(['list.create', 'list.update', 'list.update', 'list.archive', 'list.unarchive'])
  })

  it('refuses a cross-site post and changes nothing', async () => {
    const slug = `cross-${tag}`
    const response = await staffPost(editor, '/admin/lists/new', listFields({ slug }), { origin: 'https://attaquant.example' })
    expect(response.status).toBe(403)
    expect(await prisma.mailingList.count({ where: { slug } })).toBe(0)
    expect((await staffPost(editor, '/admin/lists/new', listFields({ slug }), { csrf: null })).status).toBe(403)
    expect(await prisma.mailingList.count({ where: { slug } })).toBe(0)
  })

  it('answers an unknown list with 404', async () => {
    expect((await staffGet(editor, '/admin/lists/2000000000')).status).toBe(404)
    expect((await staffGet(editor, '/admin/lists/abc')).status).toBe(404)
  })
})

describe('lists: counts and growth', () => {
  it('counts subscriptions by status and shows confirmations per day', async () => {
    const id = await createListAsEditor({ slug: `counts-${tag}` })
    const statuses = ['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'PENDING', 'PENDING', 'UNSUBSCRIBED'] as const
    const now = new Date()
    const tenDaysAgo = new Date(now.getTime() - 10 * 86_400_000)
    for (const [index, status] of statuses.entries()) {
      const contact = await prisma.contact.create({ data: { email: uniqueAddress(`counts-${index}`) } })
      await prisma.subscription.create({
        data: { contactId: contact.id, listId: id, status, confirmedAt: status === 'CONFIRMED' ? (index === 0 ? tenDaysAgo : now) : null },
      })
    }
    const html = await (await staffGet(editor, `/admin/lists/${id}`)).text()
    expect(html).toContain('<dd data-count="CONFIRMED">3</dd>')
    expect(html).toContain('<dd data-count="PENDING">2</dd>')
    expect(html).toContain('<dd data-count="UNSUBSCRIBED">1</dd>')
    expect(html).toContain('3 abonnements confirmés sur les 90 derniers jours, au plus 2 en un jour.')
    const day = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date)
    expect(html).toContain(`<td>${day(now)}</td><td>2</td>`)
    expect(html).toContain(`<td>${day(tenDaysAgo)}</td><td>1</td>`)

    const index = await (await staffGet(editor, '/admin/lists')).text()
    const row = index.slice(index.indexOf(`href="/admin/lists/${id}"`))
    expect(row).toMatch(/data-count="CONFIRMED">3<\/td><td data-count="PENDING">2<\/td><td data-count="UNSUBSCRIBED">1</)
  })
})

describe('lists in Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('creates a list with the form (errors shown in French first), hydrates without errors, and finds its contacts', async () => {
    const { context, page, problems } = await signedInPage(browser, editor.cookie)

    await page.goto('/admin/lists/new')
    await page.getByRole('button', { name: 'Créer la liste' }).click()
    await expect.poll(() => page.getByText('Indiquez le nom de la liste.').count()).toBe(1)
    await page.getByLabel('Nom', { exact: true }).fill(`Navigateur ${tag}`)
    await page.getByLabel('Identifiant dans les adresses').fill(`navigateur-${tag}`)
    await page.getByRole('button', { name: 'Créer la liste' }).click()
    await page.waitForURL(/\/admin\/lists\/\d+\?saved=1$/)
    await expect.poll(() => page.getByText('La liste a été créée.').count()).toBe(1)
    expect(await page.getByLabel('Cadre intégré (iframe)').inputValue()).toContain(`/newsletters/embed?lists=navigateur-${tag}`)

    await page.getByRole('link', { name: 'Voir les contacts de cette liste' }).click()
    await page.waitForURL(/\/admin\/contacts\?list=\d+$/)
    await expect.poll(() => page.getByText('Aucun contact ne correspond à ces critères.').count()).toBe(1)
    expect(problems).toEqual([])
    await context.close()
  })
})
