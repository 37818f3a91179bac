// The invitation a staff member receives to join the staff area: a link to choose a password, valid until a date.
import { z } from 'zod'
import { defineTemplate, layoutValues, linkValue } from './template.ts'

export const staffInvitation = defineTemplate({
  values: layoutValues.extend({
    inviterName: z.string().trim().min(1),
    inviteeName: z.string().trim().min(1),
    acceptUrl: linkValue,
    /** Already formatted for the reader's locale and time zone. */
    expiresAt: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: '{{inviterName}} vous invite à rejoindre l’espace équipe de {{organizationName}}',
      greeting: 'Bonjour {{inviteeName}},',
      intro:
        '{{inviterName}} vous invite à rejoindre l’espace équipe de {{organizationName}} sur Relais, l’outil qui sert à envoyer les lettres d’information et à organiser les événements du réseau.',
      action: 'Choisir mon mot de passe',
      expiry: 'Ce lien expire le {{expiresAt}}. Passé ce délai, demandez une nouvelle invitation.',
      fallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
      ignore: 'Vous n’attendiez pas cette invitation ? Ignorez ce message : aucun compte ne sera activé sans vous.',
    },
    en: {
      subject: '{{inviterName}} invites you to join the {{organizationName}} staff area',
      greeting: 'Hello {{inviteeName}},',
      intro:
        '{{inviterName}} invites you to join the {{organizationName}} staff area on Relais, the tool used to send the network’s newsletters and organise its events.',
      action: 'Choose my password',
      expiry: 'This link expires on {{expiresAt}}. After that, ask for a new invitation.',
      fallback: 'If the button does not work, copy this address into your browser:',
      ignore: 'Not expecting this invitation? Ignore this message: no account is activated without you.',
    },
  },
  body: (copy) => `
        <mj-text><p>${copy.greeting}</p><p>${copy.intro}</p></mj-text>
        <mj-button href="{{acceptUrl}}" align="left">${copy.action}</mj-button>
        <mj-text><p>${copy.expiry}</p><p>${copy.fallback}<br /><a href="{{acceptUrl}}">{{acceptUrl}}</a></p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.ignore}</p></mj-text>`,
})
