// The organisers changed an event the person is confirmed for: a clear "what changed" line first (new time instead
// of the old one, new place, new connection link behind the same personal link, or updated details), then the
// current practical details for the event's format and the management link. The attached invite updates calendars.
import { z } from 'zod'
import type { EmailLocale } from './template.ts'
import { defineEventFormatTemplates, manageBlock, practicalValues, summaryBlock } from './event-parts.ts'

/** What an update is about, in the words of the ledger's UPDATE rows. */
export type UpdateChangeKind = 'time' | 'place' | 'link' | 'details'

/** The event now and before the change, already formatted (dates in the event's zone, places in words). */
export interface UpdateChangeValues {
  /** Empty when the row's detail could not be read: the message then says the details changed. */
  changes: UpdateChangeKind[]
  when: string
  whenBefore: string
  place: string
  placeBefore: string
}

const changeCopy: Record<EmailLocale, { time: (now: string, before: string) => string; place: (now: string, before: string) => string; link: string; details: string }> = {
  fr: {
    time: (now, before) => `Nouvel horaire : ${now} (au lieu de ${before})`,
    place: (now, before) => (before ? `Nouveau lieu : ${now} (au lieu de ${before})` : `Nouveau lieu : ${now}`),
    link: 'Le lien de connexion a changé : votre lien personnel reste le même.',
    details: 'Les détails de l’événement ont été mis à jour.',
  },
  en: {
    time: (now, before) => `New time: ${now} (instead of ${before})`,
    place: (now, before) => (before ? `New venue: ${now} (instead of ${before})` : `New venue: ${now}`),
    link: 'The connection link has changed: your personal link stays the same.',
    details: 'The event details have been updated.',
  },
}

/** The `changes` value: one line per change, in the order time, place, link, details. */
export function updateChangesText(locale: EmailLocale, values: UpdateChangeValues): string {
  const copy = changeCopy[locale]
  const lines: string[] = []
  if (values.changes.includes('time')) lines.push(copy.time(values.when, values.whenBefore))
  if (values.changes.includes('place')) lines.push(copy.place(values.place, values.placeBefore))
  if (values.changes.includes('link')) lines.push(copy.link)
  if (values.changes.includes('details') || lines.length === 0) lines.push(copy.details)
  return lines.join('\n')
}

export const eventUpdate = defineEventFormatTemplates('event-update', {
  values: practicalValues.extend({
    /** updateChangesText(…) */
    changes: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: 'Changement pour « {{eventTitle}} »',
      intro: 'L’équipe organisatrice a modifié un événement auquel vous êtes inscrit·e. Ce qui change :',
      current: 'Voici les informations à jour. L’invitation jointe met à jour votre agenda.',
      cancelHint: 'Si ce changement ne vous permet plus de venir, merci d’annuler votre inscription depuis votre page : votre place ira à une autre personne.',
    },
    en: {
      subject: 'Change to “{{eventTitle}}”',
      intro: 'The organisers have changed an event you are registered for. What changes:',
      current: 'Here are the current details. The attached invitation updates your calendar.',
      cancelHint: 'If you can no longer attend after this change, please cancel your registration from your page so that someone else can have your seat.',
    },
  },
  body: (copy, format) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p><strong>{{changes}}</strong></p><p>${copy.current}</p></mj-text>${summaryBlock(copy, format)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.cancelHint}</p></mj-text>`,
})
