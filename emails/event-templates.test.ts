// Unit tests of the event email templates (no database): every template and variant compiles as strict MJML in both
// languages, leaves no placeholder unfilled, names the organisation in the footer, and escapes hostile values; the
// words computed for them (durations, reminder timing, what changed, follow-up opening and resources) read right.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { followUpIntro, followUpResourcesText } from './event-follow-up.ts'
import { checkinQrCid, durationWords, eventGreeting, joinOpensText, venueLines } from './event-parts.ts'
import { reminderTiming } from './event-reminder.ts'
import { updateChangesText } from './event-update.ts'
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

describe('words of the attendee journey', () => {
  it('durations in words, largest units first', () => {
    expect(durationWords('fr', 30)).toBe('30 minutes')
    expect(durationWords('fr', 60)).toBe('1 heure')
    expect(durationWords('fr', 1 + 2 * 60 + 1440)).toBe('1 jour, 2 heures et 1 minute')
    expect(durationWords('en', 2 * 1440 + 90)).toBe('2 days, 1 hour and 30 minutes')
    // The breakdown staff see in the event form (durationText): whole weeks as weeks.
    expect(durationWords('fr', 7 * 1440)).toBe('1 semaine')
    expect(durationWords('en', 14 * 1440)).toBe('2 weeks')
    expect(durationWords('fr', 8 * 1440)).toBe('8 jours')
    expect(durationWords('fr', 0)).toBe('0 minutes')
    expect(joinOpensText('fr', 30)).toBe('Le lien s’ouvre 30 minutes avant le début et reste valable jusqu’à la fin.')
    expect(joinOpensText('en', 0)).toBe('The link opens at the start and works until the end.')
  })

  it('a reminder says "demain", "dans une heure" or how long is left, from its offset', () => {
    expect(reminderTiming('fr', 1440)).toEqual({ headline: 'C’est demain', startsIn: 'demain' })
    expect(reminderTiming('fr', 60)).toEqual({ headline: 'Dans une heure', startsIn: 'dans une heure' })
    expect(reminderTiming('fr', 10)).toEqual({ headline: 'Dans 10 minutes', startsIn: 'dans 10 minutes' })
    expect(reminderTiming('fr', 7 * 1440)).toEqual({ headline: 'Dans 1 semaine', startsIn: 'dans 1 semaine' })
    expect(reminderTiming('en', 1440)).toEqual({ headline: 'It’s tomorrow', startsIn: 'tomorrow' })
    expect(reminderTiming('en', 180)).toEqual({ headline: 'In 3 hours', startsIn: 'in 3 hours' })
  })

  it('an update says what changed, one line each, "details" when nothing else is known', () => {
    const values = { when: 'jeudi 11', whenBefore: 'jeudi 4', place: 'Salle B', placeBefore: 'Salle A' }
    expect(updateChangesText('fr', { ...values, changes: ['time', 'place', 'link'] })).toBe(
      'Nouvel horaire : jeudi 11 (au lieu de jeudi 4)\nNouveau lieu : Salle B (au lieu de Salle A)\nLe lien de connexion a changé : votre lien personnel reste le même.',
    )
    expect(updateChangesText('en', { ...values, changes: [] })).toBe('The event details have been updated.')
    expect(updateChangesText('fr', { ...values, placeBefore: '', changes: ['place'] })).toBe('Nouveau lieu : Salle B')
  })

  it('the follow-up opens with staff’s words when there are some, and lists resources', () => {
    expect(followUpIntro('fr', 'attended', 'Atelier', '  \r\n ')).toBe('Merci d’avoir participé à « Atelier » ! Nous espérons que ce moment vous a été utile.')
    expect(followUpIntro('en', 'absent', 'Workshop', 'Hi all,\r\n\r\nSee you soon')).toBe('Hi all,\n\nSee you soon')
    expect(followUpResourcesText('fr', [])).toBe('')
    expect(followUpResourcesText('en', [{ label: 'Slides', url: 'https://x.example/s' }])).toBe('The event’s resources:\n• Slides: https://x.example/s')
  })
})
