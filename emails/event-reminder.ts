// The reminder before an event (by default the day before and one hour before): when it starts, phrased from the
// reminder's offset ("c’est demain", "dans une heure", "dans 3 jours"), and the practical details for the event's
// format: the personal join link online, the venue and check-in QR code on site, the management link.
import { z } from 'zod'
import { defineEventFormatTemplates, durationWords, manageBlock, practicalValues, summaryBlock } from './event-parts.ts'
import type { EmailLocale } from './template.ts'

/** How soon the event starts, for the subject ("C’est demain") and the sentence ("commence demain"). */
export interface ReminderTiming {
  headline: string
  startsIn: string
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The reminder's timing in words from its offset in minutes before the start (any offset: minutes, hours, days). */
export function reminderTiming(locale: EmailLocale, offsetMinutes: number): ReminderTiming {
  const minutes = Math.round(offsetMinutes)
  if (locale === 'en') {
    if (minutes <= 0) return { headline: 'It’s now', startsIn: 'now' }
    if (minutes === 1440) return { headline: 'It’s tomorrow', startsIn: 'tomorrow' }
    const startsIn = minutes === 60 ? 'in one hour' : `in ${durationWords(locale, minutes)}`
    return { headline: capitalised(startsIn), startsIn }
  }
  if (minutes <= 0) return { headline: 'C’est maintenant', startsIn: 'maintenant' }
  if (minutes === 1440) return { headline: 'C’est demain', startsIn: 'demain' }
  const startsIn = minutes === 60 ? 'dans une heure' : `dans ${durationWords(locale, minutes)}`
  return { headline: capitalised(startsIn), startsIn }
}

export const eventReminder = defineEventFormatTemplates('event-reminder', {
  values: practicalValues.extend({
    /** reminderTiming(…).headline */
    headline: z.string().trim().min(1),
    /** reminderTiming(…).startsIn */
    startsIn: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: '{{headline}} : {{eventTitle}}',
      intro: 'Petit rappel : « {{eventTitle}} » commence {{startsIn}}. Voici de quoi vous y retrouver.',
      cancelHint: 'Vous ne pouvez plus venir ? Merci d’annuler votre inscription depuis votre page : votre place ira à une autre personne.',
    },
    en: {
      subject: '{{headline}}: {{eventTitle}}',
      intro: 'A quick reminder: “{{eventTitle}}” starts {{startsIn}}. Here is all you need to join.',
      cancelHint: 'Can no longer attend? Please cancel your registration from your page so that someone else can have your seat.',
    },
  },
  body: (copy, format) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy, format)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.cancelHint}</p></mj-text>`,
})
