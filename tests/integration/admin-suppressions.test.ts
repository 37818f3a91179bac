// The staff suppression list against the production server: any staff member adds an address by hand (reason
// MANUAL, audited), only admins remove one (audited; an editor's hand-made POST is refused), erased addresses show
// only their hash, and cross-site posts are refused.
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import { isSuppressed } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'

let editor: TestStaff
let admin: TestStaff

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'suppr-editor' })
  admin = await createTestStaff('ADMIN', { label: 'suppr-admin' })
})

function suppressionOf(address: string) {
  return prisma.suppression.findUnique({ where: { emailHash: emailHash(address) } })
}

describe('suppression list', () => {
  it('lets an editor add an address by hand, audited, and marks nothing else', async () => {
    const address = uniqueAddress('suppr-add')
    const contact = await prisma.contact.create({ data: { email: address } })
    const response = await staffPost(editor, '/admin/suppressions', { intent: 'add', email: `  ${address.toUpperCase()} `, detail: 'Demande par téléphone' })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('L’adresse a été ajoutée à la liste d’exclusion.')
    const row = await suppressionOf(address)
    expect(row).toMatchObject({ email: address, reason: 'MANUAL', detail: 'Demande par téléphone', createdById: editor.id })
    expect(await isSuppressed(address)).toBe(true)
    // MANUAL leaves the contact's status alone (it is not a bounce or a complaint).
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe('ACTIVE')
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'suppression.add', entityId: String(row?.id) } })
    expect(audit.actorId).toBe(editor.id)
    expect(JSON.stringify(audit.data)).not.toContain(address)

    const page = await (await staffGet(editor, '/admin/suppressions')).text()
    expect(page).toContain(address)
    expect(page).toContain('Ajout manuel')
    // Editors see no remove button.
    expect(page).not.toContain(`name="suppressionId" value="${row?.id}"`)
  })

  it('refuses an invalid address with a French sentence', async () => {
    const response = await staffPost(editor, '/admin/suppressions', { intent: 'add', email: 'pas-une-adresse' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Indiquez une adresse électronique valide')
  })

  it('shows only the hash of an erased address', async () => {
    const hash = emailHash(uniqueAddress('suppr-erased'))
    await prisma.suppression.create({ data: { emailHash: hash, email: null, reason: 'ERASURE' } })
    const page = await (await staffGet(admin, '/admin/suppressions')).text()
    expect(page).toContain(`Empreinte ${hash.slice(0, 16)}… (adresse effacée)`)
  })

  it('lets only an admin remove an address, audited', async () => {
    const address = uniqueAddress('suppr-remove')
    await staffPost(editor, '/admin/suppressions', { intent: 'add', email: address })
    const row = await suppressionOf(address)
    expect(row).not.toBeNull()

    const byEditor = await staffPost(editor, '/admin/suppressions', { intent: 'remove', suppressionId: String(row?.id) })
    expect(byEditor.status).toBe(403)
    expect(await suppressionOf(address)).not.toBeNull()

    const page = await (await staffGet(admin, '/admin/suppressions')).text()
    expect(page).toContain(`name="suppressionId" value="${row?.id}"`)
    const byAdmin = await staffPost(admin, '/admin/suppressions', { intent: 'remove', suppressionId: String(row?.id) })
    expect(byAdmin.status).toBe(200)
    expect(await byAdmin.text()).toContain('L’adresse a été retirée de la liste d’exclusion.')
    expect(await suppressionOf(address)).toBeNull()
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'suppression.remove', entityId: String(row?.id) } })
    expect(audit.actorId).toBe(admin.id)

    const again = await staffPost(admin, '/admin/suppressions', { intent: 'remove', suppressionId: String(row?.id) })
    expect(again.status).toBe(404)
  })

  it('refuses cross-site posts and changes nothing', async () => {
    const address = uniqueAddress('suppr-cross')
    const response = await staffPost(admin, '/admin/suppressions', { intent: 'add', email: address }, { origin: 'https://attaquant.example' })
    expect(response.status).toBe(403)
    expect(await suppressionOf(address)).toBeNull()
  })

  it('pages newest first by id, each row once', async () => {
    const addresses = [uniqueAddress('suppr-page-a'), uniqueAddress('suppr-page-b'), uniqueAddress('suppr-page-c')]
    for (const address of addresses) await staffPost(editor, '/admin/suppressions', { intent: 'add', email: address })
    const html = await (await staffGet(editor, '/admin/suppressions')).text()
    const positions = addresses.map((address) => html.indexOf(address))
    expect(positions.every((position) => position > 0)).toBe(true)
    expect([...positions].sort((a, b) => b - a)).toEqual(positions)
  })
})
