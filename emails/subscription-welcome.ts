// The welcome message of one list, sent when a subscription is confirmed. Staff write its subject and text per list
// (MailingList.welcomeSubject / welcomeBody); `defaultWelcome` fills in when they left them empty.
import { z } from 'zod'
import { defineTemplate, layoutValues, linkValue, type EmailLocale } from './template.ts'

export const subscriptionWelcome = defineTemplate({
  values: layoutValues.extend({
    welcomeSubject: z.string().trim().min(1),
    /** Plain text; line breaks are kept. */
    welcomeBody: z.string().trim().min(1),
    listName: z.string().trim().min(1),
    preferencesUrl: linkValue,
    unsubscribeUrl: linkValue,
  }),
  copy: {
    fr: {
      subject: '{{welcomeSubject}}',
      manage: 'Gérer mes abonnements',
      unsubscribe: 'Me désinscrire de « {{listName}} »',
      why: 'Vous recevez ce message car vous vous êtes inscrit·e à « {{listName}} ».',
    },
    en: {
      subject: '{{welcomeSubject}}',
      manage: 'Manage my subscriptions',
      unsubscribe: 'Unsubscribe from “{{listName}}”',
      why: 'You receive this message because you subscribed to “{{listName}}”.',
    },
  },
  body: (copy) => `
        <mj-text><h1 style="font-size:22px;line-height:28px;margin:0 0 16px">{{welcomeSubject}}</h1><p>{{welcomeBody}}</p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.why}</p><p><a href="{{preferencesUrl}}">${copy.manage}</a> · <a href="{{unsubscribeUrl}}">${copy.unsubscribe}</a></p></mj-text>`,
})

const defaults: Record<EmailLocale, { subject: string; body: string }> = {
  fr: {
    subject: 'Bienvenue dans « {list} »',
    body: 'Votre inscription à « {list} » est confirmée. Vous recevrez les prochains numéros à cette adresse.\nMerci de votre intérêt !',
  },
  en: {
    subject: 'Welcome to “{list}”',
    body: 'Your subscription to “{list}” is confirmed. You will receive the next issues at this address.\nThank you for your interest!',
  },
}

/** The list's own welcome text, or a sensible default naming the list. */
export function welcomeText(locale: EmailLocale, list: { name: string; welcomeSubject: string | null; welcomeBody: string | null }) {
  const fallback = defaults[locale]
  return {
    welcomeSubject: list.welcomeSubject?.trim() || fallback.subject.replace('{list}', list.name),
    welcomeBody: list.welcomeBody?.trim() || fallback.body.replaceAll('{list}', list.name),
  }
}
