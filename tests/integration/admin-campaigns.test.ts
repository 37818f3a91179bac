// Staff campaign pages against the production server: create, settings (merge fields and CR/LF refused in French),
// autosave of the blocks (an unknown merge field refused with its French sentence, the stored content kept),
// image upload and public serving, duplicate, templates, schedule/unschedule in the organisation's zone, the
// readiness check, test sends to staff only, and cross-site or token-less posts refused.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { createTestStaff, staffGet, type TestStaff } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'

let editor: TestStaff
let senderId: number
let listIds: number[]
const tag = randomUUID().slice(0, 8)

function appUrl(): string {
  return inject('testContext').appUrl
}

/** A form POST with repeated fields allowed (checkbox groups), the CSRF field unless `csrf: null`. */
function post(path: string, fields: Array<[string, string]>, options: { csrf?: string | null; origin?: string } = {}): Promise<Response> {
  const body = new URLSearchParams(fields)
  const csrf = options.csrf === undefined ? editor.csrfToken : options.csrf
  if (csrf) body.set('csrf', csrf)
  return fetch(`${appUrl()}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: editor.cookie, Origin: options.origin ?? appUrl() },
  })
}

async function createCampaign(name = `Lettre ${tag}`): Promise<number> {
  const response = await post('/admin/campaigns', [
    ['intent', 'create'],
    ['name', name],
  ])
  expect(response.status).toBe(302)
  const id = Number(/^\/admin\/campaigns\/(\d+)\?created=1$/.exec(response.headers.get('location') ?? '')?.[1])
  expect(id).toBeGreaterThan(0)
  return id
}

function settings(overrides: Record<string, string> = {}): Array<[string, string]> {
  const base: Record<string, string> = { intent: 'settings', name: `Lettre ${tag}`, subject: 'Les nouvelles de {{prenom|vous}}', preheader: 'Ce mois-ci', senderIdentityId: String(senderId), locale: 'fr', segmentId: '', ...overrides }
  return [...Object.entries(base), ...listIds.map((id) => ['listIds', String(id)] as [string, string])]
}

const blocks = [
  { id: 'h1', type: 'heading', text: 'Bonjour {{prenom|à vous}}', level: 1 },
  { id: 't1', type: 'text', html: '<p>Le <strong>programme</strong><script>alert(1)</script> du mois.</p>' },
  { id: 'b1', type: 'button', label: 'Lire la suite', url: 'https://relais.test/suite' },
]

/** The autosave as the editor's fetcher sends it (a single-fetch data request). */
function saveContent(id: number, content: unknown, options: { csrf?: string | null } = {}): Promise<Response> {
  return post(
    `/admin/campaigns/${id}.data`,
    [
      ['intent', 'content'],
      ['content', JSON.stringify(content)],
    ],
    options,
  )
}

async function readyCampaign(): Promise<number> {
  const id = await createCampaign()
  expect((await post(`/admin/campaigns/${id}`, settings())).status).toBe(200)
  expect((await saveContent(id, blocks)).status).toBe(200)
  return id
}

/** The editor's JSON autosave endpoint. */
function saveContentJson(id: number, content: unknown, options: { csrf?: string | null } = {}): Promise<Response> {
  return post(`/admin/campaigns/${id}/content`, [['content', JSON.stringify(content)]], options)
}

/**
 * A launch landing between a write's editability check and the write itself: a transaction moves the campaign to
 * SENDING and keeps its row locked, `request` starts, and only once PostgreSQL shows that request's write waiting
 * on this transaction (pg_blocking_pids) does the transaction commit. Returns the request's response.
 */
async function launchedDuring(id: number, request: () => Promise<Response>): Promise<Response> {
  let response: Promise<Response> | null = null
  await prisma.$transaction(
    async (tx) => {
      await tx.campaign.update({ where: { id }, data: { status: 'SENDING' } })
      const pid = (await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`)[0]!.pid
      response = request()
      await expect
        .poll(async () => (await prisma.$queryRaw<Array<{ waiting: number }>>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`)[0]!.waiting, { timeout: 20_000 })
        .toBeGreaterThan(0)
    },
    { timeout: 30_000, maxWait: 10_000 },
  )
  return response!
}

beforeAll(async () => {
  editor = await createTestStaff('EDITOR', { label: 'campaigns-editor' })
  senderId = (await prisma.senderIdentity.create({ data: { name: 'Relais', email: `lettres-${tag}@relais.test` } })).id
  listIds = []
  for (const index of [1, 2]) {
    listIds.push((await prisma.mailingList.create({ data: { slug: `camp-${tag}-${index}`, name: `Liste ${tag} ${index}`, doubleOptIn: false } })).id)
  }
  const contact = await prisma.contact.create({ data: { email: `lecteur-${tag}@test.example`, firstName: 'Léa' } })
  await prisma.subscription.createMany({ data: listIds.map((listId) => ({ contactId: contact.id, listId, status: 'CONFIRMED' as const, confirmedAt: new Date() })) })
})

describe('campaigns: compose', () => {
  it('sends visitors without a session to the sign-in page', async () => {
    for (const path of ['/admin/campaigns', '/admin/campaigns/1', '/admin/campaigns/1/send', '/admin/campaigns/1/preview']) {
      const response = await staffGet(null, path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/login\?redirectTo=/)
    }
  })

  it('creates a campaign (audited) and lists it', async () => {
    const id = await createCampaign(`Création ${tag}`)
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id } })
    expect(campaign).toMatchObject({ name: `Création ${tag}`, status: 'DRAFT', isTemplate: false, createdById: editor.id })
    expect(await prisma.auditLog.count({ where: { action: 'campaign.create', entityId: String(id), actorId: editor.id } })).toBe(1)
    const page = await (await staffGet(editor, `/admin/campaigns/${id}?created=1`)).text()
    expect(page).toContain('La campagne a été créée.')
    expect(page).toContain('Contenu vide : ajoutez au moins un bloc.')
    expect(await (await staffGet(editor, '/admin/campaigns')).text()).toContain(`href="/admin/campaigns/${id}"`)
    const empty = await post('/admin/campaigns', [
      ['intent', 'create'],
      ['name', ''],
    ])
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Indiquez le nom de la campagne.')
  })

  it('saves the settings, counts the recipients once across overlapping lists, refuses CR/LF and unknown merge fields', async () => {
    const id = await createCampaign()
    const saved = await post(`/admin/campaigns/${id}`, settings())
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Les réglages ont été enregistrés.')
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id }, include: { lists: true } })
    expect(campaign).toMatchObject({ subject: 'Les nouvelles de {{prenom|vous}}', preheader: 'Ce mois-ci', senderIdentityId: senderId, locale: 'fr' })
    expect(campaign.lists.map((entry) => entry.listId).sort()).toEqual([...listIds].sort())
    expect(await prisma.auditLog.count({ where: { action: 'campaign.update', entityId: String(id) } })).toBe(1)
    expect(await (await staffGet(editor, `/admin/campaigns/estimate?list=${listIds[0]}&list=${listIds[1]}`)).json()).toEqual({ count: 1 })

    const noPreheader = await post(`/admin/campaigns/${id}`, settings({ preheader: '' }))
    expect(noPreheader.status).toBe(200)
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).preheader).toBe('')
    await post(`/admin/campaigns/${id}`, settings())

    const crlf = await post(`/admin/campaigns/${id}`, settings({ subject: 'Bonjour\r\nBcc: tout-le-monde@example.org' }))
    expect(crlf.status).toBe(400)
    expect(await crlf.text()).toContain('Ne doit pas contenir de retour à la ligne.')
    const unknown = await post(`/admin/campaigns/${id}`, settings({ subject: 'Bonjour {{prenon}}' }))
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('Champ de fusion inconnu : {{prenon}}. Champs possibles : prenom, first_name')
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).subject).toBe('Les nouvelles de {{prenom|vous}}')
  })

  it('autosaves the blocks sanitised, refuses an unknown merge field in French and keeps the previous content', async () => {
    const id = await createCampaign()
    const saved = await saveContent(id, blocks)
    expect(saved.status).toBe(200)
    const stored = (await prisma.campaign.findUniqueOrThrow({ where: { id } })).content as Array<Record<string, unknown>>
    expect(stored.map((block) => block.id)).toEqual(['h1', 't1', 'b1'])
    expect(stored[1]!.html).toBe('<p>Le <strong>programme</strong> du mois.</p>')

    const refused = await saveContent(id, [...blocks, { id: 'h2', type: 'heading', text: 'Salut {{prenon}}', level: 2 }])
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Champ de fusion inconnu : {{prenon}}. Champs possibles : prenom, first_name')
    expect(((await prisma.campaign.findUniqueOrThrow({ where: { id } })).content as unknown[]).length).toBe(3)

    const javascriptLink = await saveContent(id, [{ id: 'b1', type: 'button', label: 'Cliquez', url: 'javascript:alert(1)' }])
    expect(javascriptLink.status).toBe(400)
    expect(await javascriptLink.text()).toContain('Adresse web invalide')
  })

  it('shows what blocks a send, then nothing once the campaign is complete', async () => {
    const id = await createCampaign()
    const draft = await (await staffGet(editor, `/admin/campaigns/${id}/send`)).text()
    expect(draft).toContain('Objet manquant')
    expect(draft).toContain('Destinataires manquants')
    await post(`/admin/campaigns/${id}`, settings())
    await saveContent(id, [...blocks, { id: 'e1', type: 'event', eventId: null, buttonLabel: '' }, { id: 'a1', type: 'button', label: 'Sans lien', url: '' }])
    const blocked = await (await staffGet(editor, `/admin/campaigns/${id}/send`)).text()
    expect(blocked).toContain('Bloc 4 (événement) : aucun événement choisi.')
    expect(blocked).toContain('Bloc 5 (bouton) : adresse du lien manquante.')
    await saveContent(id, blocks)
    const ready = await (await staffGet(editor, `/admin/campaigns/${id}/send`)).text()
    expect(ready).toContain('Rien ne bloque l’envoi.')
    expect(ready).toContain('Environ 1 destinataire aujourd’hui.')
  })

  it('uploads an image checked from its bytes and serves it publicly with a long cache and nosniff', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const upload = (bytes: Buffer, name: string, type: string) => {
      const form = new FormData()
      form.set('csrf', editor.csrfToken)
      form.set('file', new File([new Uint8Array(bytes)], name, { type }))
      return fetch(`${appUrl()}/admin/campaigns/assets`, { method: 'POST', body: form, headers: { Cookie: editor.cookie, Origin: appUrl() } })
    }
    const accepted = await upload(png, 'point.png', 'image/png')
    expect(accepted.status).toBe(201)
    const asset = (await accepted.json()) as { id: number; url: string }
    expect(asset.url).toMatch(new RegExp(`/assets/${asset.id}$`))
    expect(await prisma.auditLog.count({ where: { action: 'asset.upload', entityId: String(asset.id), actorId: editor.id } })).toBe(1)
    const served = await fetch(`${appUrl()}/assets/${asset.id}`)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('cache-control')).toContain('max-age=31536000')
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)

    const html = await upload(Buffer.from('<svg onload="alert(1)"></svg>'), 'image.png', 'image/png')
    expect(html.status).toBe(400)
    expect(await html.json()).toEqual({ error: 'campaigns.assets.badType' })
    const big = await upload(Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]), 'grande.png', 'image/png')
    expect(big.status).toBe(413)
  })

  it('refuses content whose sanitised form breaks a rule (markup between two braces), keeping the stored content', async () => {
    const id = await readyCampaign()
    const before = (await prisma.campaign.findUniqueOrThrow({ where: { id } })).content
    for (const [html, sentence] of [
      ['<p>{<script>x</script>{oops</p>', 'Bloc 1 : Accolades orphelines « {{ »'],
      ['<p>Bonjour {<script></script>{prenon}<script></script>}</p>', 'Bloc 1 : Champ de fusion inconnu : {{prenon}}.'],
    ] as const) {
      const refused = await saveContentJson(id, [{ id: 't1', type: 'text', html }])
      expect(refused.status, html).toBe(400)
      const answer = (await refused.json()) as { ok: boolean; errors: string[] }
      expect(answer.ok).toBe(false)
      expect(answer.errors.join(' '), html).toContain(sentence)
    }
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).content).toEqual(before)
    // The JSON endpoint stores like the page's action, and wants the CSRF field too.
    const saved = await saveContentJson(id, [blocks[0]])
    expect(saved.status).toBe(200)
    expect(((await saved.json()) as { ok: boolean }).ok).toBe(true)
    expect(((await prisma.campaign.findUniqueOrThrow({ where: { id } })).content as unknown[]).length).toBe(1)
    expect((await saveContentJson(id, blocks, { csrf: null })).status).toBe(403)
  })

  it('refuses a content save, a settings save and a delete that a launch overtook between check and write, in French, writing nothing', async () => {
    const content = await readyCampaign()
    const before = (await prisma.campaign.findUniqueOrThrow({ where: { id: content } })).content
    const refused = await launchedDuring(content, () => saveContentJson(content, [{ id: 'h9', type: 'heading', text: 'Trop tard', level: 2 }]))
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({ intent: 'content', ok: false, errors: ['Cette campagne est partie ou en cours d’envoi : elle ne peut plus être modifiée.'] })
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: content } })).content).toEqual(before)

    const settingsId = await readyCampaign()
    const settingsRefused = await launchedDuring(settingsId, () => post(`/admin/campaigns/${settingsId}`, settings({ subject: 'Trop tard' })))
    expect(settingsRefused.status).toBe(400)
    expect(await settingsRefused.text()).toContain('Cette campagne est partie ou en cours d’envoi : elle ne peut plus être modifiée.')
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: settingsId } })).subject).toBe('Les nouvelles de {{prenom|vous}}')

    const deleteId = await readyCampaign()
    const deleteRefused = await launchedDuring(deleteId, () => post(`/admin/campaigns/${deleteId}`, [['intent', 'delete']]))
    expect(deleteRefused.status).toBe(400)
    expect(await deleteRefused.text()).toContain('Seul un brouillon ou un modèle peut être supprimé.')
    expect(await prisma.campaign.findUnique({ where: { id: deleteId } })).not.toBeNull()
    // Nothing will send these: leave them as finished, not as runs under way.
    await prisma.campaign.updateMany({ where: { id: { in: [content, settingsId, deleteId] } }, data: { status: 'CANCELLED' } })
  })

  it('ties the disabled "send now" button to the sentence saying what to fix first', async () => {
    const id = await createCampaign()
    const page = await (await staffGet(editor, `/admin/campaigns/${id}/send`)).text()
    const button = /<button type="button" disabled="" aria-describedby="([^"]+)">Envoyer maintenant…<\/button>/.exec(page)
    expect(button).not.toBeNull()
    expect(page).toMatch(new RegExp(`<p id="${button![1]}">Corrigez d’abord les points ci-dessus.</p>`))
  })

  it('refuses posts without the CSRF token or from another site', async () => {
    const id = await createCampaign()
    expect((await post(`/admin/campaigns/${id}`, settings({ subject: 'Piégé' }), { csrf: null })).status).toBe(403)
    expect((await saveContent(id, blocks, { csrf: null })).status).toBe(403)
    expect((await post(`/admin/campaigns/${id}`, settings({ subject: 'Piégé' }), { origin: 'https://attaquant.example' })).status).toBe(403)
    expect((await post('/admin/campaigns', [['name', 'Piégée']], { csrf: null })).status).toBe(403)
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).subject).toBe('')
  })
})

describe('campaigns: copies, templates, scheduling, tests', () => {
  it('duplicates a campaign as a new draft "Copie de …" with its lists and blocks', async () => {
    const id = await readyCampaign()
    const response = await post(`/admin/campaigns/${id}`, [['intent', 'duplicate']])
    expect(response.status).toBe(302)
    const copyId = Number(/\/admin\/campaigns\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1])
    const copy = await prisma.campaign.findUniqueOrThrow({ where: { id: copyId }, include: { lists: true } })
    expect(copy).toMatchObject({ name: `Copie de Lettre ${tag}`, status: 'DRAFT', isTemplate: false, subject: 'Les nouvelles de {{prenom|vous}}' })
    expect(copy.lists).toHaveLength(2)
    expect((copy.content as unknown[]).length).toBe(3)
  })

  it('saves a campaign as a template and starts a new campaign from it', async () => {
    const id = await readyCampaign()
    const saved = await post(`/admin/campaigns/${id}`, [['intent', 'template']])
    expect(saved.status).toBe(302)
    const templateId = Number(/\/admin\/campaigns\/(\d+)/.exec(saved.headers.get('location') ?? '')?.[1])
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: templateId } })).toMatchObject({ isTemplate: true, status: 'DRAFT' })
    const list = await (await staffGet(editor, '/admin/campaigns')).text()
    expect(list).toContain(`<span class="sr-only"> (modèle « Lettre ${tag} »)</span>`)

    const started = await post('/admin/campaigns', [
      ['intent', 'from-template'],
      ['templateId', String(templateId)],
    ])
    expect(started.status).toBe(302)
    const newId = Number(/\/admin\/campaigns\/(\d+)/.exec(started.headers.get('location') ?? '')?.[1])
    const created = await prisma.campaign.findUniqueOrThrow({ where: { id: newId } })
    expect(created).toMatchObject({ isTemplate: false, status: 'DRAFT', name: `Lettre ${tag}` })
    expect((created.content as unknown[]).length).toBe(3)
  })

  it('schedules at a wall-clock time of the organisation’s zone (summer and winter time), refuses a skipped hour, reschedules, unschedules', async () => {
    const id = await readyCampaign()
    const timeZone = (await prisma.organization.findUnique({ where: { id: 1 } }))?.timeZone ?? 'Europe/Paris'
    const year = new Date().getUTCFullYear() + 1
    // 1 July: summer time in Paris (UTC+2), so 10:30 there is 08:30 UTC.
    const scheduled = await post(`/admin/campaigns/${id}/send`, [
      ['intent', 'schedule'],
      ['date', `${year}-07-01`],
      ['time', '10:30'],
    ])
    expect(scheduled.status, await scheduled.clone().text()).toBe(302)
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id } })
    expect(campaign.status).toBe('SCHEDULED')
    if (timeZone === 'Europe/Paris') expect(campaign.scheduledAt?.toISOString()).toBe(`${year}-07-01T08:30:00.000Z`)
    const page = await (await staffGet(editor, `/admin/campaigns/${id}/send?done=schedule`)).text()
    expect(page).toContain('Envoi programmé le')
    expect(page).toContain('10:30')
    expect(page).toContain(timeZone)

    // The last Sunday of March, 02:30 does not exist in Paris (clocks jump from 02:00 to 03:00).
    const lastSunday = 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay()
    const skipped = await post(`/admin/campaigns/${id}/send`, [
      ['intent', 'schedule'],
      ['date', `${year}-03-${lastSunday}`],
      ['time', timeZone === 'Europe/Paris' ? '02:30' : '25:10'],
    ])
    expect(skipped.status).toBe(400)
    expect(await skipped.text()).toContain('Date ou heure invalide')

    // Rescheduled to 1 December: winter time (UTC+1), so 10:30 in Paris is 09:30 UTC.
    const rescheduled = await post(`/admin/campaigns/${id}/send`, [
      ['intent', 'schedule'],
      ['date', `${year}-12-01`],
      ['time', '10:30'],
    ])
    expect(rescheduled.status).toBe(302)
    const moved = await prisma.campaign.findUniqueOrThrow({ where: { id } })
    expect(moved.status).toBe('SCHEDULED')
    if (timeZone === 'Europe/Paris') expect(moved.scheduledAt?.toISOString()).toBe(`${year}-12-01T09:30:00.000Z`)

    const unscheduled = await post(`/admin/campaigns/${id}/send`, [['intent', 'unschedule']])
    expect(unscheduled.status).toBe(302)
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DRAFT', scheduledAt: null })
  })

  it('sends a test only to staff addresses, after the readiness check', async () => {
    const blockedId = await createCampaign()
    const blocked = await post(`/admin/campaigns/${blockedId}`, [
      ['intent', 'test'],
      ['to', editor.email],
    ])
    expect(blocked.status).toBe(400)
    expect(await blocked.text()).toContain('Objet manquant')

    const id = await readyCampaign()
    const outsider = await post(`/admin/campaigns/${id}`, [
      ['intent', 'test'],
      ['to', 'quelquun@exterieur.example'],
    ])
    expect(outsider.status).toBe(400)
    expect(await outsider.text()).toContain('Un test ne part que vers des adresses de l’équipe.')
    const sent = await post(`/admin/campaigns/${id}`, [
      ['intent', 'test'],
      ['to', editor.email],
    ])
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain('Test envoyé à 1 adresse.')
  })

  it('serves the preview in a sandbox with a strict policy, and deletes a draft but not a sent campaign', async () => {
    const id = await readyCampaign()
    const preview = await staffGet(editor, `/admin/campaigns/${id}/preview?format=html`)
    expect(preview.status).toBe(200)
    expect(preview.headers.get('content-security-policy')).toContain('sandbox')
    expect(preview.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await preview.text()).toContain('Bonjour')
    const text = await (await staffGet(editor, `/admin/campaigns/${id}/preview?format=text`)).text()
    expect(text).toContain('Lire la suite')

    expect((await post(`/admin/campaigns/${id}`, [['intent', 'delete']])).status).toBe(302)
    expect(await prisma.campaign.findUnique({ where: { id } })).toBeNull()
    const sentId = await readyCampaign()
    await prisma.campaign.update({ where: { id: sentId }, data: { status: 'SENT' } })
    const refused = await post(`/admin/campaigns/${sentId}`, [['intent', 'delete']])
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Seul un brouillon ou un modèle peut être supprimé.')
    expect((await saveContent(sentId, [])).status).toBe(400)
  })
})

describe('sender identities (admins only)', () => {
  it('lets an admin create and edit an identity with its rates (audited, one default), refuses editors and bad rates', async () => {
    const admin = await createTestStaff('ADMIN', { label: 'senders-admin' })
    const send = (fields: Record<string, string>) =>
      fetch(`${appUrl()}/admin/senders`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ ...fields, csrf: admin.csrfToken }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: admin.cookie, Origin: appUrl() },
      })
    expect((await staffGet(editor, '/admin/senders')).status).toBe(403)
    const email = `annonces-${tag}@relais.test`
    const created = await send({ senderId: 'new', name: 'Annonces Relais', email, replyTo: '', ratePerSecond: '15', ratePerHour: '40000', isDefault: 'on' })
    expect(created.status).toBe(200)
    expect(await created.text()).toContain('L’expéditeur a été enregistré.')
    const identity = await prisma.senderIdentity.findUniqueOrThrow({ where: { email } })
    expect(identity).toMatchObject({ name: 'Annonces Relais', ratePerSecond: 15, ratePerHour: 40000, isDefault: true, replyTo: null })
    expect(await prisma.senderIdentity.count({ where: { isDefault: true } })).toBe(1)
    expect(await prisma.auditLog.count({ where: { action: 'sender.create', entityId: String(identity.id), actorId: admin.id } })).toBe(1)

    const badRate = await send({ senderId: String(identity.id), name: 'Annonces Relais', email, ratePerSecond: '0', ratePerHour: 'beaucoup' })
    expect(badRate.status).toBe(400)
    expect(await badRate.text()).toContain('Saisissez un nombre entier positif')
    const taken = await send({ senderId: 'new', name: 'Doublon', email, ratePerSecond: '1', ratePerHour: '1' })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain('Un autre expéditeur utilise déjà cette adresse.')
    const updated = await send({ senderId: String(identity.id), name: 'Annonces', email, replyTo: 'reponses@relais.test', ratePerSecond: '5', ratePerHour: '1000' })
    expect(updated.status).toBe(200)
    expect(await prisma.senderIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({ name: 'Annonces', ratePerSecond: 5, ratePerHour: 1000, isDefault: false, replyTo: 'reponses@relais.test' })
    await prisma.senderIdentity.update({ where: { id: identity.id }, data: { isDefault: false } })
  })
})

describe('campaigns: controls and results', () => {
  it('pauses a sending campaign, shows why and who was taken back, lists failures with the SMTP answer, retries them, cancels after confirmation', async () => {
    const id = await readyCampaign()
    await prisma.campaign.update({ where: { id }, data: { status: 'SENDING', startedAt: new Date() } })
    const [delivered, failed] = await Promise.all(['recu', 'echec'].map((label) => prisma.contact.create({ data: { email: `${label}-${tag}-${id}@test.example` } })))
    await prisma.delivery.createMany({
      data: [
        { campaignId: id, contactId: delivered!.id, status: 'SENT', attempts: 1, sentAt: new Date(), smtpResponse: '250 2.0.0 Ok' },
        { campaignId: id, contactId: failed!.id, status: 'FAILED', attempts: 5, smtpResponse: '421 4.7.0 Essayez plus tard' },
      ],
    })
    const sending = await (await staffGet(editor, `/admin/campaigns/${id}/send`)).text()
    expect(sending).toContain('Mettre en pause')
    expect(sending).toContain('Envoi en cours…')

    expect((await post(`/admin/campaigns/${id}/send`, [['intent', 'pause']])).status).toBe(302)
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('PAUSED')
    await prisma.campaign.update({ where: { id }, data: { pausedReason: 'le serveur SMTP ne répond pas.', recoveredCount: 2 } })
    const paused = await (await staffGet(editor, `/admin/campaigns/${id}/send?done=pause`)).text()
    expect(paused).toContain('Envoi mis en pause.')
    expect(paused).toContain('Envoi suspendu : le serveur SMTP ne répond pas.')
    expect(paused).toContain('2 destinataires ont été repris après l’arrêt brutal d’un processus d’envoi')
    expect(paused).toContain('Reprendre l’envoi')
    const progress = (await (await staffGet(editor, `/admin/campaigns/${id}/progress`)).json()) as { status: string; total: number }
    expect(progress).toMatchObject({ status: 'PAUSED', total: 2 })

    const results = await (await staffGet(editor, `/admin/campaigns/${id}/results`)).text()
    expect(results).toContain('421 4.7.0 Essayez plus tard')
    expect(results).toContain(`echec-${tag}-${id}@test.example`)
    expect(results).toContain('Relancer les échecs')
    const retried = await post(`/admin/campaigns/${id}/results`, [['intent', 'retry']])
    expect(retried.status).toBe(302)
    expect(retried.headers.get('location')).toBe(`/admin/campaigns/${id}/results?retried=1`)
    expect((await prisma.delivery.findFirstOrThrow({ where: { campaignId: id, contactId: failed!.id } })).status).not.toBe('FAILED')

    const confirm = await (await staffGet(editor, `/admin/campaigns/${id}/send?step=confirm-cancel`)).text()
    expect(confirm).toContain('Annuler l’envoi ? Les personnes qui ne l’ont pas encore reçue ne la recevront pas.')
    expect((await post(`/admin/campaigns/${id}/send`, [['intent', 'cancel']])).status).toBe(302)
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('CANCELLED')
    const again = await post(`/admin/campaigns/${id}/send`, [['intent', 'pause']])
    expect(again.status).toBe(409)
  })
})
