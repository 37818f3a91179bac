// Owns the shape of a compiled campaign: what MJML rendered once at launch, stored as JSON in Campaign.snapshot, from
// which every recipient's message is filled (escaped values, signed links) without rendering again, and which the
// public archive shows. Plain data only: it must survive JSON round trips and deploys (hence `version`).
import type { MergeField } from './blocks.ts'

/**
 * Per-recipient values that are not merge fields: links signed for that recipient, and the measurement parts that
 * are empty strings unless the contact consented to measurement.
 * - `unsubscribeUrl`, `preferencesUrl`: the recipient's signed links (always present).
 * - `clickQuery`: appended to every tracked link (`/l/<signed link reference>`, see trackedLinkRef in app/utils/links.server.ts): '' or `?r=<measurement token>`.
 * - `openPixel`: '' or the HTML of a 1×1 image pointing at `/o/<measurement token>`.
 */
export type SystemValue = 'unsubscribeUrl' | 'preferencesUrl' | 'clickQuery' | 'openPixel'

/**
 * The "Je m'inscris" button of an event card: the recipient's own one-click registration link to event
 * `eventInvite` (`/inscription/<token>`, signed per recipient, never a tracked `/l/` target), then `query` (the
 * signed reference of the card's CampaignLink, `?l=<ref>`, by which the page counts the click like `/l/` does, or
 * ''). `fallback` is the event's page, for a fill without a contact (staff preview, test send).
 */
export interface EventInviteHole {
  eventInvite: number
  query: string
  fallback: string
}

/** A template: literal text and holes, joined in order. Literals of `html` are already HTML. */
export type TemplatePart = string | { field: MergeField; fallback: string } | { system: SystemValue } | EventInviteHole
export type CompiledTemplate = TemplatePart[]

export interface CompiledCampaign {
  version: 1
  campaignId: number
  locale: 'fr' | 'en'
  /** One line; filled values are not HTML-escaped here but encoded as a header by the message factory. */
  subject: CompiledTemplate
  /** The full HTML document (MJML output); filled values are HTML-escaped. */
  html: CompiledTemplate
  /** The plain-text part (with its visible unsubscribe link); filled values are inserted as is. */
  text: CompiledTemplate
  /** Tracked links: the original address of each CampaignLink row (`${APP_URL}/l/<id + signature>` in the message). */
  links: Array<{ id: number; url: string }>
  /** The web version for /archive/:slug: fallbacks in place of merge fields, no token, no personal link. */
  archive: { subject: string; html: string; text: string }
  /** Whether the campaign's lists all allow the archive (the message then carries a "view online" link). */
  inArchive: boolean
  compiledAt: string
}
