// The event needs the organisers' approval: the request is received and they will confirm (or not) by email.
// A second wording for a session added to a series the person is registered to (they did not ask for it by name).
import { z } from 'zod'
import { defineEventTemplate, eventValues, manageBlock, summaryBlock, type PartsCopy } from './event-parts.ts'

const copy = {
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
}

const body = (text: typeof copy.fr & PartsCopy) => `
        <mj-text><p>{{greeting}}</p><p>${text.intro}</p><p>${text.next}</p></mj-text>${summaryBlock(text)}${manageBlock(text, text.manage)}`

export const eventPendingApproval = defineEventTemplate({ values: eventValues, copy, body })

export const eventPendingApprovalSessionAdded = defineEventTemplate({
  values: eventValues.extend({ seriesTitle: z.string().trim().min(1) }),
  copy: {
    fr: {
      ...copy.fr,
      subject: 'Nouvelle séance du cycle {{seriesTitle}} : demande d’inscription enregistrée',
      intro:
        'Une nouvelle séance a été ajoutée au cycle « {{seriesTitle}} », auquel vous êtes inscrit·e : « {{eventTitle}} ». Nous avons enregistré votre demande d’inscription à cette séance.',
    },
    en: {
      ...copy.en,
      subject: 'New session in the {{seriesTitle}} series: registration request recorded',
      intro:
        'A new session has been added to the “{{seriesTitle}}” series you are registered for: “{{eventTitle}}”. We have recorded your request to register for this session.',
    },
  },
  body,
})
