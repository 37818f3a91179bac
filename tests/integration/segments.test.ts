// Segments: each criterion narrows to the right contacts, criteria combine, erased and unreachable contacts never
// count as reachable, the live count answers staff only, and the form saves (audited) and counts without JavaScript.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newPage } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, staffGet, staffPost, type TestStaff } from '#tests/helpers/staff.ts'
import type { ActorType, ContactStatus } from '~/generated/prisma/client.ts'
import { segmentFilterSchema, type SegmentFilterInput } from '~/models/segment-filter.ts'
import { countSegment, countSegmentMatches, segmentWhere } from '~/models/segment.server.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'

// Territories and lists of this file only, so that contacts made by other test files never match.
const tag = randomUUID().slice(0, 8)
const T = `seg-${tag}-a`
const T2 = `seg-${tag}-b`
const T3 = `seg-${tag}-c`
const ids: Record<string, number> = {}
let list1 = 0
let list2 = 0
let event1 = 0
let event2 = 0
let series = 0
let editor: TestStaff

async function contact(name: string, input: { status?: ContactStatus; actorType?: ActorType; territory: string; erased?: boolean }) {
  const row = await prisma.contact.create({
    data: {
      email: input.erased ? null : uniqueAddress(`seg-${name.toLowerCase()}`),
      status: input.status ?? 'ACTIVE',
      actorType: input.actorType ?? null,
      territory: input.territory,
    },
  })
  ids[name] = row.id
  return row.id
}

async function subscribe(contactId: number, listId: number, status: 'PENDING' | 'CONFIRMED' | 'UNSUBSCRIBED', createdAt: string) {
  await prisma.subscription.create({ data: { contactId, listId, status, createdAt: new Date(`${createdAt}T12:00:00Z`) } })
}

async function register(contactId: number, eventId: number, attendance: 'PRESENT' | 'ABSENT') {
  await prisma.registration.create({
    data: { contactId, eventId, email: uniqueAddress('seg-reg'), firstName: 'A', lastName: 'B', status: 'CONFIRMED', token: randomUUID(), attendance },
  })
}

async function makeEvent(label: string, seriesId: number | null) {
  const startsAt = new Date(Date.now() - 10 * 24 * 3600 * 1000)
  const event = await prisma.event.create({
    data: { slug: `seg-${tag}-${label}`, kind: 'ONLINE', title: `Événement ${label}`, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), icalUid: `${randomUUID()}@test`, seriesId },
  })
  return event.id
}

/** The names of this file's contacts a filter selects. */
async function matching(input: SegmentFilterInput): Promise<string[]> {
  const rows = await prisma.contact.findMany({ where: segmentWhere(segmentFilterSchema.parse(input)), select: { id: true } })
  const found = new Set(rows.map((row) => row.id))
  return Object.keys(ids)
    .filter((name) => found.has(ids[name]!))
    .sort()
}

beforeAll(async () => {
  list1 = (await prisma.mailingList.create({ data: { slug: `seg-${tag}-1`, name: 'Segments 1' } })).id
  list2 = (await prisma.mailingList.create({ data: { slug: `seg-${tag}-2`, name: 'Segments 2' } })).id
  series = (await prisma.series.create({ data: { slug: `seg-${tag}-series`, title: 'Série segments' } })).id
  event1 = await makeEvent('e1', series)
  event2 = await makeEvent('e2', null)
  const a = await contact('A', { actorType: 'ELECTED_OFFICIAL', territory: T })
  await subscribe(a, list1, 'CONFIRMED', '2024-01-10')
  await subscribe(a, list2, 'CONFIRMED', '2025-06-01')
  await register(a, event1, 'PRESENT')
  const b = await contact('B', { actorType: 'COMPANY', territory: T2 })
  await subscribe(b, list1, 'CONFIRMED', '2025-03-01')
  await register(b, event1, 'ABSENT')
  const c = await contact('C', { actorType: 'ELECTED_OFFICIAL', territory: T })
  await subscribe(c, list1, 'PENDING', '2025-03-01')
  await register(c, event2, 'PRESENT')
  const d = await contact('D', { status: 'UNSUBSCRIBED', actorType: 'COMPANY', territory: T })
  await subscribe(d, list2, 'UNSUBSCRIBED', '2024-05-01')
  // Not realistic (erasure deletes subscriptions), on purpose: even then an erased contact must never match.
  const e = await contact('E', { status: 'ERASED', territory: T, erased: true })
  await subscribe(e, list1, 'CONFIRMED', '2024-01-10')
  const f = await contact('F', { status: 'BOUNCED', territory: T })
  await subscribe(f, list1, 'CONFIRMED', '2024-01-10')
  const g = await contact('G', { territory: T3 })
  await suppressAddress({ email: (await prisma.contact.findUniqueOrThrow({ where: { id: g } })).email ?? '', reason: 'MANUAL' })
  editor = await createTestStaff('EDITOR', { label: 'seg-editor' })
})

afterAll(async () => {
  await prisma.segment.deleteMany({ where: { name: { startsWith: `Segment ${tag}` } } })
})

describe('segment filters', () => {
  it('narrows by lists: any of, all of, and the subscription status (confirmed by default)', async () => {
    expect(await matching({ lists: { ids: [list1] } })).toEqual(['A', 'B'])
    expect(await matching({ lists: { ids: [list1, list2], match: 'any' } })).toEqual(['A', 'B'])
    expect(await matching({ lists: { ids: [list1, list2], match: 'all' } })).toEqual(['A'])
    expect(await matching({ lists: { ids: [list1], status: 'PENDING' } })).toEqual(['C'])
  })

  it('narrows by actor type, territory and contact status', async () => {
    expect(await matching({ actorTypes: ['ELECTED_OFFICIAL'], territories: [T, T2] })).toEqual(['A', 'C'])
    expect(await matching({ territories: [T2] })).toEqual(['B'])
    expect(await matching({ territories: [T] })).toEqual(['A', 'C'])
    expect(await matching({ contactStatuses: ['UNSUBSCRIBED', 'BOUNCED'], territories: [T, T2] })).toEqual(['D', 'F'])
  })

  it('narrows by subscription dates', async () => {
    expect(await matching({ lists: { ids: [list1] }, subscribedAfter: '2025-01-01' })).toEqual(['B'])
    expect(await matching({ lists: { ids: [list1] }, subscribedBefore: '2025-01-01' })).toEqual(['A'])
    expect(await matching({ lists: { ids: [list1] }, subscribedAfter: '2024-01-10', subscribedBefore: '2024-01-11' })).toEqual(['A'])
  })

  it('narrows by attendance (present only) at an event, a series or any event', async () => {
    expect(await matching({ attended: { kind: 'event', eventId: event1 } })).toEqual(['A'])
    expect(await matching({ attended: { kind: 'series', seriesId: series } })).toEqual(['A'])
    expect(await matching({ attended: { kind: 'any' }, territories: [T, T2] })).toEqual(['A', 'C'])
  })

  it('combines criteria (all must hold)', async () => {
    expect(await matching({ lists: { ids: [list1, list2] }, actorTypes: ['COMPANY'] })).toEqual(['B'])
    expect(await matching({ lists: { ids: [list1, list2] }, actorTypes: ['COMPANY'], territories: [T] })).toEqual([])
    expect(await matching({ lists: { ids: [list1] }, attended: { kind: 'any' }, actorTypes: ['ELECTED_OFFICIAL'] })).toEqual(['A'])
  })

  it('never counts erased, bounced, unsubscribed or suppressed contacts as reachable', async () => {
    expect(await countSegment(segmentFilterSchema.parse({ lists: { ids: [list1] } }))).toBe(2)
    const unreachable = segmentFilterSchema.parse({ contactStatuses: ['UNSUBSCRIBED', 'BOUNCED'], territories: [T, T2] })
    expect(await countSegmentMatches(unreachable)).toEqual({ matching: 2, reachable: 0 })
    expect(await countSegment(segmentFilterSchema.parse({ contactStatuses: ['ACTIVE', 'BOUNCED'], territories: [T] }))).toBe(2)
    // Suppressed by hand: still ACTIVE and matching, never reachable.
    expect(await matching({ territories: [T3] })).toEqual(['G'])
    expect(await countSegmentMatches(segmentFilterSchema.parse({ territories: [T3] }))).toEqual({ matching: 1, reachable: 0 })
  })

  it('refuses a filter that is not one of ours (no free-form SQL or unknown keys)', () => {
    expect(segmentFilterSchema.safeParse({ sql: 'DELETE FROM "Contact"' }).success).toBe(false)
    expect(segmentFilterSchema.safeParse({ subscribedAfter: "2024-01-01' OR 1=1" }).success).toBe(false)
  })
})

describe('count endpoint and segment form', () => {
  it('answers the live count to staff, and to nobody else', async () => {
    const query = `/admin/segments/count?listIds=${list1}&listIds=${list2}&listMatch=all`
    const response = await staffGet(editor, query)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, matching: 1, reachable: 1 })
    const anonymous = await staffGet(null, query)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login\?/)
    const invalid = await staffGet(editor, '/admin/segments/count?subscribedAfter=demain')
    expect(invalid.status).toBe(400)
  })

  it('counts without JavaScript, saves (audited) and deletes a segment', async () => {
    const fields = { name: `Segment ${tag}`, listIds: String(list1), territories: `${T}, ${T2}`, listMatch: 'any', listStatus: 'CONFIRMED', attended: 'none' }
    const counted = await staffPost(editor, '/admin/segments/new', { ...fields, intent: 'count' })
    expect(counted.status).toBe(200)
    expect(await counted.text()).toContain('Contacts correspondants : 2 ; joignables : 2.')

    const missingName = await staffPost(editor, '/admin/segments/new', { ...fields, name: ' ', intent: 'save' })
    expect(missingName.status).toBe(400)
    expect(await missingName.text()).toContain('Donnez un nom au segment.')

    const saved = await staffPost(editor, '/admin/segments/new', { ...fields, intent: 'save' })
    expect(saved.status).toBe(302)
    const segment = await prisma.segment.findFirstOrThrow({ where: { name: `Segment ${tag}` } })
    expect(segmentFilterSchema.parse(segment.filter)).toMatchObject({ lists: { ids: [list1], match: 'any', status: 'CONFIRMED' }, territories: [T, T2] })
    const audit = await prisma.auditLog.findFirst({ where: { entityType: 'Segment', entityId: String(segment.id), action: 'segment.create' } })
    expect(audit?.actorId).toBe(editor.id)

    const page = await staffGet(editor, `/admin/segments/${segment.id}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Contacts correspondants : 2 ; joignables : 2.')

    const deleted = await staffPost(editor, '/admin/segments', { intent: 'delete', segmentId: String(segment.id) })
    expect(deleted.status).toBe(200)
    expect(await prisma.segment.findUnique({ where: { id: segment.id } })).toBeNull()
    expect(await prisma.auditLog.count({ where: { entityType: 'Segment', entityId: String(segment.id), action: 'segment.delete' } })).toBe(1)
  })
})

describe('segment form in Chromium', () => {
  it('updates the live count as criteria change, without reloading the page', async () => {
    const browser = await launchBrowser()
    try {
      const { page } = await newPage(browser)
      await page.goto('/login')
      await page.getByLabel('Adresse électronique').fill(editor.email)
      await page.getByLabel('Mot de passe').fill(editor.password)
      await page.getByRole('button', { name: 'Se connecter' }).click()
      await page.waitForURL(/\/admin/)
      // Loaded and hydrated before the first box is ticked (on a busy machine a click before hydration is a plain
      // checkbox change, with no live count to wait for).
      await page.goto('/admin/segments/new', { waitUntil: 'networkidle' })
      // A marker that a full page load would wipe out.
      await page.evaluate(() => Object.assign(window, { sameDocument: true }))
      await page.getByLabel('Segments 1', { exact: true }).check()
      await expect.poll(() => page.locator('#segment-count').textContent(), { timeout: 20_000 }).toBe('Contacts correspondants : 2 ; joignables : 2.')
      await page.getByLabel('Segments 2', { exact: true }).check()
      await page.getByLabel('Abonné·e à', { exact: true }).selectOption('all')
      await expect.poll(() => page.locator('#segment-count').textContent(), { timeout: 20_000 }).toBe('Contacts correspondants : 1 ; joignables : 1.')
      expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true)
    } finally {
      await browser.close()
    }
  })
})
