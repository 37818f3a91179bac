// The event is full and the person is on its waitlist: they will be registered and told by email if a seat frees.
import { defineEventTemplate, eventValues, manageBlock, summaryBlock } from './event-parts.ts'

export const eventWaitlisted = defineEventTemplate({
  values: eventValues,
  copy: {
    fr: {
      subject: 'Vous êtes sur liste d’attente : {{eventTitle}}',
      intro: '« {{eventTitle}} » est complet : vous êtes inscrit·e sur la liste d’attente.',
      next: 'Si une place se libère, elle vous sera attribuée automatiquement, dans l’ordre d’arrivée, et vous en serez prévenu·e par email.',
      manage: 'Vous ne souhaitez plus attendre ? Vous pouvez quitter la liste d’attente depuis votre page d’inscription.',
      action: 'Gérer mon inscription',
    },
    en: {
      subject: 'You are on the waitlist: {{eventTitle}}',
      intro: '“{{eventTitle}}” is full: you are on the waitlist.',
      next: 'If a seat becomes free, it will be given to you automatically, in order of arrival, and you will be told by email.',
      manage: 'No longer want to wait? You can leave the waitlist from your registration page.',
      action: 'Manage my registration',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>${copy.next}</p></mj-text>${summaryBlock(copy)}${manageBlock(copy, copy.manage, copy.action)}`,
})
