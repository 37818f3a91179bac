// A registration to a whole series: the upcoming sessions it covers, and the promise that sessions added later are
// included; the series management page lets the person leave the whole series at once.
import { z } from 'zod'
import { defineEventTemplate, manageBlock } from './event-parts.ts'
import { layoutValues, linkValue } from './template.ts'

export const eventSeriesConfirmation = defineEventTemplate({
  values: layoutValues.extend({
    greeting: z.string().trim().min(1),
    seriesTitle: z.string().trim().min(1),
    /** One upcoming session per line (date in its zone, the zone named; title). */
    sessions: z.string().trim(),
    manageUrl: linkValue,
  }),
  copy: {
    fr: {
      subject: 'Votre inscription au cycle {{seriesTitle}} est enregistrée',
      intro: 'Vous êtes inscrit·e à l’ensemble du cycle « {{seriesTitle}} ». Voici les prochaines séances :',
      later: 'Les séances ajoutées plus tard au cycle sont incluses : vous y serez inscrit·e automatiquement et recevrez une confirmation pour chacune.',
      manage: 'Depuis votre page d’inscription au cycle, vous pouvez revoir vos séances et leur état, ou vous désinscrire du cycle entier (les séances à venir seulement).',
    },
    en: {
      subject: 'Your registration for the {{seriesTitle}} series is recorded',
      intro: 'You are registered for the whole “{{seriesTitle}}” series. Here are the upcoming sessions:',
      later: 'Sessions added to the series later are included: you will be registered automatically and receive a confirmation for each.',
      manage: 'From your series registration page you can review your sessions and their status, or leave the whole series (upcoming sessions only).',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>{{sessions}}</p><p>${copy.later}</p></mj-text>${manageBlock(copy, copy.manage)}`,
})
