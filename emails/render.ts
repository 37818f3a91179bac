// Owns rendering: the map of every template, MJML compiled once per process and locale (mjml is slow and async),
// then filled per message with escaped values; the text part is derived from the filled HTML.
import { compile as compileHtmlToText } from 'html-to-text'
import mjml2html from 'mjml'
import type { z } from 'zod'
import { eventAlreadyRegistered, seriesAlreadyRegistered } from './event-already-registered.ts'
import { eventAnnouncement } from './event-announcement.ts'
import { eventCancellation, eventCancellationByStaff } from './event-cancellation.ts'
import { eventCancelled } from './event-cancelled.ts'
import { eventConfirmation, eventSessionAdded } from './event-confirmation.ts'
import { eventFollowUp } from './event-follow-up.ts'
import { eventPendingApproval, eventPendingApprovalSessionAdded } from './event-pending-approval.ts'
import { eventPromoted } from './event-promoted.ts'
import { eventRefused } from './event-refused.ts'
import { eventReminder } from './event-reminder.ts'
import { eventSeriesCancelled, eventSeriesRegistrationCancelled } from './event-series-cancelled.ts'
import { eventSeriesConfirmation } from './event-series-confirmation.ts'
import { eventUpdate } from './event-update.ts'
import { eventWaitlisted, eventWaitlistedSessionAdded } from './event-waitlisted.ts'
import { layout } from './layout.ts'
import { repermission } from './repermission.ts'
import { staffInvitation } from './staff-invitation.ts'
import { subscriptionAlready } from './subscription-already.ts'
import { subscriptionConfirm } from './subscription-confirm.ts'
import { subscriptionWelcome } from './subscription-welcome.ts'
import {
  escapeHtml,
  escapeHtmlValue,
  fillPlaceholders,
  placeholderPattern,
  type EmailLocale,
  type EmailTemplate,
  type TemplateCopy,
} from './template.ts'
import { testMessage } from './test-message.ts'

/** Every message Relais sends. To add one: write emails/<name>.ts with defineTemplate, then list it here. */
const templates = {
  // Events: the confirmation-like ones come in one variant per format (online, in-person, hybrid).
  ...eventConfirmation,
  ...eventSessionAdded,
  ...eventPromoted,
  ...eventReminder,
  ...eventUpdate,
  // The follow-up comes with and without a replay button.
  ...eventFollowUp,
  'event-already-registered': eventAlreadyRegistered,
  'event-announcement': eventAnnouncement,
  'event-cancellation': eventCancellation,
  'event-cancellation-by-staff': eventCancellationByStaff,
  'event-cancelled': eventCancelled,
  'event-pending-approval': eventPendingApproval,
  'event-pending-approval-session-added': eventPendingApprovalSessionAdded,
  'event-refused': eventRefused,
  'event-series-already-registered': seriesAlreadyRegistered,
  'event-series-cancelled': eventSeriesCancelled,
  'event-series-confirmation': eventSeriesConfirmation,
  'event-series-registration-cancelled': eventSeriesRegistrationCancelled,
  'event-waitlisted': eventWaitlisted,
  'event-waitlisted-session-added': eventWaitlistedSessionAdded,
  repermission,
  'staff-invitation': staffInvitation,
  'subscription-already': subscriptionAlready,
  'subscription-confirm': subscriptionConfirm,
  'subscription-welcome': subscriptionWelcome,
  'test-message': testMessage,
}

export type TemplateName = keyof typeof templates
export type TemplateValues = { [N in TemplateName]: z.input<(typeof templates)[N]['values']> }
export type { EmailLocale } from './template.ts'

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

interface CompiledTemplate {
  subject: string
  html: string
}

/** Reserved placeholder for the rendered subject (used in the HTML title). */
const subjectPlaceholder = '__subject'

const compiled = new Map<string, Promise<CompiledTemplate>>()

const htmlToText = compileHtmlToText({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'img', format: 'skip' },
  ],
})

function templateOf(name: TemplateName): EmailTemplate<z.AnyZodObject, TemplateCopy> {
  return templates[name]
}

/** Every template the mail module can render, by name (tests walk them). */
export const templateNames = Object.keys(templates) as TemplateName[]

/** The schema of a template's values. */
export function templateValuesSchema(name: TemplateName): z.AnyZodObject {
  return templateOf(name).values
}

async function compileTemplate(name: TemplateName, locale: EmailLocale): Promise<CompiledTemplate> {
  const template = templateOf(name)
  const copy = template.copy[locale]
  const escapedCopy = Object.fromEntries(Object.entries(copy).map(([key, value]) => [key, escapeHtml(value)])) as TemplateCopy
  // The title carries the final one-line subject, filled at render time.
  const source = layout({ locale, title: `{{${subjectPlaceholder}}}`, body: template.body(escapedCopy) })
  // strict: a template that is not valid MJML fails here, at the first message, never half-rendered.
  const { html } = await mjml2html(source, { validationLevel: 'strict', keepComments: false })
  const known = new Set(Object.keys(template.values.shape))
  for (const [, placeholder] of copy.subject.matchAll(placeholderPattern)) {
    if (placeholder && !known.has(placeholder)) throw new Error(`email template ${name}: unknown placeholder {{${placeholder}}} in subject`)
  }
  known.add(subjectPlaceholder)
  for (const [, placeholder] of html.matchAll(placeholderPattern)) {
    if (placeholder && !known.has(placeholder)) throw new Error(`email template ${name}: unknown placeholder {{${placeholder}}}`)
  }
  return { subject: copy.subject, html }
}

function compiledTemplate(name: TemplateName, locale: EmailLocale): Promise<CompiledTemplate> {
  const key = `${name}:${locale}`
  let entry = compiled.get(key)
  if (!entry) {
    entry = compileTemplate(name, locale)
    compiled.set(key, entry)
    // A failed compilation is not cached, so a fixed template (or a transient error) is retried next time.
    entry.catch(() => compiled.delete(key))
  }
  return entry
}

/** Renders one message: subject (one line), HTML with every value escaped, and its text part. */
export async function renderEmail<N extends TemplateName>(name: N, values: TemplateValues[N], locale: EmailLocale): Promise<RenderedEmail> {
  const template = templateOf(name)
  const parsed = template.values.parse(values) as Record<string, unknown>
  const strings = Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, value == null ? '' : String(value)]))
  const { subject, html } = await compiledTemplate(name, locale)
  // Header fields never carry line breaks, whatever a value holds.
  const filledSubject = fillPlaceholders(subject, strings, (value) => value).replace(/\s+/g, ' ').trim()
  const filledHtml = fillPlaceholders(html, { ...strings, [subjectPlaceholder]: filledSubject }, escapeHtmlValue)
  return { subject: filledSubject, html: filledHtml, text: htmlToText(filledHtml) }
}
