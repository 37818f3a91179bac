// CSV exports of a list and of a segment, downloaded as staff from the running app: formulas neutralised, accents
// intact (UTF-8 with BOM), RFC 4180 quoting, staff only, audited.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, type TestStaff } from '#tests/helpers/staff.ts'
import { segmentFilterSchema } from '~/models/segment-filter.ts'
import { prisma } from '~/utils/db.server.ts'

let staff: TestStaff
let listId: number
let segmentId: number
const formula = '=HYPERLINK("http://x")'
const people = {
  formula: uniqueAddress('export-formula'),
  accents: uniqueAddress('export-accents'),
  quoted: uniqueAddress('export-quoted'),
  unsubscribed: uniqueAddress('export-unsub'),
}

beforeAll(async () => {
  staff = await createTestStaff('EDITOR', { label: 'export-staff' })
  const stamp = Date.now().toString(36)
  const list = await prisma.mailingList.create({ data: { slug: `export-${stamp}`, name: `Export ${stamp}` } })
  listId = list.id
  const rows = [
    { email: people.formula, firstName: formula, lastName: '+33 6 00 00 00 00', organization: '@mairie', territory: '-1' },
    { email: people.accents, firstName: 'Hélène', lastName: 'Œuvré', organization: 'Région Île-de-France', territory: 'Île-de-France' },
    { email: people.quoted, firstName: 'Jean', lastName: 'Dupont', organization: 'Mairie "centre", service\r\nurbanisme', territory: '33' },
    { email: people.unsubscribed, firstName: 'Parti', lastName: 'Ailleurs', organization: null, territory: null },
  ]
  for (const row of rows) {
    const contact = await prisma.contact.create({ data: { ...row, actorType: 'ELECTED_OFFICIAL' } })
    const unsubscribed = row.email === people.unsubscribed
    await prisma.subscription.create({ data: { contactId: contact.id, listId, status: unsubscribed ? 'UNSUBSCRIBED' : 'CONFIRMED', confirmedAt: new Date() } })
  }
  const filter = segmentFilterSchema.parse({ lists: { ids: [listId] } })
  segmentId = (await prisma.segment.create({ data: { name: `Export ${stamp}`, filter } })).id
})

afterAll(async () => {
  await prisma.$disconnect()
})

async function download(path: string): Promise<{ response: Response; bytes: Buffer; records: string[][] }> {
  const response = await staffGet(staff, path)
  const bytes = Buffer.from(await response.arrayBuffer())
  const records = response.status === 200 ? (parse(bytes, { bom: true, delimiter: path.includes('semicolon') ? ';' : ',', relax_column_count: false }) as string[][]) : []
  return { response, bytes, records }
}

const byEmail = (records: string[][], email: string) => records.find((record) => record[0] === email)

describe('CSV export of a list', () => {
  it('streams the subscribers with formulas neutralised, accents in UTF-8 with BOM, and RFC 4180 quoting', async () => {
    const { response, bytes, records } = await download(`/admin/exports/list/${listId}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="liste-export-[\w-]+\.csv"$/)
    // The BOM makes Excel read the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8')
    expect(text).toContain('Hélène')
    expect(text).toContain('Île-de-France')

    // Header in French, then the confirmed subscribers only.
    expect(records[0]).toEqual(['Adresse électronique', 'Prénom', 'Nom', 'Organisation', 'Type d’acteur', 'Territoire', 'Langue', 'État du contact', 'Abonnement', 'Abonné·e le', 'Créé·e le'])
    expect(records.slice(1).map((record) => record[0]).sort()).toEqual([people.formula, people.accents, people.quoted].sort())

    // Every cell starting with = + - @ comes out as text.
    expect(byEmail(records, people.formula)?.slice(1, 6)).toEqual([`'${formula}`, "'+33 6 00 00 00 00", "'@mairie", 'ELECTED_OFFICIAL', "'-1"])
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`)
    // A cell with quotes, a comma and a line break is quoted, its quotes doubled; records end with CRLF.
    expect(text).toContain('"Mairie ""centre"", service\r\nurbanisme"')
    expect(byEmail(records, people.quoted)?.[3]).toBe('Mairie "centre", service\r\nurbanisme')
    expect(text.endsWith('\r\n')).toBe(true)
    expect(byEmail(records, people.accents)?.slice(1, 4)).toEqual(['Hélène', 'Œuvré', 'Région Île-de-France'])

    const audit = await prisma.auditLog.findFirst({ where: { action: 'list.export', entityId: String(listId), actorId: staff.id } })
    expect(audit).not.toBeNull()
  })

  it('uses semicolons for Excel in French on request', async () => {
    const { response, records } = await download(`/admin/exports/list/${listId}?delimiter=semicolon`)
    expect(response.status).toBe(200)
    expect(byEmail(records, people.accents)?.[6]).toBe('fr')
    expect(records).toHaveLength(4)
  })

  it('is for staff only', async () => {
    const anonymous = await staffGet(null, `/admin/exports/list/${listId}`)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login\?/)
    expect((await staffGet(staff, '/admin/exports/list/999999999')).status).toBe(404)
  })
})

describe('CSV export of a segment', () => {
  it('streams the contacts the segment selects, neutralised and audited', async () => {
    const { response, bytes, records } = await download(`/admin/exports/segment/${segmentId}`)
    expect(response.status).toBe(200)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(records.slice(1).map((record) => record[0]).sort()).toEqual([people.formula, people.accents, people.quoted].sort())
    expect(byEmail(records, people.formula)?.[1]).toBe(`'${formula}`)
    const audit = await prisma.auditLog.findFirst({ where: { action: 'segment.export', entityId: String(segmentId) } })
    expect(audit?.actorId).toBe(staff.id)
  })
})
