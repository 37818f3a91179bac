// Owns the rendering of a newsletter: blocks → MJML → HTML and text, ONCE per campaign, into a CompiledCampaign whose
// templates keep merge fields and per-recipient values as holes (see template.ts); the message factory (message.ts)
// fills them per recipient without rendering again. Plain values in: no database, no environment.
import { compile as compileHtmlToText } from 'html-to-text'
import mjml2html from 'mjml'
import { escapeHtml } from '#emails/template.ts'
import type { CampaignBlock, MergeField } from './blocks.ts'
import type { CompiledCampaign, CompiledTemplate, TemplatePart } from './compiled.ts'
import { campaignCopy, eventWhen, joinNames, type CampaignCopy } from './copy.ts'
import { richTextLinks, sanitizeRichTextWithLinks } from './sanitize.ts'
import { fillTemplate, TokenTable, type SystemValues } from './template.ts'

export interface EventCardData {
  id: number
  title: string
  startsAt: string
  endsAt: string
  timeZone: string
  kind: 'ONLINE' | 'IN_PERSON' | 'HYBRID'
  venue: string | null
  /** The event's public page: the archive's button, and where the button leads without a contact (preview, test). */
  pageUrl: string
}

export interface CampaignRenderInput {
  campaignId: number
  subject: string
  preheader: string
  locale: 'fr' | 'en'
  blocks: CampaignBlock[]
  organization: { name: string; postalAddress: string; website: string | null; brandColor: string; logoUrl: string | null }
  /** "Why you receive this": the names of the campaign's lists. */
  listNames: string[]
  events: Record<number, EventCardData>
  /** Absolute URL of each uploaded image (`${APP_URL}/assets/<id>`). */
  assetUrls: Record<number, string>
  /** `${APP_URL}/archive/<slug>` when the campaign is in the archive, else null. */
  webVersionUrl: string | null
}

/**
 * A tracked link: its CampaignLink id and the signed reference that the message's address carries (`/l/<ref>`),
 * signed by the server (links.server.ts trackedLinkRef) before it reaches the renderer, which holds no key.
 */
export interface TrackedLink {
  id: number
  ref: string
}

/**
 * - `message`: content links tracked (`/l/<ref>` + clickQuery), footer with the recipient's links, open pixel.
 * - `archive`: original links, footer pointing at the public newsletters page, no personal hole but merge fields;
 *   every link opens in a new tab (`<base target="_blank">`), since the archive shows it in a sandboxed frame.
 */
type Mode = { kind: 'message'; links: Record<string, TrackedLink>; appUrl: string } | { kind: 'archive'; appUrl: string }

const defaultBrand = '#1d4e89'
const textColor = '#1b1f24'
const mutedColor = '#4a5560'
/** Invisible filler after the preheader, so that inbox lists do not show the start of the body after it. */
const preheaderSpacer = '&#847;&zwnj;&nbsp;'.repeat(30)
const isWebLink = (url: string) => /^https?:\/\//i.test(url)

const htmlToText = compileHtmlToText({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'img', format: 'skip' },
    { selector: 'div.relais-preheader', format: 'skip' },
    { selector: 'div.relais-open', format: 'skip' },
  ],
})

/** Every content link of the campaign (buttons, articles, images, rich text, event cards): the tracked ones. */
export function contentLinks(input: Pick<CampaignRenderInput, 'blocks' | 'events'>): string[] {
  const urls: string[] = []
  for (const block of input.blocks) {
    if (block.type === 'text') urls.push(...richTextLinks(block.html))
    else if (block.type === 'image' || block.type === 'article' || block.type === 'button') urls.push(block.url)
    else if (block.type === 'event' && block.eventId !== null) {
      // The card's button is personal (see registerHref); its CampaignLink row only counts its clicks.
      const event = input.events[block.eventId]
      if (event) urls.push(event.pageUrl)
    }
  }
  return [...new Set(urls.filter(isWebLink))]
}

class Renderer {
  readonly copy: CampaignCopy
  readonly brand: string

  constructor(
    readonly input: CampaignRenderInput,
    readonly mode: Mode,
    readonly tokens: TokenTable,
  ) {
    this.copy = campaignCopy[input.locale]
    this.brand = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(input.organization.brandColor) ? input.organization.brandColor : defaultBrand
  }

  /** Plain text with merge tags, as HTML. */
  text(value: string): string {
    return this.tokens.mergeText(value, escapeHtml, this.input.organization.name)
  }

  /** A content link's target, not escaped: tracked in a message, the original address in the archive. */
  target(url: string): string {
    if (this.mode.kind === 'message' && isWebLink(url)) {
      const link = this.mode.links[url]
      if (link !== undefined) return `${this.mode.appUrl}/l/${link.ref}${this.tokens.system('clickQuery')}`
    }
    return url
  }

  /** A content link's href attribute value (escaped). */
  href(url: string): string {
    return escapeHtml(this.target(url))
  }

  /**
   * The href of an event card's button. In a message, a hole for the recipient's own one-click registration link
   * (signed per recipient when filled; a personal address never becomes a tracked `/l/` target), carrying the signed
   * reference of the event page's CampaignLink so that the page counts the click; in the archive, the event's page.
   */
  registerHref(event: EventCardData): string {
    if (this.mode.kind === 'archive') return escapeHtml(event.pageUrl)
    const link = this.mode.links[event.pageUrl]
    return this.tokens.token({ eventInvite: event.id, query: link ? `?l=${link.ref}` : '', fallback: event.pageUrl })
  }

  block(block: CampaignBlock): string {
    switch (block.type) {
      case 'heading': {
        const size = { 1: '28px;line-height:34px', 2: '22px;line-height:28px', 3: '18px;line-height:24px' }[block.level]
        return `<mj-text><h${block.level} style="margin:0;font-size:${size};color:${textColor}">${this.text(block.text)}</h${block.level}></mj-text>`
      }
      case 'text': {
        // The sanitiser hands over each link's decoded address and escapes the target it gets back. The text is
        // already HTML: only the organisation's name, written in here, is escaped.
        const html = sanitizeRichTextWithLinks(block.html, (url) => this.target(url))
        return `<mj-text css-class="relais-text">${this.tokens.mergeText(html, (literal) => literal, escapeHtml(this.input.organization.name), true)}</mj-text>`
      }
      case 'image': {
        const src = block.assetId === null ? undefined : this.input.assetUrls[block.assetId]
        if (!src) return ''
        const link = block.url ? ` href="${this.href(block.url)}"` : ''
        return `<mj-image src="${escapeHtml(src)}" alt="${escapeHtml(block.alt)}"${link} />`
      }
      case 'article': {
        const src = block.assetId === null ? undefined : this.input.assetUrls[block.assetId]
        const href = block.url ? this.href(block.url) : null
        const image = src ? `<mj-image src="${escapeHtml(src)}" alt="${escapeHtml(block.imageAlt)}"${href ? ` href="${href}"` : ''} padding-bottom="8px" />` : ''
        const title = this.text(block.title)
        const heading = `<h3 style="margin:0 0 8px;font-size:18px;line-height:24px;color:${textColor}">${href ? `<a href="${href}" style="color:${textColor}">${title}</a>` : title}</h3>`
        const more = href ? `<p style="margin:8px 0 0"><a href="${href}" style="color:${this.brand};font-weight:bold">${this.text(block.linkLabel || this.copy.readMore)}</a></p>` : ''
        return `${image}<mj-text>${heading}<p style="margin:0">${this.text(block.summary)}</p>${more}</mj-text>`
      }
      case 'button':
        return block.url ? `<mj-button href="${this.href(block.url)}">${this.text(block.label)}</mj-button>` : ''
      case 'divider':
        return '<mj-divider border-color="#d5dbe1" border-width="1px" />'
      case 'event': {
        const event = block.eventId === null ? undefined : this.input.events[block.eventId]
        if (!event) return ''
        const place = event.kind === 'ONLINE' || !event.venue ? this.copy.online : event.kind === 'HYBRID' ? this.copy.onlineAnd(event.venue) : event.venue
        const when = eventWhen(event.startsAt, event.endsAt, event.timeZone, this.input.locale)
        return `<mj-text><h3 style="margin:0 0 8px;font-size:18px;line-height:24px;color:${textColor}">${escapeHtml(event.title)}</h3><p style="margin:0"><strong>${escapeHtml(when)}</strong><br />${escapeHtml(place)}</p></mj-text>
        <mj-button href="${this.registerHref(event)}">${this.text(block.buttonLabel || this.copy.register)}</mj-button>`
      }
    }
  }

  header(): string {
    const { organization } = this.input
    const name = escapeHtml(organization.name)
    if (organization.logoUrl) {
      const link = organization.website && isWebLink(organization.website) ? ` href="${escapeHtml(organization.website)}"` : ''
      return `<mj-image src="${escapeHtml(organization.logoUrl)}" alt="${name}" width="160px" align="left"${link} />`
    }
    return `<mj-text font-size="20px" font-weight="bold" color="${this.brand}">${name}</mj-text>`
  }

  footer(): string {
    const { organization, listNames, webVersionUrl } = this.input
    const why = listNames.length > 0 ? this.copy.whyYouReceive(joinNames(listNames, this.input.locale)) : this.copy.whyYouReceiveNoList
    const link = (href: string, label: string) => `<a href="${href}" style="color:${mutedColor};text-decoration:underline">${escapeHtml(label)}</a>`
    const address = organization.postalAddress ? `<br />${escapeHtml(organization.postalAddress)}` : ''
    let links: string
    if (this.mode.kind === 'message') {
      links = `<p>${link(this.tokens.system('preferencesUrl'), this.copy.preferences)} · ${link(this.tokens.system('unsubscribeUrl'), this.copy.unsubscribe)}</p>`
      if (webVersionUrl) links += `<p>${link(escapeHtml(webVersionUrl), this.copy.viewOnline)}</p>`
    } else {
      links = `<p>${escapeHtml(this.copy.archiveNotice)} ${link(escapeHtml(`${this.mode.appUrl}/newsletters`), this.copy.archiveLink)}</p>`
    }
    return `<mj-text font-size="13px" line-height="20px" color="${mutedColor}"><p><strong>${escapeHtml(organization.name)}</strong>${address}</p><p>${escapeHtml(why)}</p>${links}</mj-text>`
  }

  document(): string {
    const { input } = this
    const preheader = input.preheader
      ? `<mj-raw><div class="relais-preheader" style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${this.text(input.preheader)}${preheaderSpacer}</div></mj-raw>`
      : ''
    const pixel = this.mode.kind === 'message' ? `<mj-raw><div class="relais-open">${this.tokens.system('openPixel')}</div></mj-raw>` : ''
    return `<mjml lang="${input.locale}">
  <mj-head>
    <mj-title>${this.text(input.subject)}</mj-title>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="${textColor}" />
      <mj-button background-color="${this.brand}" color="#ffffff" font-size="16px" font-weight="bold" inner-padding="12px 24px" border-radius="6px" />
    </mj-attributes>
    <mj-style>.relais-text a { color: ${this.brand}; } .relais-text p { margin: 0 0 12px; }</mj-style>
  </mj-head>
  <mj-body background-color="#f4f6f8">
    ${preheader}
    <mj-section padding="24px 0 8px"><mj-column>${this.header()}</mj-column></mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="16px 8px">
      <mj-column>
${input.blocks.map((block) => this.block(block)).join('\n')}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px"><mj-column>${this.footer()}</mj-column></mj-section>
    ${pixel}
  </mj-body>
</mjml>`
  }
}

/** Accessibility of the MJML output: every layout table is presentational, every image has an alt (decorative: ""). */
export function finishHtml(html: string): string {
  return html.replace(/<table\b(?![^>]*\brole=)/gi, '<table role="presentation"').replace(/<img\b(?![^>]*\balt=)/gi, '<img alt=""')
}

/**
 * The archive's links open in a new tab: MJML gives target=_blank to buttons and images only, and a rich-text,
 * article or footer link would otherwise load inside the archive's sandboxed frame (where many sites refuse to be
 * framed and no form can be sent).
 */
export function linksInNewTab(html: string): string {
  return html.replace(/<head(\s[^>]*)?>/i, '$&<base target="_blank">')
}

async function renderHtml(input: CampaignRenderInput, mode: Mode, tokens: TokenTable): Promise<string> {
  const source = new Renderer(input, mode, tokens).document()
  const { html } = await mjml2html(source, { validationLevel: 'strict', keepComments: false })
  const finished = finishHtml(html)
  return mode.kind === 'archive' ? linksInNewTab(finished) : finished
}

interface Templates {
  subject: CompiledTemplate
  html: CompiledTemplate
  text: CompiledTemplate
}

async function renderTemplates(input: CampaignRenderInput, mode: Mode): Promise<Templates> {
  const tokens = new TokenTable()
  const subject = tokens.split(tokens.mergeText(input.subject, (literal) => literal, input.organization.name))
  const html = await renderHtml(input, mode, tokens)
  // The text part is derived from the HTML once; tokens survive html-to-text. The open pixel has no text form.
  const text = tokens.split(htmlToText(html), (hole) => ('system' in hole && hole.system === 'openPixel' ? null : hole))
  return { subject, html: tokens.split(html), text }
}

const noSystemValues: SystemValues = { unsubscribeUrl: '', preferencesUrl: '', clickQuery: '', openPixel: '' }

/** Everything filled with fallbacks (or nothing): what the public archive shows. */
function fillWithFallbacks(templates: Templates): CompiledCampaign['archive'] {
  return {
    subject: oneLine(fillTemplate(templates.subject, {}, noSystemValues, 'text')),
    html: fillTemplate(templates.html, {}, noSystemValues, 'html'),
    text: fillTemplate(templates.text, {}, noSystemValues, 'text'),
  }
}

/** A header value: one line whatever the values held. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

/**
 * Renders the campaign once: the message templates (links tracked through `links`, url → CampaignLink id and signed
 * reference) and the archive version. MJML is slow (~25 ms a render): call this once per campaign, never per
 * recipient.
 */
export async function compileCampaign(input: CampaignRenderInput, links: Record<string, TrackedLink>, appUrl: string): Promise<CompiledCampaign> {
  const base = appUrl.replace(/\/+$/, '')
  const [message, archive] = await Promise.all([
    renderTemplates(input, { kind: 'message', links, appUrl: base }),
    renderTemplates(input, { kind: 'archive', appUrl: base }),
  ])
  return {
    version: 1,
    campaignId: input.campaignId,
    locale: input.locale,
    subject: message.subject,
    html: message.html,
    text: message.text,
    links: Object.entries(links).map(([url, link]) => ({ id: link.id, url })),
    archive: fillWithFallbacks(archive),
    inArchive: input.webVersionUrl !== null,
    compiledAt: new Date().toISOString(),
  }
}

/** The staff preview: the message as a recipient with `sample` values sees it, links not rewritten. */
export async function renderPreview(input: CampaignRenderInput, sample: Partial<Record<MergeField, string>>): Promise<{ subject: string; html: string; text: string }> {
  const templates = await renderTemplates(input, { kind: 'message', links: {}, appUrl: '' })
  const system: SystemValues = { unsubscribeUrl: '#', preferencesUrl: '#', clickQuery: '', openPixel: '' }
  return {
    subject: oneLine(fillTemplate(templates.subject, sample, system, 'text')),
    html: fillTemplate(templates.html, sample, system, 'html'),
    text: fillTemplate(templates.text, sample, system, 'text'),
  }
}

export type { TemplatePart }
