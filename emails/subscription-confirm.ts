// The double opt-in message: one link confirms every list asked for in one sign-up, valid for a few days.
import { z } from 'zod'
import { defineTemplate, layoutValues, linkValue } from './template.ts'

export const subscriptionConfirm = defineTemplate({
  values: layoutValues.extend({
    /** One list name per line. */
    listNames: z.string().trim().min(1),
    confirmUrl: linkValue,
    /** Already formatted for the reader's locale and time zone. */
    expiresAt: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: 'Confirmez votre inscription aux lettres de {{organizationName}}',
      greeting: 'Bonjour,',
      intro: 'Vous avez demandé à recevoir ces lettres d’information de {{organizationName}} :',
      action: 'Confirmer mon inscription',
      expiry: 'Ce lien est valable jusqu’au {{expiresAt}}. Passé ce délai, le lien vous proposera d’en recevoir un nouveau.',
      fallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
      ignore: 'Vous n’avez rien demandé ? Ignorez ce message : sans confirmation, vous ne recevrez rien.',
    },
    en: {
      subject: 'Confirm your subscription to the {{organizationName}} newsletters',
      greeting: 'Hello,',
      intro: 'You asked to receive these newsletters from {{organizationName}}:',
      action: 'Confirm my subscription',
      expiry: 'This link is valid until {{expiresAt}}. After that, it will offer to send you a new one.',
      fallback: 'If the button does not work, copy this address into your browser:',
      ignore: 'Did not ask for anything? Ignore this message: without confirmation you will receive nothing.',
    },
  },
  body: (copy) => `
        <mj-text><p>${copy.greeting}</p><p>${copy.intro}</p><p><strong>{{listNames}}</strong></p></mj-text>
        <mj-button href="{{confirmUrl}}" align="left">${copy.action}</mj-button>
        <mj-text><p>${copy.expiry}</p><p>${copy.fallback}<br /><a href="{{confirmUrl}}">{{confirmUrl}}</a></p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.ignore}</p></mj-text>`,
})
