// The organisers cancelled the event itself: everyone still registered is told (the calendar CANCEL comes later).
import { defineEventTemplate, eventValues, summaryBlock } from './event-parts.ts'

export const eventCancelled = defineEventTemplate({
  values: eventValues.omit({ manageUrl: true }),
  copy: {
    fr: {
      subject: 'Événement annulé : {{eventTitle}}',
      intro: 'Nous sommes au regret de vous informer que « {{eventTitle}} » est annulé. Il n’aura pas lieu à la date prévue.',
      next: 'Votre inscription est annulée avec lui : vous n’avez rien à faire. Nous vous prions de nous excuser pour ce changement.',
      questions: 'Pour toute question, répondez simplement à ce message.',
    },
    en: {
      subject: 'Event cancelled: {{eventTitle}}',
      intro: 'We regret to inform you that “{{eventTitle}}” is cancelled. It will not take place on the planned date.',
      next: 'Your registration is cancelled with it: there is nothing you need to do. We apologise for this change.',
      questions: 'If you have any question, simply reply to this message.',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy)}
        <mj-text><p>${copy.next}</p><p>${copy.questions}</p></mj-text>`,
})
