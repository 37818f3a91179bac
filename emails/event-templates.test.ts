// Unit tests of the event email templates (no database): every template and variant compiles as strict MJML in both
// languages, leaves no placeholder unfilled, names the organisation in the footer, and escapes hostile values.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { checkinQrCid, eventGreeting, venueLines } from './event-parts.ts'
import { renderEmail, templateNames, templateValuesSchema, type TemplateName } from './render.ts'
import { emailLocales } from './template.ts'

const hostile = '<img src=x onerror=alert(1)>'

/** Every event template render.ts knows, with its values schema. */
const templates = Object.fromEntries(
  templateNames.filter((name) => name.startsWith('event-')).map((name) => [name, { values: templateValuesSchema(name) }]),
)

/** A value for every field of the schema: links are https, everything else carries the hostile markup. */
function sampleValues(schema: z.AnyZodObject): Record<string, string> {
  return Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, key.endsWith('Url') ? `https://relais.example.org/${key}?a=1&b=2` : `${key} ${hostile}`]),
  )
}

describe('event email templates', () => {
  for (const [name, template] of Object.entries(templates)) {
    for (const locale of emailLocales) {
      it(`${name} (${locale}) renders completely, with hostile values escaped`, async () => {
        const rendered = await renderEmail(name as TemplateName, sampleValues(template.values) as never, locale)
        for (const part of [rendered.subject, rendered.html, rendered.text]) expect(part).not.toMatch(/\{\{\w+\}\}/)
        expect(rendered.html).toContain(`<html lang="${locale}"`)
        expect(rendered.html).not.toContain('<img src=x')
        expect(rendered.html).toContain('organizationName &lt;img src=x onerror=alert(1)&gt;')
        expect(rendered.text).toContain('postalAddress <img src=x onerror=alert(1)>')
        // The event's real join address is never a template value: online events carry the personal link only.
        expect(Object.keys(template.values.shape)).not.toContain('joinUrl')
        // Only the confirmations of an event with a venue show the check-in QR code.
        const withQr = /-(in-person|hybrid)$/.test(name) && !name.includes('pending') && !name.includes('waitlisted')
        expect(rendered.html.includes(`src="cid:${checkinQrCid}"`)).toBe(withQr)
      })
    }
  }
})

describe('event email parts', () => {
  it('greets by first name when there is one', () => {
    expect(eventGreeting('fr', ' Marie ')).toBe('Bonjour Marie,')
    expect(eventGreeting('fr', '')).toBe('Bonjour,')
    expect(eventGreeting('en', null)).toBe('Hello,')
  })

  it('lists the venue lines that are filled, access notes labelled', () => {
    expect(venueLines('fr', { name: 'Maison des associations', address: '', accessNotes: 'Salle 2' })).toBe('Maison des associations\nAccès : Salle 2')
    expect(venueLines('en', { name: null, address: '3 Market Square', accessNotes: null })).toBe('3 Market Square')
  })
})
