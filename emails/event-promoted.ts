// A seat freed up and the first person on the waitlist now has it: the same practical details as a confirmation.
import { defineEventFormatTemplates, manageBlock, practicalValues, summaryBlock } from './event-parts.ts'

export const eventPromoted = defineEventFormatTemplates('event-promoted', {
  values: practicalValues,
  copy: {
    fr: {
      subject: 'Une place s’est libérée : votre inscription est confirmée ({{eventTitle}})',
      intro: 'Bonne nouvelle : une place s’est libérée pour « {{eventTitle}} ». Vous quittez la liste d’attente : votre inscription est maintenant confirmée.',
      cancelHint: 'Si vous ne pouvez plus venir, merci d’annuler votre inscription : votre place ira à la personne suivante.',
    },
    en: {
      subject: 'A seat is free: your registration is confirmed ({{eventTitle}})',
      intro: 'Good news: a seat has become free for “{{eventTitle}}”. You are off the waitlist: your registration is now confirmed.',
      cancelHint: 'If you can no longer attend, please cancel your registration so that the next person can have your seat.',
    },
  },
  body: (copy, format) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy, format)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.cancelHint}</p></mj-text>`,
})
