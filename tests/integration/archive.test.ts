// The public archive (/archive, /archive/:slug and its framed HTML, /archive/rss.xml): sent issues whose lists all
// allow the archive, newest first a page at a time, filtered by list; a list's opt-out hides its issues, also those
// already sent; unknown or hidden issues are a French 404; no personal data or token anywhere; a hostile value is
// shown as text, never run (checked in Chromium too); the framed newsletter's links open in a new tab.
import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CampaignBlock } from '#emails/campaign/blocks.ts'
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import type { Prisma } from '~/generated/prisma/client.ts'
import { compileCampaignSnapshot } from '~/models/campaign-render.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { measurementToken, unsubscribeUrl } from '~/utils/links.server.ts'

const { appUrl } = inject('testContext')
const hostile = '<img src=x onerror=alert(1)>'

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * A hand-made snapshot, for the many issues whose content does not matter (paging, filters); the issue whose content
 * is checked is compiled by the real renderer (`render: true`).
 */
function snapshotFor(campaignId: number, subject: string, inArchive: boolean): CompiledCampaign {
  const body = `Bonjour ${escapeHtml(hostile)}, voici les nouvelles du réseau.`
  return {
    version: 1,
    campaignId,
    locale: 'fr',
    subject: [subject],
    html: [`<p>${body}</p>`],
    text: [body],
    links: [],
    archive: {
      subject,
      html: `<!doctype html><html lang="fr"><head><title>${escapeHtml(subject)}</title></head><body><h1>${escapeHtml(subject)}</h1><p>${body}</p><a href="https://exemple.org/article">Lire</a></body></html>`,
      text: `${subject}\n\nBonjour ${hostile}, voici les nouvelles du réseau.`,
    },
    inArchive,
    compiledAt: new Date().toISOString(),
  }
}

async function archiveList(name: string, inArchive = true) {
  return prisma.mailingList.create({ data: { slug: `archive-${randomUUID()}`, name, inArchive, isPublic: true } })
}

/** Content with the hostile value typed in a heading, as a merge-field fallback and in rich text. */
const hostileBlocks: CampaignBlock[] = [
  { id: 'titre', type: 'heading', text: `Bonjour {{prenom|${hostile}}} !`, level: 1 },
  { id: 'chapo', type: 'heading', text: `À la une : ${hostile}`, level: 2 },
  { id: 'texte', type: 'text', html: `<p>Voici les nouvelles du réseau, {{prenom|${hostile}}}.</p><p>${hostile}</p><p><a href="https://exemple.org/article">Lire</a></p>` },
  { id: 'bouton', type: 'button', label: 'Participer', url: 'https://exemple.org/participer' },
]

async function sentIssue(input: {
  subject: string
  listIds: number[]
  finishedAt?: Date
  status?: 'SENT' | 'SENDING'
  isTemplate?: boolean
  render?: boolean
}) {
  const campaign = await prisma.campaign.create({
    data: {
      name: input.subject,
      subject: input.render ? input.subject.replace(hostile, `{{prenom|${hostile}}}`) : input.subject,
      content: input.render ? (hostileBlocks as unknown as Prisma.InputJsonValue) : [],
      status: input.status ?? 'SENT',
      isTemplate: input.isTemplate ?? false,
      slug: `numero-${randomUUID()}`,
      startedAt: input.finishedAt ?? new Date(),
      finishedAt: input.finishedAt ?? new Date(),
      lists: { create: input.listIds.map((listId) => ({ listId })) },
    },
  })
  const snapshot = input.render ? await compileCampaignSnapshot(campaign.id) : snapshotFor(campaign.id, input.subject, true)
  return prisma.campaign.update({ where: { id: campaign.id }, data: { snapshot: snapshot as unknown as Prisma.InputJsonValue } })
}

async function page(path: string) {
  const response = await fetch(`${appUrl}${path}`)
  return { response, html: await response.text() }
}

/** The RSS document parsed by Chromium's XML parser (a parse error fails the test). */
async function parseRss(browser: Browser, xml: string) {
  const { context, page: tab } = await newPage(browser)
  try {
    return await tab.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml')
      if (doc.querySelector('parsererror')) throw new Error(`RSS is not well-formed XML: ${doc.querySelector('parsererror')?.textContent}`)
      const text = (node: Element | Document, selector: string) => node.querySelector(selector)?.textContent ?? null
      return {
        version: doc.documentElement.getAttribute('version'),
        title: text(doc, 'channel > title'),
        link: text(doc, 'channel > link'),
        items: [...doc.querySelectorAll('item')].map((item) => ({ title: text(item, 'title'), link: text(item, 'link'), description: text(item, 'description') })),
      }
    }, xml)
  } finally {
    await context.close()
  }
}

describe('public archive', () => {
  let browser: Browser
  const stamp = randomUUID().slice(0, 8)
  let lettre: Awaited<ReturnType<typeof archiveList>>
  let optedOut: Awaited<ReturnType<typeof archiveList>>
  let shown: Awaited<ReturnType<typeof sentIssue>>
  let hidden: Awaited<ReturnType<typeof sentIssue>>
  let recipient = ''

  beforeAll(async () => {
    browser = await launchBrowser()
    lettre = await archiveList(`La quotidienne ${stamp}`)
    optedOut = await archiveList(`Lettre interne ${stamp}`, false)
    // Compiled by the renderer: the subject is `Numéro … {{prenom|<img …>}}`, shown with its fallback.
    shown = await sentIssue({ subject: `Numéro ${stamp} ${hostile}`, listIds: [lettre.id], finishedAt: new Date(Date.now() + 60_000), render: true })
    // Sent to a list in the archive and to one that opted out: hidden, like every issue of the opted-out list.
    hidden = await sentIssue({ subject: `Caché ${stamp}`, listIds: [lettre.id, optedOut.id], finishedAt: new Date(Date.now() + 120_000) })
    // A recipient of the shown issue: their address and tokens must never reach the archive.
    recipient = uniqueAddress('archive')
    const contact = await prisma.contact.create({ data: { email: recipient, firstName: 'Prénom-Secret', measurementConsent: true } })
    await prisma.delivery.create({ data: { campaignId: shown.id, contactId: contact.id, listId: lettre.id, status: 'SENT', sentAt: new Date(), messageId: `<${randomUUID()}@test.example>` } })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('lists a sent issue of a list in the archive, with its date, its list and the RSS links', async () => {
    const { response, html } = await page('/archive')
    expect(response.status).toBe(200)
    expect(html).toContain('Archives des lettres d’information')
    expect(html).toContain(`href="/archive/${shown.slug}"`)
    expect(html).toContain(`La quotidienne ${stamp}`)
    expect(html).toMatch(/<link[^>]+rel="alternate"[^>]+type="application\/rss\+xml"[^>]+href="\/archive\/rss.xml"/)
    expect(html).toContain('href="/archive/rss.xml"')
    expect(html).toContain('href="/newsletters"')
    // The subject is shown as text, never as markup.
    expect(html).not.toContain(hostile)
    expect(html).toContain(escapeHtml(hostile))
  })

  it('hides an issue one of whose lists opted out of the archive, and 404s its page', async () => {
    const { html } = await page('/archive')
    expect(html).not.toContain(`Caché ${stamp}`)
    expect(html).not.toContain(`Lettre interne ${stamp}`)
    const issue = await page(`/archive/${hidden.slug}`)
    expect(issue.response.status).toBe(404)
    expect(issue.html).toContain('Page introuvable')
    expect((await page(`/archive/${hidden.slug}/html`)).response.status).toBe(404)
  })

  it('hides already-sent issues when their list opts out later, and shows them again when it opts back in', async () => {
    const list = await archiveList(`Lettre volage ${stamp}`)
    const issue = await sentIssue({ subject: `Volage ${stamp}`, listIds: [list.id] })
    expect((await page(`/archive/${issue.slug}`)).response.status).toBe(200)
    await prisma.mailingList.update({ where: { id: list.id }, data: { inArchive: false } })
    expect((await page(`/archive/${issue.slug}`)).response.status).toBe(404)
    expect((await page('/archive')).html).not.toContain(`Volage ${stamp}`)
    await prisma.mailingList.update({ where: { id: list.id }, data: { inArchive: true } })
    expect((await page(`/archive/${issue.slug}`)).response.status).toBe(200)
  })

  it('never shows drafts, issues still sending, templates or unknown slugs', async () => {
    const sending = await sentIssue({ subject: `En cours ${stamp}`, listIds: [lettre.id], status: 'SENDING' })
    const template = await sentIssue({ subject: `Modèle ${stamp}`, listIds: [lettre.id], isTemplate: true })
    for (const slug of [sending.slug, template.slug, 'numero-inconnu']) {
      const { response, html } = await page(`/archive/${slug}`)
      expect(response.status).toBe(404)
      expect(html).toContain('Page introuvable')
    }
    const { html } = await page('/archive')
    expect(html).not.toContain(`En cours ${stamp}`)
    expect(html).not.toContain(`Modèle ${stamp}`)
  })

  it('shows the web version: title = subject, date, list, subscribe link, the HTML in a sandboxed frame', async () => {
    const { response, html } = await page(`/archive/${shown.slug}`)
    expect(response.status).toBe(200)
    expect(html).toContain(`<title>${escapeHtml(`Numéro ${stamp} ${hostile}`)}</title>`)
    expect(html).toContain(`La quotidienne ${stamp}`)
    expect(html).toContain('href="/newsletters"')
    expect(html).toMatch(/<iframe[^>]+sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"/)
    expect(html).not.toContain(hostile)

    const frame = await fetch(`${appUrl}/archive/${shown.slug}/html`)
    expect(frame.status).toBe(200)
    expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const policy = frame.headers.get('content-security-policy') ?? ''
    expect(policy).toContain('sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation')
    expect(policy).toContain("default-src 'none'")
    expect(policy).not.toContain('script-src')
    const body = await frame.text()
    expect(body).toContain('Voici les nouvelles du réseau')
    expect(body).toContain(escapeHtml(hostile))
    expect(body).not.toContain(hostile)
    expect(body).not.toMatch(/onerror=(?!alert\(1\)&gt;)/)
  })

  it('puts no personal data or token in the archive pages, the framed HTML or the feed', async () => {
    const contact = await prisma.contact.findUniqueOrThrow({ where: { email: recipient } })
    const delivery = await prisma.delivery.findFirstOrThrow({ where: { campaignId: shown.id, contactId: contact.id } })
    const secrets = [recipient, 'Prénom-Secret', measurementToken(delivery.id).split('.')[2]!, new URL(unsubscribeUrl({ contactId: contact.id, campaignId: shown.id })).pathname]
    for (const path of ['/archive', `/archive/${shown.slug}`, `/archive/${shown.slug}/html`, '/archive/rss.xml']) {
      const { response, html } = await page(path)
      expect(response.status, path).toBe(200)
      for (const secret of secrets) expect(html, `${path} contains personal data`).not.toContain(secret)
      expect(html, path).not.toContain('/u/')
      expect(html, path).not.toContain('/preferences/')
      expect(html, path).not.toContain('?r=')
    }
  })

  it('publishes an RSS 2.0 feed that parses and lists the issue with absolute links', async () => {
    const response = await fetch(`${appUrl}/archive/rss.xml`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    // Cached publicly, but its language follows the reader's cookie or Accept-Language: one copy per language.
    const vary = (response.headers.get('vary') ?? '').toLowerCase()
    expect(vary).toContain('cookie')
    expect(vary).toContain('accept-language')
    const feed = await parseRss(browser, await response.text())
    expect(feed.version).toBe('2.0')
    expect(feed.link).toBe(`${appUrl}/archive`)
    const item = feed.items.find((entry) => entry.link === `${appUrl}/archive/${shown.slug}`)
    // The hostile subject comes back as the same text: escaped in the XML, not markup.
    expect(item?.title).toBe(`Numéro ${stamp} ${hostile}`)
    expect(item?.description).toContain('Voici les nouvelles du réseau')
    expect(feed.items.some((entry) => entry.title === `Caché ${stamp}`)).toBe(false)
    expect(feed.items.length).toBeLessThanOrEqual(20)
  })

  it('pages by 20, newest first, and filters by a list of the archive', async () => {
    const list = await archiveList(`L’hebdo ${stamp}`)
    const base = Date.now() - 3_600_000
    for (let index = 0; index < 22; index += 1) {
      await sentIssue({ subject: `Hebdo ${stamp} n°${String(index).padStart(2, '0')}`, listIds: [list.id], finishedAt: new Date(base + index * 1000) })
    }
    const first = await page(`/archive?list=${list.id}`)
    expect(first.html).toContain(`<option value="${list.id}" selected="">`)
    // The links' text only (the page's data for hydration repeats the subjects).
    const subjectsOf = (html: string) => [...html.matchAll(new RegExp(`>Hebdo ${stamp} n°(\\d\\d)</a>`, 'g'))].map((match) => match[1])
    expect(subjectsOf(first.html)).toEqual(Array.from({ length: 20 }, (_, index) => String(21 - index).padStart(2, '0')))
    expect(first.html).not.toContain(`Numéro ${stamp}`)
    const older = /href="(\/archive\?[^"]*after=[^"]+)"/.exec(first.html)?.[1]?.replace(/&amp;/g, '&')
    expect(older).toBeDefined()
    const second = await page(older!)
    expect(subjectsOf(second.html)).toEqual(['01', '00'])
    expect(second.html).not.toMatch(/after=/)
    expect(second.html).toContain('Revenir aux numéros les plus récents')
    // A list that is not in the archive cannot be chosen: the filter falls back to every list.
    const refused = await page(`/archive?list=${optedOut.id}`)
    expect(refused.html).not.toContain(`value="${optedOut.id}"`)
  })

  it('is accessible in Chromium, the framed newsletter runs no script, and its links open in a new tab', async () => {
    const { context, page: tab } = await newPage(browser)
    const dialogs: string[] = []
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    try {
      await tab.goto('/archive')
      expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Archives des lettres d’information')
      expect(await tab.locator('main').count()).toBe(1)
      expect(await seriousViolations(tab)).toEqual([])
      await tab.screenshot({ path: screenshotPath('archive-index'), fullPage: true })

      await tab.getByRole('link', { name: `Numéro ${stamp} ${hostile}` }).click()
      await tab.waitForURL(`**/archive/${shown.slug}`)
      // Client-side navigation: the URL changes a moment before the new page is rendered.
      await expect.poll(() => tab.getByRole('heading', { level: 1 }).textContent()).toBe(`Numéro ${stamp} ${hostile}`)
      const frame = tab.frameLocator('iframe')
      await expect.poll(() => frame.locator('body').textContent()).toContain('Voici les nouvelles du réseau')
      // The hostile value is text in the newsletter, never an element.
      expect(await frame.locator('body').textContent()).toContain(`À la une : ${hostile}`)
      expect(await frame.locator('[onerror]').count()).toBe(0)
      expect(await frame.locator('img[src="x"]').count()).toBe(0)
      await tab.screenshot({ path: screenshotPath('archive-issue'), fullPage: true })
      expect(await seriousViolations(tab)).toEqual([])

      // A rich-text link (MJML gives no target to these) opens in a new tab; the frame keeps the newsletter.
      await context.route('https://exemple.org/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Article</title><p>Article</p>' }))
      const [popup] = await Promise.all([context.waitForEvent('page', { timeout: 15_000 }), frame.getByRole('link', { name: 'Lire', exact: true }).click()])
      await popup.waitForLoadState()
      expect(popup.url()).toBe('https://exemple.org/article')
      expect(await frame.locator('body').textContent()).toContain('Voici les nouvelles du réseau')
      expect(dialogs).toEqual([])
    } finally {
      await context.close()
    }
  })
})
