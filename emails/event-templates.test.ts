// Unit tests of the event email templates (no database): every template and variant compiles as strict MJML in both
// languages, leaves no placeholder unfilled, names the organisation in the footer, and escapes hostile values.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { eventAlreadyRegistered, seriesAlreadyRegistered } from './event-already-registered.ts'
import { eventAnnouncement } from './event-announcement.ts'
import { eventCancellation, eventCancellationByStaff } from './event-cancellation.ts'
import { eventCancelled } from './event-cancelled.ts'
import { eventConfirmation, eventSessionAdded } from './event-confirmation.ts'
import { checkinQrCid, eventGreeting, venueLines } from './event-parts.ts'
import { eventPendingApproval, eventPendingApprovalSessionAdded } from './event-pending-approval.ts'
import { eventPromoted } from './event-promoted.ts'
import { eventRefused } from './event-refused.ts'
import { eventSeriesCancelled, eventSeriesRegistrationCancelled } from './event-series-cancelled.ts'
import { eventSeriesConfirmation } from './event-series-confirmation.ts'
import { eventWaitlisted, eventWaitlistedSessionAdded } from './event-waitlisted.ts'
import { renderEmail, type TemplateName } from './render.ts'
import { emailLocales } from './template.ts'

const hostile = '<img src=x onerror=alert(1)>'

/** Every event template as render.ts lists it, with its values schema. */
const templates: Record<string, { values: z.AnyZodObject }> = {
  ...eventConfirmation,
  ...eventSessionAdded,
  ...eventPromoted,
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
}

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
        expect(rendered.html).not.toContain('joinUrl')
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
