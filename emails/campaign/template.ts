// Owns the templates of a compiled campaign: sentinel tokens that stand for merge fields and per-recipient system
// values while MJML and html-to-text run (plain letters and digits, so both leave them untouched), the split of
// their output back into parts, and the filling of those parts for one recipient.
import { escapeHtml, escapeHtmlValue } from '#emails/template.ts'
import { mergeTagPattern, readMergeTags, type MergeField } from './blocks.ts'
import type { CompiledTemplate, EventInviteHole, SystemValue, TemplatePart } from './compiled.ts'

type Hole = Exclude<TemplatePart, string>

function randomNonce(): string {
  const bytes = new Uint8Array(6)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Hands out unique tokens for holes; content cannot forge one (the nonce is random per compilation). */
export class TokenTable {
  private readonly nonce = randomNonce()
  private readonly holes: Hole[] = []
  private readonly pattern = new RegExp(`zq${this.nonce}n(\\d+)x`, 'gi')

  token(hole: Hole): string {
    this.holes.push(hole)
    return `zq${this.nonce}n${this.holes.length - 1}x`
  }

  system(value: SystemValue): string {
    return this.token({ system: value })
  }

  /**
   * Text with merge tags → text with tokens. `encode` applies to the literal parts (escapeHtml for plain text put in
   * HTML); `organization` is the same for everyone and is written in directly.
   */
  mergeText(text: string, encode: (literal: string) => string, organization: string, decodeFallback = false): string {
    let out = ''
    let last = 0
    for (const match of text.matchAll(mergeTagPattern)) {
      const tag = readMergeTags(match[0]).tags[0]
      out += encode(text.slice(last, match.index))
      last = match.index + match[0].length
      if (!tag) out += encode(match[0])
      else if (tag.field === 'organization') out += encode(organization)
      else out += this.token({ field: tag.field, fallback: decodeFallback ? decodeEntities(tag.fallback) : tag.fallback })
    }
    return out + encode(text.slice(last))
  }

  /** Output of a renderer → template parts; `map` may replace a hole (e.g. by a literal for the archive). */
  split(output: string, map: (hole: Hole) => TemplatePart | null = (hole) => hole): CompiledTemplate {
    const parts: CompiledTemplate = []
    const push = (part: TemplatePart | null) => {
      if (part === null || part === '') return
      const previous = parts[parts.length - 1]
      if (typeof part === 'string' && typeof previous === 'string') parts[parts.length - 1] = previous + part
      else parts.push(part)
    }
    let last = 0
    for (const match of output.matchAll(this.pattern)) {
      push(output.slice(last, match.index))
      const hole = this.holes[Number(match[1])]
      if (!hole) throw new Error(`campaign template: unknown token ${match[0]}`)
      push(map(hole))
      last = match.index + match[0].length
    }
    push(output.slice(last))
    return parts
  }
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' }
/** A fallback read out of rich text (HTML) back to plain text: it is escaped again when filled. */
function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (entity) => entities[entity] ?? entity)
}

export type FieldValues = Partial<Record<MergeField, string | null>>
/**
 * `eventInviteUrl`: the recipient's one-click registration link to an event (absent without a contact: the event
 * card's button then leads to the event's page).
 */
export type SystemValues = Record<SystemValue, string> & { eventInviteUrl?: (eventId: number) => string }

/**
 * The event card's button for one recipient: their own link, the click-count reference, and their measurement query
 * (`?r=`, consenting contacts only) joined to it, so the page records the click as `/l/` would.
 */
function eventInviteTarget(hole: EventInviteHole, system: SystemValues): string {
  if (!system.eventInviteUrl) return hole.fallback
  const query = [hole.query, system.clickQuery].map((part) => part.replace(/^\?/, '')).filter(Boolean).join('&')
  return `${system.eventInviteUrl(hole.eventInvite)}${query ? `?${query}` : ''}`
}

/** How filled values are written: `html` escapes them (system URLs too, the open pixel is HTML), `text` does not. */
export type FillMode = 'html' | 'text' | 'header'

/** One recipient's string from a template. Empty values fall back to the tag's fallback. */
export function fillTemplate(template: CompiledTemplate, fields: FieldValues, system: SystemValues, mode: FillMode): string {
  let out = ''
  for (const part of template) {
    if (typeof part === 'string') out += part
    else if ('eventInvite' in part) {
      const target = eventInviteTarget(part, system)
      out += mode === 'html' ? escapeHtml(target) : target
    } else if ('field' in part) {
      const value = fields[part.field]?.trim() || part.fallback
      out += mode === 'html' ? escapeHtmlValue(value) : value
    } else {
      const value = system[part.system]
      out += mode === 'html' && part.system !== 'openPixel' ? escapeHtml(value) : value
    }
  }
  return out
}
