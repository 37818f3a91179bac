// The re-permission message of the retention policy: after 3 years without activity, one link to stay subscribed;
// without an answer by a given date, the person's data is erased.
import { z } from 'zod'
import { defineTemplate, layoutValues, linkValue } from './template.ts'

export const repermission = defineTemplate({
  values: layoutValues.extend({
    stayUrl: linkValue,
    preferencesUrl: linkValue,
    /** Already formatted for the reader's locale and time zone. */
    eraseAfter: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: 'Souhaitez-vous continuer à recevoir les lettres de {{organizationName}} ?',
      greeting: 'Bonjour,',
      intro:
        'Vous êtes abonné·e aux lettres d’information de {{organizationName}}, mais vous n’avez ouvert aucun lien, ni rejoint de liste, ni participé à un événement depuis trois ans.',
      question: 'Pour continuer à les recevoir, il suffit de cliquer sur le bouton ci-dessous.',
      action: 'Je reste abonné·e',
      erasure:
        'Sans réponse de votre part d’ici le {{eraseAfter}}, nous effacerons vos données et vous ne recevrez plus nos lettres. Seule une empreinte chiffrée de votre adresse sera conservée, pour ne plus vous écrire.',
      fallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
      preferences: 'Vous pouvez aussi choisir vos lettres ou vous désabonner :',
      preferencesLink: 'gérer mes abonnements',
    },
    en: {
      subject: 'Do you want to keep receiving newsletters from {{organizationName}}?',
      greeting: 'Hello,',
      intro:
        'You are subscribed to the newsletters of {{organizationName}}, but you have not opened a link, joined a list or attended an event for three years.',
      question: 'To keep receiving them, just click the button below.',
      action: 'I want to stay subscribed',
      erasure:
        'Unless you answer by {{eraseAfter}}, we will erase your data and you will no longer receive our newsletters. Only an encrypted fingerprint of your address will be kept, so that we do not write to you again.',
      fallback: 'If the button does not work, copy this address into your browser:',
      preferences: 'You can also choose your newsletters or unsubscribe:',
      preferencesLink: 'manage my subscriptions',
    },
  },
  body: (copy) => `
        <mj-text><p>${copy.greeting}</p><p>${copy.intro}</p><p>${copy.question}</p></mj-text>
        <mj-button href="{{stayUrl}}" align="left">${copy.action}</mj-button>
        <mj-text><p>${copy.erasure}</p><p>${copy.fallback}<br /><a href="{{stayUrl}}">{{stayUrl}}</a></p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.preferences} <a href="{{preferencesUrl}}">${copy.preferencesLink}</a></p></mj-text>`,
})
