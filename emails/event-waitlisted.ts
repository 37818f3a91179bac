// The event is full and the person is on its waitlist: they will be registered and told by email if a seat frees.
// A second wording for a session added to a series the person is registered to (they did not ask for it by name).
import { z } from 'zod'
import { defineEventTemplate, eventValues, manageBlock, summaryBlock, type PartsCopy } from './event-parts.ts'

const copy = {
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
}

const body = (text: typeof copy.fr & PartsCopy) => `
        <mj-text><p>{{greeting}}</p><p>${text.intro}</p><p>${text.next}</p></mj-text>${summaryBlock(text)}${manageBlock(text, text.manage, text.action)}`

export const eventWaitlisted = defineEventTemplate({
  values: eventValues,
  copy,
  body,
})

export const eventWaitlistedSessionAdded = defineEventTemplate({
  values: eventValues.extend({ seriesTitle: z.string().trim().min(1) }),
  copy: {
    fr: {
      ...copy.fr,
      subject: 'Nouvelle séance du cycle {{seriesTitle}} : vous êtes sur liste d’attente',
      intro:
        'Une nouvelle séance a été ajoutée au cycle « {{seriesTitle}} », auquel vous êtes inscrit·e : « {{eventTitle}} ». Elle est déjà complète : vous êtes sur sa liste d’attente.',
    },
    en: {
      ...copy.en,
      subject: 'New session in the {{seriesTitle}} series: you are on the waitlist',
      intro:
        'A new session has been added to the “{{seriesTitle}}” series you are registered for: “{{eventTitle}}”. It is already full: you are on its waitlist.',
    },
  },
  body,
})
