// The confirmation of a registration to one event (also sent when a session added to a series registers its
// members): the practical details for the event's format, the check-in QR code on site, the management link.
import { z } from 'zod'
import { defineEventFormatTemplates, manageBlock, practicalValues, summaryBlock } from './event-parts.ts'

export const eventConfirmation = defineEventFormatTemplates('event-confirmation', {
  values: practicalValues,
  copy: {
    fr: {
      subject: 'Votre inscription est confirmée : {{eventTitle}}',
      intro: 'Votre inscription à « {{eventTitle}} » est confirmée. Nous avons hâte de vous y retrouver !',
      cancelHint: 'Si vous ne pouvez plus venir, merci d’annuler votre inscription : votre place ira à une autre personne.',
    },
    en: {
      subject: 'Your registration is confirmed: {{eventTitle}}',
      intro: 'Your registration for “{{eventTitle}}” is confirmed. We look forward to seeing you there!',
      cancelHint: 'If you can no longer attend, please cancel your registration so that someone else can have your seat.',
    },
  },
  body: (copy, format) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy, format)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.cancelHint}</p></mj-text>`,
})

export const eventSessionAdded = defineEventFormatTemplates('event-session-added', {
  values: practicalValues.extend({ seriesTitle: z.string().trim().min(1) }),
  copy: {
    fr: {
      subject: 'Nouvelle séance du cycle {{seriesTitle}} : {{eventTitle}}',
      intro:
        'Une nouvelle séance a été ajoutée au cycle « {{seriesTitle}} » : « {{eventTitle}} ». Comme vous êtes inscrit·e à tout le cycle, vous y êtes inscrit·e.',
      cancelHint: 'Si vous ne pouvez pas venir à cette séance, annulez-la depuis votre page : votre place ira à une autre personne.',
    },
    en: {
      subject: 'New session in the {{seriesTitle}} series: {{eventTitle}}',
      intro:
        'A new session has been added to the “{{seriesTitle}}” series: “{{eventTitle}}”. As you are registered for the whole series, you are registered for it.',
      cancelHint: 'If you cannot attend this session, cancel it from your page so that someone else can have your seat.',
    },
  },
  body: (copy, format) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy, format)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.cancelHint}</p></mj-text>`,
})
