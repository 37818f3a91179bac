// Unit tests of the newsletter rendering (no database): sanitising, blocks → HTML/text, merge fields, links, archive.
import { describe, expect, it } from 'vitest'
import type { CompiledTemplate } from './compiled.ts'
import { compileCampaign, contentLinks, renderPreview, type CampaignRenderInput, type TrackedLink } from './render.ts'
import { sampleRenderInput } from './sample.ts'
import { sanitizeRichText } from './sanitize.ts'
import { fillTemplate } from './template.ts'

const appUrl = 'https://relais.example.org'
const hostile = '<img src=x onerror=alert(1)>'

/** Tracked links as the server hands them over: ids and signed references (a stand-in signature here). */
function linksOf(input: CampaignRenderInput): Record<string, TrackedLink> {
  return Object.fromEntries(contentLinks(input).map((url, index) => [url, { id: 100 + index, ref: `${100 + index}987654321012` }]))
}

/** The template with holes shown as [field] / [system] / [invite:<event><query>], to assert where they are. */
function show(template: CompiledTemplate): string {
  return template
    .map((part) => (typeof part === 'string' ? part : 'field' in part ? `[${part.field}|${part.fallback}]` : 'eventInvite' in part ? `[invite:${part.eventInvite}${part.query}]` : `[${part.system}]`))
    .join('')
}

/** A stand-in for the signed one-click link (links.server.ts eventInviteUrl): the event id is visible. */
const eventInviteUrl = (eventId: number) => `${appUrl}/inscription/TOKEN-E${eventId}`

const system = { unsubscribeUrl: 'https://relais.example.org/u/TOKEN', preferencesUrl: 'https://relais.example.org/preferences/PREF', clickQuery: '?r=MEASURE', openPixel: '<img src="https://relais.example.org/o/MEASURE" width="1" height="1" alt="" />' }

describe('sanitizeRichText', () => {
  it('keeps the allow-list and strips scripts, styles, event attributes and javascript: links', () => {
    const clean = sanitizeRichText(
      '<p onclick="steal()" style="color:red">Bonjour <strong>gras</strong> <em>it</em> <u>souligné</u><br><script>alert(1)</script><style>p{}</style>' +
        '<a href="javascript:alert(1)">piège</a> <a href="https://exemple.org/?a=1&amp;b=2" target="_blank" onmouseover="x()">lien</a> ' +
        '<a href="mailto:bonjour@exemple.org">écrire</a> <img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe></p><ul><li>un</li></ul><ol><li>deux</li></ol>',
    )
    expect(clean).toBe(
      '<p>Bonjour <strong>gras</strong> <em>it</em> <u>souligné</u><br />' +
        '<a>piège</a> <a href="https://exemple.org/?a=1&amp;b=2" rel="noopener">lien</a> ' +
        '<a href="mailto:bonjour@exemple.org" rel="noopener">écrire</a> </p><ul><li>un</li></ul><ol><li>deux</li></ol>',
    )
  })

  it('keeps paragraphs written as <div> or pasted headings', () => {
    expect(sanitizeRichText('<div>un</div><div>deux <span style="x">trois</span></div><h2>titre</h2>')).toBe('<p>un</p><p>deux trois</p><p>titre</p>')
  })

  it('drops relative and protocol-relative link targets', () => {
    expect(sanitizeRichText('<a href="//evil.example/x">a</a><a href="/admin">b</a><a href="data:text/html,x">c</a>')).toBe('<a>a</a><a>b</a><a>c</a>')
  })
})

describe('compileCampaign', () => {
  it('renders every block accessibly: lang, presentational tables, alt on every image, hidden preheader', async () => {
    const input = sampleRenderInput()
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const html = fillTemplate(compiled.html, { firstName: 'Camille' }, system, 'html')
    expect(html).toMatch(/<html lang="fr"/)
    const tables = html.match(/<table\b[^>]*>/g) ?? []
    expect(tables.length).toBeGreaterThan(5)
    for (const table of tables) expect(table).toContain('role="presentation"')
    const images = html.match(/<img\b[^>]*>/g) ?? []
    expect(images.length).toBeGreaterThan(2)
    for (const image of images) expect(image).toMatch(/\balt="/)
    expect(html).toContain('alt="Des bénévoles autour d’une table"')
    expect(html).toContain('Ateliers, rencontres et appels à projets')
    const text = fillTemplate(compiled.text, { firstName: 'Camille' }, system, 'text')
    expect(text).not.toContain('Ateliers, rencontres et appels à projets')
    expect(text).not.toContain('/o/MEASURE')
    // No sentinel survives anywhere.
    expect(JSON.stringify(compiled)).not.toMatch(/zq[0-9a-f]{12}n\d+x/i)
  })

  it('shows each block: heading, text, image, article, button, divider, event cards in their own zone, footer', async () => {
    const input = sampleRenderInput({ articles: 1 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const text = fillTemplate(compiled.text, { firstName: 'Camille', territory: 'Villeurbanne' }, system, 'text')
    expect(text).toContain('Les nouvelles de Maison des associations')
    expect(text).toContain('Bonjour Camille, cette semaine la Maison des associations')
    expect(text).toContain('Je participe, Camille !')
    expect(text).toContain('Article 1 : la vie associative à Villeurbanne')
    expect(text).toContain('Lire la suite')
    expect(text).toContain('Atelier financements')
    expect(text).toContain('jeudi 3 décembre 2026, 18:30 – 20:00 (heure normale d’Europe centrale)')
    expect(text).toContain('Salle Jean Moulin')
    expect(text).toContain('Webinaire bénévolat')
    // The zone's name comes from ICU ("heure normale de l’Est nord-américain"): the event's own zone, not Paris.
    expect(text).toMatch(/jeudi 10 décembre 2026, 07:00 – 08:00 \(heure normale de l’Est/)
    expect(text).toContain('En ligne')
    expect(text).toContain('Je m’inscris')
    expect(text).toContain('Je m’inscris')
    expect(text).toContain('12 rue de la République, 69002 Lyon')
    expect(text).toContain('Vous recevez ce message car vous êtes inscrit·e à La quotidienne.')
    expect(text).toContain(`Se désinscrire`)
    expect(text).toContain(`[${system.unsubscribeUrl}]`)
    expect(text).toContain(`[${system.preferencesUrl}]`)
    expect(text).toContain(`Voir ce message en ligne [${appUrl}/archive/les-nouvelles]`)
    const html = fillTemplate(compiled.html, {}, system, 'html')
    expect(html).toContain('border-top:solid 1px #d5dbe1')
  })

  it('turns merge fields into holes with their fallbacks and writes the organisation in directly', async () => {
    const input = sampleRenderInput({ articles: 0 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    expect(compiled.subject).toEqual([{ field: 'firstName', fallback: 'Bonjour' }, ', les nouvelles de la semaine à ', { field: 'territory', fallback: 'Lyon' }])
    expect(show(compiled.html)).toContain('Je participe, [firstName|moi aussi] !')
    expect(show(compiled.text)).toContain('Les nouvelles de Maison des associations')
    const html = fillTemplate(compiled.html, { firstName: null }, system, 'html')
    expect(html).toContain('Je participe, moi aussi !')
  })

  it('escapes a hostile merge value in the HTML, keeps it as typed in the text', async () => {
    const input = sampleRenderInput({ articles: 0 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const html = fillTemplate(compiled.html, { firstName: hostile }, system, 'html')
    expect(html).not.toContain(hostile)
    expect(html).toContain('Je participe, &lt;img src=x onerror=alert(1)&gt; !')
    const text = fillTemplate(compiled.text, { firstName: hostile }, system, 'text')
    expect(text).toContain(`Je participe, ${hostile} !`)
  })

  it('tracks every content link through /l/<signed reference> plus the click query, never the footer links', async () => {
    const input = sampleRenderInput({ articles: 1 })
    const links = linksOf(input)
    expect(Object.keys(links).sort()).toEqual(
      [
        'https://exemple.org/ateliers?source=lettre&n=12',
        'https://exemple.org/galerie',
        'https://exemple.org/participer',
        'https://exemple.org/articles/1',
        `${appUrl}/events/atelier-financements`,
        `${appUrl}/events/webinaire`,
      ].sort(),
    )
    const compiled = await compileCampaign(input, links, appUrl)
    expect(compiled.links).toHaveLength(6)
    expect(compiled.links.map((link) => link.id).sort()).toEqual([100, 101, 102, 103, 104, 105])
    const html = show(compiled.html)
    const eventPages = new Set([`${appUrl}/events/atelier-financements`, `${appUrl}/events/webinaire`])
    for (const [url, link] of Object.entries(links)) {
      // An event card's button is the recipient's own link (next test); its row only counts the clicks.
      if (!eventPages.has(url)) expect(html).toContain(`href="${appUrl}/l/${link.ref}[clickQuery]"`)
      else expect(html).not.toContain(`/l/${link.ref}`)
      expect(html).not.toContain(`href="${url.replace(/&/g, '&amp;')}"`)
    }
    expect(html).toContain('href="[unsubscribeUrl]"')
    expect(html).toContain('href="[preferencesUrl]"')
    expect(html).toMatch(/\[openPixel\]<\/div>\s*<\/div>\s*<\/body>/)
    const text = show(compiled.text)
    expect(text).toContain(`[${appUrl}/l/${links['https://exemple.org/participer']!.ref}[clickQuery]]`)
    const filled = fillTemplate(compiled.html, {}, { ...system, clickQuery: '' }, 'html')
    expect(filled).toContain(`href="${appUrl}/l/${links['https://exemple.org/participer']!.ref}"`)
    expect(filled).not.toMatch(/\/l\/\d{3}"/)
  })

  it('gives each event card’s button a per-recipient hole: the contact’s own one-click link, counted without a personal /l/ target', async () => {
    const input = sampleRenderInput({ articles: 0 })
    const links = linksOf(input)
    const compiled = await compileCampaign(input, links, appUrl)
    const first = links[`${appUrl}/events/atelier-financements`]!
    const second = links[`${appUrl}/events/webinaire`]!
    const html = show(compiled.html)
    expect(html).toContain(`href="[invite:1?l=${first.ref}]"`)
    expect(html).toContain(`href="[invite:2?l=${second.ref}]"`)
    expect(show(compiled.text)).toContain(`Je m’inscris [[invite:2?l=${second.ref}]]`)
    // Filled for one recipient: their own link, the count reference, and their measurement query when they consented.
    const filled = fillTemplate(compiled.html, {}, { ...system, eventInviteUrl }, 'html')
    expect(filled).toContain(`href="${appUrl}/inscription/TOKEN-E1?l=${first.ref}&amp;r=MEASURE"`)
    expect(filled).toContain(`href="${appUrl}/inscription/TOKEN-E2?l=${second.ref}&amp;r=MEASURE"`)
    const text = fillTemplate(compiled.text, {}, { ...system, clickQuery: '', eventInviteUrl }, 'text')
    expect(text).toContain(`Je m’inscris [${appUrl}/inscription/TOKEN-E1?l=${first.ref}]`)
    expect(text).not.toContain(`${appUrl}/events/`)
    // Without a contact (a test send), the buttons lead to the events' pages.
    const withoutContact = fillTemplate(compiled.html, {}, system, 'html')
    expect(withoutContact).toContain(`href="${appUrl}/events/atelier-financements"`)
    expect(withoutContact).not.toContain('/inscription/')
    expect(compiled.archive.html).toContain(`href="${appUrl}/events/webinaire"`)
    expect(compiled.archive.html).not.toContain('/inscription/')
    expect(JSON.stringify(compiled)).not.toContain('TOKEN')
  })

  it('builds an archive version with fallbacks, original links and no personal link', async () => {
    const input = sampleRenderInput({ articles: 1 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const { archive } = compiled
    expect(archive.subject).toBe('Bonjour, les nouvelles de la semaine à Lyon')
    expect(archive.html).toContain('href="https://exemple.org/ateliers?source=lettre&amp;n=12"')
    expect(archive.html).toContain('Je participe, moi aussi !')
    expect(archive.html).not.toContain('/l/')
    expect(archive.html).not.toContain('/u/')
    expect(archive.html).toContain(`href="${appUrl}/newsletters"`)
    expect(archive.text).toContain(`[${appUrl}/newsletters]`)
    expect(archive.text).toContain('Article 1 : la vie associative à Lyon')
    expect(compiled.inArchive).toBe(true)
  })

  it('opens every link of the archive version in a new tab (the archive frames it), not those of the message', async () => {
    const input = sampleRenderInput({ articles: 1 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const head = compiled.archive.html.slice(0, compiled.archive.html.indexOf('</head>'))
    expect(head).toMatch(/<head[^>]*><base target="_blank">/)
    // Rich-text and footer links have no target of their own: the base element is what sends them out of the frame.
    expect(compiled.archive.html).toMatch(/<a href="https:\/\/exemple\.org\/ateliers\?source=lettre&amp;n=12" rel="noopener">/)
    expect(show(compiled.html)).not.toContain('<base')
  })

  it('escapes the organisation’s name wherever {{organisation}} stands, rich text included', async () => {
    const input = sampleRenderInput({ articles: 0 })
    input.organization.name = `Café <b>&</b> ${hostile}`
    input.blocks.unshift({ id: 'org', type: 'text', html: '<p>Une lettre de {{organisation}}.</p>' })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    const escaped = 'Café &lt;b&gt;&amp;&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;'
    for (const html of [fillTemplate(compiled.html, {}, system, 'html'), compiled.archive.html]) {
      expect(html).toContain(`Une lettre de ${escaped}.`)
      expect(html).toContain(`Les nouvelles de ${escaped}`)
      expect(html).not.toContain(hostile)
      expect(html).not.toContain('<b>&</b>')
    }
  })

  it('escapes a hostile fallback in the archive and in messages', async () => {
    const input = sampleRenderInput({ articles: 0 })
    input.blocks.unshift({ id: 'x', type: 'heading', text: `Salut {{prenom|${hostile}}}`, level: 2 })
    const compiled = await compileCampaign(input, linksOf(input), appUrl)
    expect(compiled.archive.html).not.toContain(hostile)
    expect(compiled.archive.html).toContain('Salut &lt;img src=x onerror=alert(1)&gt;')
    expect(fillTemplate(compiled.html, {}, system, 'html')).toContain('Salut &lt;img src=x onerror=alert(1)&gt;')
  })

  it('previews with sample values and untouched links', async () => {
    const input = { ...sampleRenderInput({ articles: 0 }), locale: 'en' as const }
    const preview = await renderPreview(input, { firstName: 'Camille', territory: 'Lyon' })
    expect(preview.subject).toBe('Camille, les nouvelles de la semaine à Lyon')
    expect(preview.html).toMatch(/<html lang="en"/)
    expect(preview.html).toContain('href="https://exemple.org/participer"')
    expect(preview.html).toContain(`href="${appUrl}/events/webinaire"`)
    expect(preview.text).toContain('Unsubscribe')
    expect(preview.text).toContain('Thursday, December 3, 2026')
  })
})
