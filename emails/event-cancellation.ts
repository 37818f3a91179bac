// A registration was cancelled, by the person from their page or by the organisers (then the message says so).
import { defineEventTemplate, eventValues, summaryBlock } from './event-parts.ts'
import { linkValue } from './template.ts'

const copy = {
  fr: {
    subject: 'Votre inscription est annulée : {{eventTitle}}',
    intro: 'Votre inscription à « {{eventTitle}} » est annulée, comme vous l’avez demandé. Votre place est libérée pour une autre personne.',
    again: 'Vous avez changé d’avis ? Si des places sont encore disponibles, vous pouvez vous réinscrire depuis la page de l’événement.',
    action: 'Voir l’événement',
  },
  en: {
    subject: 'Your registration is cancelled: {{eventTitle}}',
    intro: 'Your registration for “{{eventTitle}}” is cancelled, as you asked. Your seat is now free for someone else.',
    again: 'Changed your mind? If seats are still available, you can register again from the event page.',
    action: 'See the event',
  },
}

const byStaff = {
  fr: {
    intro: 'L’équipe organisatrice a annulé votre inscription à « {{eventTitle}} ».',
    again: 'Pour toute question, répondez simplement à ce message.',
  },
  en: {
    intro: 'The organisers have cancelled your registration for “{{eventTitle}}”.',
    again: 'If you have any question, simply reply to this message.',
  },
}

const values = eventValues.omit({ manageUrl: true }).extend({ eventUrl: linkValue })

export const eventCancellation = defineEventTemplate({
  values,
  copy,
  body: (text) => `
        <mj-text><p>{{greeting}}</p><p>${text.intro}</p></mj-text>${summaryBlock(text)}
        <mj-text><p>${text.again}</p></mj-text>
        <mj-button href="{{eventUrl}}" align="left">${text.action}</mj-button>`,
})

export const eventCancellationByStaff = defineEventTemplate({
  values,
  copy: { fr: { ...copy.fr, ...byStaff.fr }, en: { ...copy.en, ...byStaff.en } },
  body: (text) => `
        <mj-text><p>{{greeting}}</p><p>${text.intro}</p></mj-text>${summaryBlock(text)}
        <mj-text><p>${text.again}</p></mj-text>`,
})
