// The newsletter rendering path against the real database and SMTP listener: a campaign with every block type,
// compiled once with its tracked links (CampaignLink rows), previewed with sample values, and test-sent to staff
// addresses through the email queue and a real worker.
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CampaignBlock } from '#emails/campaign/blocks.ts'
import { uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import type { RunningProcess } from '#tests/helpers/processes.ts'
import { createTestList, startWorker } from '#tests/helpers/signup.ts'
import { createTestStaff } from '#tests/helpers/staff.ts'
import { compileCampaignSnapshot, previewCampaign, sendCampaignTest } from '~/models/campaign-render.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { readTrackedLinkRef, trackedLinkRef } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { closeQueues } from '#jobs/queues.ts'

const { appUrl } = inject('testContext')
// A 1×1 transparent PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

let worker: RunningProcess | undefined
let campaignId: number
let eventSlug: string
let eventId: number
let assetId: number
let lists: Array<{ id: number; name: string; slug: string }>

beforeAll(async () => {
  const tag = randomBytes(4).toString('hex')
  lists = [await createTestList(`render-a`), await createTestList(`render-b`)]
  const identity = await prisma.senderIdentity.create({ data: { name: 'Lettre du centre', email: `lettre-${tag}@test.example`, replyTo: `equipe-${tag}@test.example` } })
  eventSlug = `atelier-rendu-${tag}`
  const event = await prisma.event.create({
    data: {
      slug: eventSlug,
      kind: 'HYBRID',
      title: 'Atelier « rendu » des newsletters',
      startsAt: new Date('2027-03-04T14:00:00Z'),
      endsAt: new Date('2027-03-04T16:00:00Z'),
      timeZone: 'America/Montreal',
      venueName: 'Salle Lumière',
      venueAddress: '3 place Bellecour, Lyon',
      status: 'PUBLISHED',
      icalUid: `${randomUUID()}@relais.test`,
    },
  })
  eventId = event.id
  assetId = (await prisma.asset.create({ data: { fileName: 'photo.png', mimeType: 'image/png', size: png.length, data: new Uint8Array(png) } })).id
  const blocks: CampaignBlock[] = [
    { id: 'heading', type: 'heading', text: 'Bonjour {{prenom|à vous}} !', level: 1 },
    { id: 'text', type: 'text', html: '<p>Des <strong>nouvelles</strong> de {{organisation}} : <a href="https://exemple.org/programme?x=1&amp;y=2">le programme</a>.</p><script>alert(1)</script>' },
    { id: 'image', type: 'image', assetId, alt: 'Des personnes autour d’une table', url: 'https://exemple.org/galerie' },
    { id: 'article', type: 'article', assetId, imageAlt: 'Illustration', title: 'Un article pour {{structure|votre structure}}', summary: 'Résumé de l’article.', url: 'https://exemple.org/article', linkLabel: 'Lire l’article' },
    { id: 'button', type: 'button', label: 'Participer', url: 'https://exemple.org/participer' },
    { id: 'divider', type: 'divider' },
    { id: 'event', type: 'event', eventId: event.id, buttonLabel: '' },
  ]
  campaignId = (
    await prisma.campaign.create({
      data: {
        name: `Rendu ${tag}`,
        subject: '{{prenom|Bonjour}}, la lettre d’été à {{territoire|Lyon}}',
        preheader: 'Ateliers et rencontres',
        senderIdentityId: identity.id,
        content: blocks as unknown as object,
        lists: { create: lists.map((list) => ({ listId: list.id })) },
      },
    })
  ).id
})

afterAll(async () => {
  await worker?.stop()
  await closeQueues()
  await redis.quit()
})

describe('compileCampaignSnapshot', () => {
  it('records one CampaignLink per content link and points the message at /l/<signed id>, the archive at the originals', async () => {
    const compiled = await compileCampaignSnapshot(campaignId, { slug: `rendu-${campaignId}` })
    const rows = await prisma.campaignLink.findMany({ where: { campaignId }, orderBy: { url: 'asc' } })
    expect(rows.map((row) => row.url)).toEqual(
      [
        'https://exemple.org/article',
        'https://exemple.org/galerie',
        'https://exemple.org/participer',
        'https://exemple.org/programme?x=1&y=2',
        `${appUrl}/events/${eventSlug}`,
      ].sort(),
    )
    expect(compiled.links.map((link) => link.id).sort()).toEqual(rows.map((row) => row.id).sort())
    const html = compiled.html
      .map((part) => (typeof part === 'string' ? part : 'system' in part ? `[${part.system}]` : 'eventInvite' in part ? `[invite:${part.eventInvite}${part.query}]` : `[${part.field}]`))
      .join('')
    const eventPage = rows.find((row) => row.url === `${appUrl}/events/${eventSlug}`)!
    for (const row of rows) if (row !== eventPage) expect(html).toContain(`href="${appUrl}/l/${trackedLinkRef(row.id)}[clickQuery]"`)
    // The event card's button is each recipient's own one-click link, its row's reference only counting the clicks.
    expect(html).toContain(`href="[invite:${eventId}?l=${trackedLinkRef(eventPage.id)}]"`)
    expect(html).not.toContain(`/l/${trackedLinkRef(eventPage.id)}`)
    // Every tracked address carries a reference the server reads back; none is a bare, guessable row id.
    const refs = [...new Set([...html.matchAll(/(?:\/l\/|\?l=)(\w+)(?:\[clickQuery\]|\])/g)].map((match) => match[1]!))]
    expect(refs.map((ref) => readTrackedLinkRef(ref)).sort()).toEqual(rows.map((row) => row.id).sort())
    for (const row of rows) expect(html).not.toContain(`/l/${row.id}[`)
    expect(html).not.toContain('href="https://exemple.org/')
    expect(html).toContain(`src="${appUrl}/assets/${assetId}"`)
    expect(html).toContain('href="[unsubscribeUrl]"')
    expect(html).toContain(`href="${appUrl}/archive/rendu-${campaignId}"`)
    expect(html).not.toContain('<script')
    expect(compiled.inArchive).toBe(true)
    expect(compiled.archive.html).toContain('href="https://exemple.org/programme?x=1&amp;y=2"')
    expect(compiled.archive.subject).toBe('Bonjour, la lettre d’été à Lyon')
    expect(compiled.archive.text).toContain(`[${appUrl}/newsletters]`)

    // Compiling again (a relaunch) keeps the same rows, so click counts are not split.
    const again = await compileCampaignSnapshot(campaignId)
    expect(again.links.map((link) => link.id).sort()).toEqual(rows.map((row) => row.id).sort())
    expect(await prisma.campaignLink.count({ where: { campaignId } })).toBe(rows.length)
  })
})

describe('previewCampaign', () => {
  it('shows every block with sample values, the event in its own zone, and the footer', async () => {
    const organization = await getOrganization()
    const preview = await previewCampaign(campaignId)
    expect(preview.subject).toBe('Camille, la lettre d’été à Lyon')
    expect(preview.html).toMatch(/<html lang="fr"/)
    expect(preview.html).toContain('Bonjour Camille !')
    expect(preview.html).toContain('alt="Des personnes autour d’une table"')
    expect(preview.html).toContain('href="https://exemple.org/participer"')
    expect(preview.text).toContain('Un article pour votre structure')
    expect(preview.text).toContain('Atelier « rendu » des newsletters')
    expect(preview.text).toMatch(/jeudi 4 mars 2027, 09:00 – 11:00 \(heure normale de l’Est/)
    expect(preview.text).toContain('Salle Lumière, 3 place Bellecour, Lyon et en ligne')
    expect(preview.text).toContain(`Je m’inscris [${appUrl}/events/${eventSlug}]`)
    expect(preview.text).toContain(organization.name)
    expect(preview.text.replace(/\s+/g, ' ')).toContain(`Vous recevez ce message car vous êtes inscrit·e à ${lists[0]!.name} et ${lists[1]!.name}.`)
    expect(preview.text).toContain('Se désinscrire')
    expect(preview.text).not.toContain('Ateliers et rencontres')
  })
})

describe('sendCampaignTest', () => {
  beforeAll(async () => {
    worker = await startWorker()
  })

  it('delivers the real message with sample values and "[Test] " to each address, once per click', async () => {
    const staff = await createTestStaff('EDITOR', { label: 'render-test' })
    const first = uniqueAddress('render-test-a')
    const second = uniqueAddress('render-test-b')
    expect(await sendCampaignTest(campaignId, [first, second], staff.id)).toEqual({ queued: 2 })

    const [received] = await waitForMessages(first)
    const mail = received!.parsed
    expect(mail.subject).toBe('[Test] Camille, la lettre d’été à Lyon')
    expect(mail.html).toContain('Bonjour Camille !')
    expect(mail.html).toContain(`href="${appUrl}/newsletters"`)
    // No contact behind a test: the event card's button leads to the event's page, never to a one-click link.
    expect(mail.html).toContain(`href="${appUrl}/events/${eventSlug}"`)
    expect(mail.html).not.toContain('/inscription/')
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(`Se désinscrire [${appUrl}/newsletters]`)
    const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line.replace(/\r\n[ \t]/g, ' ')
    // No one-click unsubscribe in a test: a mail client would POST it to the public sign-up page.
    expect(header('list-unsubscribe')).toBeUndefined()
    expect(header('list-unsubscribe-post')).toBeUndefined()
    expect(header('list-id')).toMatch(/^List-Id: Lettre render-a [0-9a-f]+ <render-a-[0-9a-f]+\.127\.0\.0\.1>$/i)
    expect(mail.replyTo?.text).toMatch(/^equipe-[0-9a-f]+@test\.example$/)
    await waitForMessages(second)

    // A second click sends again (a test is not deduplicated across clicks).
    await sendCampaignTest(campaignId, [first], staff.id)
    await waitForMessages(first, 2)
    const audit = await prisma.auditLog.findMany({ where: { action: 'campaign.test', entityId: String(campaignId) } })
    expect(audit).toHaveLength(2)
  })
})
