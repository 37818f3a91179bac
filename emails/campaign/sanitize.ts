// Owns the allow-list of a newsletter's rich text: paragraphs, line breaks, bold, italic, underline, links and lists.
// Everything else (scripts, styles, event attributes, images, tables, `javascript:` links) is stripped, on save and
// again on render, so content saved before a rule changed is never mailed as is.
import sanitizeHtml from 'sanitize-html'

const allowedTags = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'a', 'ul', 'ol', 'li']
const linkScheme = /^(https?:\/\/|mailto:)/i

function options(mapHref: ((href: string) => string) | null): sanitizeHtml.IOptions {
  return {
    allowedTags,
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Content of these is dropped with the tag (the text of a <script> must never become visible text).
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object'],
    transformTags: {
      // Some browsers separate paragraphs with <div> when editing; pasted headings keep their text as a paragraph.
      div: 'p',
      h1: 'p',
      h2: 'p',
      h3: 'p',
      a: (tagName, attribs): sanitizeHtml.Tag => {
        const href = (attribs.href ?? '').trim()
        // Only absolute http(s) and mailto links survive; a relative or unknown target leaves an inert <a> (no href).
        if (!linkScheme.test(href)) return { tagName, attribs: {} as sanitizeHtml.Attributes }
        return { tagName, attribs: { href: mapHref ? mapHref(href) : href, rel: 'noopener' } }
      },
    },
  }
}

/** Rich text reduced to the allow-list; links keep only an http(s)/mailto href and get rel="noopener". */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, options(null))
}

/** Sanitises and replaces each link's href (`mapHref` gets the decoded original address, returns the new one). */
export function sanitizeRichTextWithLinks(html: string, mapHref: (href: string) => string): string {
  return sanitizeHtml(html, options(mapHref))
}

/** The addresses of the links of a rich text (decoded, after sanitising), in order of appearance. */
export function richTextLinks(html: string): string[] {
  const found: string[] = []
  sanitizeRichTextWithLinks(html, (href) => {
    found.push(href)
    return href
  })
  return found
}
