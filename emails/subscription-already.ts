// Told by email, never on the page (no enumeration): someone asked to subscribe an address already subscribed.
import { z } from 'zod'
import { defineTemplate, layoutValues, linkValue } from './template.ts'

export const subscriptionAlready = defineTemplate({
  values: layoutValues.extend({
    /** One list name per line. */
    listNames: z.string().trim().min(1),
    preferencesUrl: linkValue,
  }),
  copy: {
    fr: {
      subject: 'Vous êtes déjà inscrit·e aux lettres de {{organizationName}}',
      greeting: 'Bonjour,',
      intro: 'Quelqu’un, sans doute vous, a demandé à inscrire cette adresse. Vous êtes déjà inscrit·e à :',
      action: 'Gérer mes abonnements',
      note: 'Vous n’avez rien à faire. Pour changer de lettres ou de profil, utilisez le bouton ci-dessus.',
      ignore: 'Ce n’était pas vous ? Ignorez ce message : rien n’a changé.',
    },
    en: {
      subject: 'You are already subscribed to the {{organizationName}} newsletters',
      greeting: 'Hello,',
      intro: 'Someone, probably you, asked to subscribe this address. You are already subscribed to:',
      action: 'Manage my subscriptions',
      note: 'There is nothing to do. To change newsletters or your profile, use the button above.',
      ignore: 'Not you? Ignore this message: nothing has changed.',
    },
  },
  body: (copy) => `
        <mj-text><p>${copy.greeting}</p><p>${copy.intro}</p><p><strong>{{listNames}}</strong></p></mj-text>
        <mj-button href="{{preferencesUrl}}" align="left">${copy.action}</mj-button>
        <mj-text><p>${copy.note}</p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.ignore}</p></mj-text>`,
})
