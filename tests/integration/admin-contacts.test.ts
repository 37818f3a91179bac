// Staff contacts pages against the production server: search and filters, keyset pages (no row twice, none
// missing), the detail page with its consent history, staff add/remove to lists recorded as consent (source STAFF),
// profile edit, erasure (admins only, typed confirmation), and refused cross-site posts. Rows are this file's own:
// a unique organisation name and list slug.
import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signedInPage as signedInBrowserPage } from '#tests/helpers/browser.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { ensureConsentText, recordConsent } from '~/models/consent.server.ts'
import { searchContacts } from '~/models/contact-directory.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'

const tag = randomUUID().slice(0, 8)
const organization = `Orga-${tag}`
const actorTypes = ['ELECTED_OFFICIAL', 'PUBLIC_AGENT', 'ASSOCIATION'] as const
let editor: TestStaff
let admin: TestStaff
let listId = 0
let ids: number[] = []

const address = (index: number) => `contacts-${tag}-${index}@test.example`

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'contacts-editor' })
  admin = await createTestStaff('ADMIN', { label: 'contacts-admin' })
  listId = (await prisma.mailingList.create({ data: { slug: `contacts-${tag}`, name: `Liste contacts ${tag}` } })).id
  await prisma.contact.createMany({
    data: Array.from({ length: 123 }, (_, index) => ({
      email: address(index),
      firstName: `Prénom${index}`,
      lastName: `Dupont-${tag}`,
      organization,
      actorType: actorTypes[index % 3],
      territory: index % 2 === 0 ? '33' : '2A',
    })),
  })
  ids = (await prisma.contact.findMany({ where: { organization }, select: { id: true }, orderBy: { id: 'desc' } })).map((row) => row.id)
  // Every fifth contact is on the list: confirmed when even, pending when odd.
  await prisma.subscription.createMany({
    data: ids.filter((_, index) => index % 5 === 0).map((contactId, index) => ({ contactId, listId, status: index % 2 === 0 ? 'CONFIRMED' : 'PENDING' })),
  })
})

/** The ids of the contacts table rows, and the link to the next page (HTML entities undone). */
function readPage(html: string): { rows: number[]; next: string | null } {
  const rows = [...html.matchAll(/data-contact-id="(\d+)"/g)].map((match) => Number(match[1]))
  const next = /<a [^>]*href="([^"]*before=\d+[^"]*)"[^>]*>Contacts plus anciens/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null
  return { rows, next }
}

describe('contacts table', () => {
  it('walks every page of a search once, newest first, with the filters kept', async () => {
    const seen: number[] = []
    let path: string | null = `/admin/contacts?q=${organization.toLowerCase()}`
    let pages = 0
    while (path) {
      const response = await staffGet(editor, path)
      expect(response.status).toBe(200)
      const page = readPage(await response.text())
      seen.push(...page.rows)
      path = page.next
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(ids)
  })

  it('pages through the model in small keyset pages without losing or repeating a row', async () => {
    const seen: number[] = []
    let before: number | undefined
    for (;;) {
      const page = await searchContacts({ filter: { search: organization }, before, pageSize: 7 })
      seen.push(...page.contacts.map((contact) => contact.id))
      if (page.nextBefore === null) break
      before = page.nextBefore
    }
    expect(seen).toEqual(ids)
  })

  it('searches email, name and organisation, case-insensitively, wildcards taken literally', async () => {
    const byEmail = await searchContacts({ filter: { search: `CONTACTS-${tag}-17@` } })
    expect(byEmail.contacts.map((contact) => contact.email)).toEqual([address(17)])
    const byName = await searchContacts({ filter: { search: `prénom42 dupont-${tag}` } })
    expect(byName.contacts.map((contact) => contact.email)).toEqual([address(42)])
    expect((await searchContacts({ filter: { search: `_${tag}` } })).contacts).toEqual([])
    expect((await searchContacts({ filter: { search: `%${tag}` } })).contacts).toEqual([])
  })

  it('filters by actor type, territory, contact status, list and subscription status', async () => {
    const count = async (filter: Parameters<typeof searchContacts>[0]['filter']) =>
      (await searchContacts({ filter: { search: organization, ...filter }, pageSize: 500 })).contacts.length
    expect(await count({ actorType: 'ASSOCIATION' })).toBe(41)
    expect(await count({ territory: '2A' })).toBe(61)
    expect(await count({ actorType: 'ASSOCIATION', territory: '33' })).toBe(21)
    expect(await count({ status: 'ACTIVE' })).toBe(123)
    expect(await count({ status: 'ERASED' })).toBe(0)
    expect(await count({ listId })).toBe(25)
    expect(await count({ listId, subscriptionStatus: 'CONFIRMED' })).toBe(13)
    expect(await count({ listId, subscriptionStatus: 'PENDING' })).toBe(12)

    const html = await (await staffGet(editor, `/admin/contacts?q=${organization}&list=${listId}&subscription=PENDING&actorType=`)).text()
    expect(readPage(html).rows).toHaveLength(12)
    expect(html).toContain(`<option value="${listId}" selected="">`)
    // An unreadable parameter is ignored rather than failing the page.
    expect((await staffGet(editor, `/admin/contacts?q=${organization}&status=NIMPORTE&before=abc`)).status).toBe(200)
    // Addresses under the section that no page answers are a 404, not the "section à venir" placeholder.
    expect((await staffGet(editor, `/admin/contacts/${ids[0]}/nulle-part`)).status).toBe(404)
  })
})

describe('contact detail and staff actions', () => {
  it('shows every consent record with its source and consent text version', async () => {
    const contactId = ids[3]!
    const hash = await ensureConsentText('fr', `Texte de consentement ${tag}`)
    await recordConsent(prisma, { contactId, action: 'SUBSCRIBE', listIds: [listId], source: 'FORM', channel: 'web', consentTextHash: hash })
    await recordConsent(prisma, { contactId, action: 'CONFIRM', listIds: [listId], source: 'EMAIL_LINK', channel: 'email' })
    const html = await (await staffGet(editor, `/admin/contacts/${contactId}`)).text()
    expect(html).toContain((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email)
    expect(html).toContain('Historique du consentement')
    expect(html).toContain('Inscription')
    expect(html).toContain('Formulaire')
    expect(html).toContain('Lien dans un courriel')
    expect(html).toContain(hash.slice(0, 12))
    expect(html).toContain(`Liste contacts ${tag}`)
  })

  it('adds to and removes from a list as staff, each recorded as consent with source STAFF and audited', async () => {
    const contactId = ids[1]!
    const added = await staffPost(editor, `/admin/contacts/${contactId}`, { intent: 'add', listId: String(listId) })
    expect(added.status).toBe(200)
    expect(await added.text()).toContain('Le contact a été ajouté à la liste.')
    expect(await prisma.subscription.findUnique({ where: { contactId_listId: { contactId, listId } } })).toMatchObject({ status: 'CONFIRMED' })
    expect((await staffPost(editor, `/admin/contacts/${contactId}`, { intent: 'add', listId: String(listId) })).status).toBe(409)

    const removed = await staffPost(editor, `/admin/contacts/${contactId}`, { intent: 'remove', listId: String(listId) })
    expect(await removed.text()).toContain('Le contact a été retiré de la liste.')
    expect(await prisma.subscription.findUnique({ where: { contactId_listId: { contactId, listId } } })).toMatchObject({ status: 'UNSUBSCRIBED' })

    const records = await prisma.consentRecord.findMany({ where: { contactId }, orderBy: { id: 'asc' } })
    expect(records.map((record) => [record.action, record.source, record.sourceRef, record.channel, record.listIds])).toEqual([
      ['SUBSCRIBE', 'STAFF', String(editor.id), 'admin', [listId]],
      ['UNSUBSCRIBE', 'STAFF', String(editor.id), 'admin', [listId]],
    ])
    const audits = await prisma.auditLog.findMany({ where: { entityType: 'Contact', entityId: String(contactId) }, orderBy: { id: 'asc' } })
    expect(audits.map((audit) => [audit.action, audit.actorId])).toEqual([
      ['contact.subscribe', editor.id],
      ['contact.unsubscribe', editor.id],
    ])
    // React separates adjacent text nodes with comments in server HTML.
    const html = (await (await staffGet(editor, `/admin/contacts/${contactId}`)).text()).replace(/<!-- -->/g, '')
    expect(html).toContain(`Équipe (${editor.id})`)
  })

  it('refuses to add a suppressed address to a list', async () => {
    const contactId = ids[2]!
    const email = (await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email!
    await prisma.suppression.create({ data: { emailHash: emailHash(email), email, reason: 'MANUAL' } })
    const response = await staffPost(editor, `/admin/contacts/${contactId}`, { intent: 'add', listId: String(listId) })
    expect(response.status).toBe(409)
    expect(await response.text()).toContain('Cette adresse est dans la liste d’exclusion')
    expect(await prisma.subscription.findUnique({ where: { contactId_listId: { contactId, listId } } })).toBeNull()
  })

  it('edits the profile, audited with the names of the changed fields', async () => {
    const contactId = ids[4]!
    const response = await staffPost(editor, `/admin/contacts/${contactId}`, {
      intent: 'profile',
      firstName: 'Camille',
      lastName: `Dupont-${tag}`,
      organization,
      actorType: 'RESEARCHER',
      territory: '33',
      locale: 'en',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Le profil a été enregistré.')
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ firstName: 'Camille', actorType: 'RESEARCHER', locale: 'en' })
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'contact.update', entityId: String(contactId) } })
    expect(audit.data).toEqual({ fields: ['firstName', 'actorType', 'locale'] })
  })

  it('refuses cross-site posts and changes nothing', async () => {
    const contactId = ids[7]!
    const response = await staffPost(admin, `/admin/contacts/${contactId}`, { intent: 'add', listId: String(listId) }, { origin: 'https://attaquant.example' })
    expect(response.status).toBe(403)
    const erase = await staffPost(admin, `/admin/contacts/${contactId}`, { intent: 'erase', confirmEmail: address(117) }, { origin: 'https://attaquant.example' })
    expect(erase.status).toBe(403)
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ status: 'ACTIVE' })
    expect(await prisma.subscription.findUnique({ where: { contactId_listId: { contactId, listId } } })).toBeNull()
  })

  it('lets only an admin erase, after typing the address', async () => {
    const contactId = ids[6]!
    const email = (await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email!
    expect(await (await staffGet(editor, `/admin/contacts/${contactId}?erase=1`)).text()).toContain('Seul un administrateur peut effacer un contact.')
    expect((await staffPost(editor, `/admin/contacts/${contactId}`, { intent: 'erase', confirmEmail: email })).status).toBe(403)
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email).toBe(email)

    expect(await (await staffGet(admin, `/admin/contacts/${contactId}?erase=1`)).text()).toContain('Pour confirmer, tapez l’adresse électronique du contact.')
    const mismatch = await staffPost(admin, `/admin/contacts/${contactId}`, { intent: 'erase', confirmEmail: 'autre@test.example' })
    expect(mismatch.status).toBe(400)
    expect(await mismatch.text()).toContain('L’adresse tapée ne correspond pas')
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email).toBe(email)

    const erased = await staffPost(admin, `/admin/contacts/${contactId}`, { intent: 'erase', confirmEmail: email.toUpperCase() })
    expect(erased.status).toBe(302)
    expect(erased.headers.get('location')).toBe(`/admin/contacts/${contactId}?erased=1`)
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ status: 'ERASED', email: null, firstName: null })
    expect(await prisma.suppression.findUnique({ where: { emailHash: emailHash(email) } })).toMatchObject({ email: null })
    const page = await (await staffGet(admin, `/admin/contacts/${contactId}?erased=1`)).text()
    expect(page).toContain('Le contact a été effacé.')
    expect(page).not.toContain(email)
  })
})

describe('contact page in Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** A page signed in as `staff` that records console errors and failed requests. */
  const signedInPage = (staff: TestStaff) => signedInBrowserPage(browser, staff.cookie)

  it('adds to a list from the page, then an admin erases the contact after typing the address', async () => {
    const contactId = ids[8]!
    const email = (await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).email!
    const asEditor = await signedInPage(editor)
    await asEditor.page.goto(`/admin/contacts/${contactId}`)
    await asEditor.page.getByLabel('Liste', { exact: true }).selectOption(String(listId))
    await asEditor.page.getByRole('button', { name: 'Ajouter', exact: true }).click()
    await expect.poll(() => asEditor.page.getByText('Le contact a été ajouté à la liste.').count()).toBe(1)
    await expect.poll(() => asEditor.page.getByRole('button', { name: `Retirer de « Liste contacts ${tag} »` }).count()).toBe(1)
    expect(asEditor.problems).toEqual([])
    await asEditor.context.close()

    const asAdmin = await signedInPage(admin)
    await asAdmin.page.goto(`/admin/contacts/${contactId}`)
    await asAdmin.page.getByRole('link', { name: 'Effacer ce contact…' }).click()
    await asAdmin.page.getByLabel('Adresse électronique du contact').fill(email)
    await asAdmin.page.getByRole('button', { name: 'Effacer définitivement' }).click()
    await expect.poll(() => asAdmin.page.getByText('Le contact a été effacé.').count()).toBe(1)
    // The visible page (the first load's serialised data stays in a script tag until the next full load).
    expect(await asAdmin.page.locator('main').innerText()).not.toContain(email)
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).status).toBe('ERASED')
    expect(asAdmin.problems).toEqual([])
    await asAdmin.context.close()
  })
})
