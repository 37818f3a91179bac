// The organisers could not accept a registration request (approval required, or refused from the waitlist).
import { defineEventTemplate, eventValues, summaryBlock } from './event-parts.ts'
import { linkValue } from './template.ts'

export const eventRefused = defineEventTemplate({
  values: eventValues.omit({ manageUrl: true }).extend({ eventsUrl: linkValue }),
  copy: {
    fr: {
      subject: 'Votre demande d’inscription : {{eventTitle}}',
      intro: 'Merci de l’intérêt que vous portez à « {{eventTitle}} ». Nous sommes désolés : nous ne pouvons pas donner suite à votre demande d’inscription.',
      next: 'D’autres rencontres et webinaires vous attendent : retrouvez-les sur notre page des événements.',
      action: 'Voir les événements',
      closing: 'Avec nos remerciements,',
    },
    en: {
      subject: 'Your registration request: {{eventTitle}}',
      intro: 'Thank you for your interest in “{{eventTitle}}”. We are sorry: we are unable to accept your registration request.',
      next: 'Other meetings and webinars are waiting for you: find them on our events page.',
      action: 'See the events',
      closing: 'With our thanks,',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${summaryBlock(copy)}
        <mj-text><p>${copy.next}</p></mj-text>
        <mj-button href="{{eventsUrl}}" align="left">${copy.action}</mj-button>
        <mj-text><p>${copy.closing}<br />{{organizationName}}</p></mj-text>`,
})
