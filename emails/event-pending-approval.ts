// The event needs the organisers' approval: the request is received and they will confirm (or not) by email.
import { defineEventTemplate, eventValues, manageBlock, summaryBlock } from './event-parts.ts'

export const eventPendingApproval = defineEventTemplate({
  values: eventValues,
  copy: {
    fr: {
      subject: 'Demande d’inscription reçue : {{eventTitle}}',
      intro: 'Nous avons bien reçu votre demande d’inscription à « {{eventTitle}} ».',
      next: 'Les inscriptions à cet événement sont validées par l’équipe organisatrice : vous recevrez un email dès que votre demande aura été examinée.',
      manage: 'Depuis votre page d’inscription, vous pouvez revoir votre demande, modifier vos réponses ou la retirer.',
    },
    en: {
      subject: 'Registration request received: {{eventTitle}}',
      intro: 'We have received your request to register for “{{eventTitle}}”.',
      next: 'Registrations to this event are approved by the organisers: you will receive an email as soon as your request has been reviewed.',
      manage: 'From your registration page you can review your request, edit your answers or withdraw it.',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>${copy.next}</p></mj-text>${summaryBlock(copy)}${manageBlock(copy, copy.manage)}`,
})
