// Owns the shape of an email template (values schema, copy per locale, MJML body) and the escaping rules used
// when filling one: every value goes through escapeHtml, so a merge field can never inject markup.
import { z } from 'zod'

export const emailLocales = ['fr', 'en'] as const
export type EmailLocale = (typeof emailLocales)[number]

/** Values every template receives for the shared layout (footer with the organisation's name and address). */
export const layoutValues = z.object({
  organizationName: z.string().trim().min(1),
  postalAddress: z.string().trim(),
})

/** A link placed in an href: only http(s), so a value can never become `javascript:`. */
export const linkValue = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'doit être une adresse http(s)')

/** Copy of one locale: plain text with {{value}} placeholders; `subject` is the message subject. */
export type TemplateCopy = { subject: string } & Record<string, string>

export interface EmailTemplate<Values extends z.AnyZodObject, Copy extends TemplateCopy> {
  values: Values
  copy: Record<EmailLocale, Copy>
  /** MJML placed inside the shared layout's card. `copy` arrives HTML-escaped, placeholders untouched. */
  body(copy: Copy): string
}

/** Identity function that lets TypeScript infer a template's value and copy types from its definition. */
export function defineTemplate<Values extends z.AnyZodObject, Copy extends TemplateCopy>(
  template: EmailTemplate<Values, Copy>,
): EmailTemplate<Values, Copy> {
  return template
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character)
}

/** Escapes a value for HTML text or attribute context; line breaks in text become <br />. */
export function escapeHtmlValue(value: string): string {
  return escapeHtml(value).replace(/\r?\n/g, '<br />')
}

export const placeholderPattern = /\{\{(\w+)\}\}/g

/** Replaces every {{name}} in one pass (a value containing "{{x}}" is never expanded again). */
export function fillPlaceholders(source: string, values: Record<string, string>, encode: (value: string) => string): string {
  return source.replace(placeholderPattern, (whole, name: string) => {
    const value = values[name]
    return value === undefined ? whole : encode(value)
  })
}
