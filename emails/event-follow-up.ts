// The follow-up once an event is over, split by attendance: those who came get thanks, the replay, the resources and
// a one-minute feedback form; those who did not get "sorry we missed you", the replay and the resources. Staff may
// write their own words instead of the standard opening (given as `intro`, plain text). Each comes with and without
// a replay button (`-replay`), as a message only shows a button when there is a replay to open.
import { z } from 'zod'
import { defineEventTemplate, type PartsCopy } from './event-parts.ts'
import { layoutValues, linkValue, type EmailLocale } from './template.ts'

/** A document or link offered with the event. */
export interface FollowUpResource {
  label: string
  url: string
}

const resourceCopy: Record<EmailLocale, { heading: string }> = {
  fr: { heading: 'Les ressources de l’événement :' },
  en: { heading: 'The event’s resources:' },
}

/**
 * The `resources` value: a heading and one line per resource ("• label : address"), or nothing. Template values are
 * text (escaped), so each resource is given as its address, which mail clients show as a link.
 */
export function followUpResourcesText(locale: EmailLocale, resources: FollowUpResource[]): string {
  if (resources.length === 0) return ''
  const colon = locale === 'fr' ? ' :' : ':'
  return [resourceCopy[locale].heading, ...resources.map((resource) => `• ${resource.label}${colon} ${resource.url}`)].join('\n')
}

const standardIntro: Record<EmailLocale, Record<'attended' | 'absent', (title: string) => string>> = {
  fr: {
    attended: (title) => `Merci d’avoir participé à « ${title} » ! Nous espérons que ce moment vous a été utile.`,
    absent: (title) => `Vous n’avez pas pu assister à « ${title} » : vous nous avez manqué ! Voici de quoi rattraper ce qui s’y est dit.`,
  },
  en: {
    attended: (title) => `Thank you for joining “${title}”! We hope you found it useful.`,
    absent: (title) => `You could not make it to “${title}”: sorry we missed you! Here is how to catch up.`,
  },
}

/** The `intro` value: staff's own words when they wrote some (plain text, paragraphs kept), the standard opening otherwise. */
export function followUpIntro(locale: EmailLocale, attendance: 'attended' | 'absent', eventTitle: string, ownWords: string): string {
  const words = ownWords.replace(/\r\n?/g, '\n').trim()
  return words || standardIntro[locale][attendance](eventTitle)
}

const followUpValues = layoutValues.extend({
  greeting: z.string().trim().min(1),
  eventTitle: z.string().trim().min(1),
  /** followUpIntro(…): plain text, line breaks kept. */
  intro: z.string().trim().min(1),
  /** followUpResourcesText(…), empty when there is none. */
  resources: z.string().trim().default(''),
  eventsUrl: linkValue,
})

const copy = {
  fr: {
    replayIntro: 'L’enregistrement est disponible : vous pouvez revoir l’événement quand vous le souhaitez.',
    replayAction: 'Revoir l’événement',
    feedbackIntro: 'Votre avis nous aide à préparer les prochains événements : une note et, si vous le souhaitez, un commentaire.',
    feedbackAction: 'Donnez votre avis en une minute',
    next: 'Envie de la suite ? Retrouvez nos prochains événements :',
  },
  en: {
    replayIntro: 'The recording is available: you can watch the event again whenever you like.',
    replayAction: 'Watch the replay',
    feedbackIntro: 'Your opinion helps us prepare the next events: a rating and, if you like, a comment.',
    feedbackAction: 'Give your feedback in one minute',
    next: 'Want more? See our upcoming events:',
  },
}

type Copy = typeof copy.fr & PartsCopy

function button(url: string, action: string, fallback: string): string {
  return `
        <mj-button href="{{${url}}}" align="left">${action}</mj-button>
        <mj-text font-size="14px" color="#4a5560"><p>${fallback}<br /><a href="{{${url}}}">{{${url}}}</a></p></mj-text>`
}

function body(text: Copy, options: { replay: boolean; feedback: boolean }): string {
  const replay = options.replay ? `
        <mj-text><p>${text.replayIntro}</p></mj-text>${button('replayUrl', text.replayAction, text.fallback)}` : ''
  const feedback = options.feedback ? `
        <mj-text><p>${text.feedbackIntro}</p></mj-text>${button('feedbackUrl', text.feedbackAction, text.fallback)}` : ''
  return `
        <mj-text><p>{{greeting}}</p><p>{{intro}}</p></mj-text>${replay}
        <mj-text><p>{{resources}}</p></mj-text>${feedback}
        <mj-text><p>${text.next} <a href="{{eventsUrl}}">{{eventsUrl}}</a></p></mj-text>`
}

const attendedCopy = {
  fr: { subject: 'Merci pour votre participation : {{eventTitle}}', ...copy.fr },
  en: { subject: 'Thank you for joining: {{eventTitle}}', ...copy.en },
}

const absentCopy = {
  fr: { subject: 'Vous nous avez manqué : {{eventTitle}}', ...copy.fr },
  en: { subject: 'Sorry we missed you: {{eventTitle}}', ...copy.en },
}

const attendedValues = followUpValues.extend({ feedbackUrl: linkValue })
const withReplay = { replayUrl: linkValue }

export const eventFollowUp = {
  'event-follow-up-attended': defineEventTemplate({ values: attendedValues, copy: attendedCopy, body: (text) => body(text, { replay: false, feedback: true }) }),
  'event-follow-up-attended-replay': defineEventTemplate({
    values: attendedValues.extend(withReplay),
    copy: attendedCopy,
    body: (text) => body(text, { replay: true, feedback: true }),
  }),
  'event-follow-up-absent': defineEventTemplate({ values: followUpValues, copy: absentCopy, body: (text) => body(text, { replay: false, feedback: false }) }),
  'event-follow-up-absent-replay': defineEventTemplate({
    values: followUpValues.extend(withReplay),
    copy: absentCopy,
    body: (text) => body(text, { replay: true, feedback: false }),
  }),
}
