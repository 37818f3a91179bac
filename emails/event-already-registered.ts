// Someone registered again with an address already registered: told by email (never on screen, so the form does
// not reveal who is registered), with the current status and the management link.
import { z } from 'zod'
import { defineEventTemplate, eventValues, manageBlock, summaryBlock } from './event-parts.ts'
import { layoutValues, linkValue, type EmailLocale } from './template.ts'

const statusLabels: Record<EmailLocale, Record<'CONFIRMED' | 'WAITLISTED' | 'PENDING_APPROVAL' | 'REFUSED', string>> = {
  fr: {
    CONFIRMED: 'inscription confirmée',
    WAITLISTED: 'sur liste d’attente',
    PENDING_APPROVAL: 'demande en attente de validation par l’équipe organisatrice',
    REFUSED: 'demande non retenue',
  },
  en: {
    CONFIRMED: 'registration confirmed',
    WAITLISTED: 'on the waitlist',
    PENDING_APPROVAL: 'request awaiting the organisers’ approval',
    REFUSED: 'request not accepted',
  },
}

export function registrationStatusLabel(locale: EmailLocale, status: keyof (typeof statusLabels)['fr']): string {
  return statusLabels[locale][status]
}

export const eventAlreadyRegistered = defineEventTemplate({
  values: eventValues.extend({ statusLabel: z.string().trim().min(1) }),
  copy: {
    fr: {
      subject: 'Vous êtes déjà inscrit·e : {{eventTitle}}',
      intro: 'Quelqu’un, sans doute vous, a demandé à inscrire cette adresse à « {{eventTitle}} ». Vous y êtes déjà inscrit·e : rien n’a changé.',
      status: 'État de votre inscription : {{statusLabel}}.',
      ignore: 'Ce n’était pas vous ? Ignorez ce message.',
    },
    en: {
      subject: 'You are already registered: {{eventTitle}}',
      intro: 'Someone, probably you, asked to register this address for “{{eventTitle}}”. You are already registered: nothing has changed.',
      status: 'Status of your registration: {{statusLabel}}.',
      ignore: 'Not you? Ignore this message.',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p><strong>${copy.status}</strong></p></mj-text>${summaryBlock(copy)}${manageBlock(copy)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.ignore}</p></mj-text>`,
})

export const seriesAlreadyRegistered = defineEventTemplate({
  values: layoutValues.extend({ greeting: z.string().trim().min(1), seriesTitle: z.string().trim().min(1), manageUrl: linkValue }),
  copy: {
    fr: {
      subject: 'Vous êtes déjà inscrit·e au cycle {{seriesTitle}}',
      intro: 'Quelqu’un, sans doute vous, a demandé à inscrire cette adresse au cycle « {{seriesTitle}} ». Vous y êtes déjà inscrit·e : rien n’a changé.',
      manage: 'Depuis votre page d’inscription au cycle, vous pouvez revoir les séances ou vous désinscrire du cycle.',
      ignore: 'Ce n’était pas vous ? Ignorez ce message.',
    },
    en: {
      subject: 'You are already registered for the {{seriesTitle}} series',
      intro: 'Someone, probably you, asked to register this address for the “{{seriesTitle}}” series. You are already registered: nothing has changed.',
      manage: 'From your series registration page you can review the sessions or leave the series.',
      ignore: 'Not you? Ignore this message.',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p></mj-text>${manageBlock(copy, copy.manage)}
        <mj-text font-size="14px" color="#4a5560"><p>${copy.ignore}</p></mj-text>`,
})
