// Shared pieces of the event emails: the values each receives, the copy they share (greeting, labels, durations,
// the personal join link and QR sentences, the management link), the MJML blocks built from them, and the per-format
// variants of a template (the practical details differ for an online, in-person or hybrid event: venue, personal join
// link, QR code).
import { z } from 'zod'
import { durationParts, type DurationUnit } from '~/components/event-durations.ts'
import { defineTemplate, layoutValues, linkValue, type EmailLocale, type EmailTemplate, type TemplateCopy } from './template.ts'

export const eventFormats = ['online', 'in-person', 'hybrid'] as const
export type EventFormat = (typeof eventFormats)[number]

/** Content-ID of the inline check-in QR code: the message attaches the PNG under this id. */
export const checkinQrCid = 'checkin-qr@relais'

/** Every message about one event: who it greets, which event, when (formatted in the event's zone), the link. */
export const eventValues = layoutValues.extend({
  greeting: z.string().trim().min(1),
  eventTitle: z.string().trim().min(1),
  /** Already formatted in the event's time zone, the zone named. */
  eventWhen: z.string().trim().min(1),
  /** The event's kind in words (eventKindLabel). */
  eventKind: z.string().trim().min(1),
  manageUrl: linkValue,
})

/**
 * Messages carrying the practical details: venue lines (name, address, access notes; one per line) and, for online
 * and hybrid events, the person's own join link (`/j/<token>`, never the event's real address) with when it opens.
 */
export const practicalValues = eventValues.extend({
  venue: z.string().trim().default(''),
  /** Online and hybrid events only (the online and hybrid variants show it as a button). */
  personalJoinUrl: linkValue.optional(),
  /** When the personal link opens (joinOpensText). */
  joinOpens: z.string().trim().default(''),
})

const partsCopy = {
  fr: {
    whenLabel: 'Date :',
    kindLabel: 'Format :',
    venueLabel: 'Lieu :',
    joinIntro: 'Pour rejoindre l’événement en ligne, utilisez votre lien personnel :',
    joinAction: 'Rejoindre l’événement',
    joinPersonal: 'Ce lien est le vôtre : merci de ne pas le partager.',
    qrIntro: 'À l’accueil, présentez ce QR code, sur votre téléphone ou imprimé :',
    qrAlt: 'QR code d’enregistrement à présenter à l’accueil',
    qrPage: 'Vous pouvez aussi l’afficher depuis votre page d’inscription.',
    manageIntro: 'Depuis votre page d’inscription, vous pouvez revoir les détails, modifier vos réponses ou annuler.',
    manageAction: 'Gérer mon inscription',
    fallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
  },
  en: {
    whenLabel: 'Date:',
    kindLabel: 'Format:',
    venueLabel: 'Venue:',
    joinIntro: 'To join the event online, use your personal link:',
    joinAction: 'Join the event',
    joinPersonal: 'This link is yours: please do not share it.',
    qrIntro: 'At the entrance, show this QR code, on your phone or printed:',
    qrAlt: 'Check-in QR code to show at the entrance',
    qrPage: 'You can also display it from your registration page.',
    manageIntro: 'From your registration page you can review the details, edit your answers or cancel.',
    manageAction: 'Manage my registration',
    fallback: 'If the button does not work, copy this address into your browser:',
  },
} satisfies Record<EmailLocale, Record<string, string>>

export type PartsCopy = (typeof partsCopy)['fr']

const kindLabels: Record<EmailLocale, Record<'ONLINE' | 'IN_PERSON' | 'HYBRID', string>> = {
  fr: { ONLINE: 'en ligne (webinaire)', IN_PERSON: 'sur place', HYBRID: 'sur place et en ligne' },
  en: { ONLINE: 'online (webinar)', IN_PERSON: 'in person', HYBRID: 'in person and online' },
}

export function eventKindLabel(locale: EmailLocale, kind: 'ONLINE' | 'IN_PERSON' | 'HYBRID'): string {
  return kindLabels[locale][kind]
}

export function eventFormatOf(kind: 'ONLINE' | 'IN_PERSON' | 'HYBRID'): EventFormat {
  return kind === 'ONLINE' ? 'online' : kind === 'IN_PERSON' ? 'in-person' : 'hybrid'
}

/** "Bonjour Marie," or "Bonjour," when no first name is known. */
export function eventGreeting(locale: EmailLocale, firstName: string | null | undefined): string {
  const name = firstName?.trim()
  if (locale === 'en') return name ? `Hello ${name},` : 'Hello,'
  return name ? `Bonjour ${name},` : 'Bonjour,'
}

const accessLabel: Record<EmailLocale, string> = { fr: 'Accès : ', en: 'Access: ' }

/** The venue block's lines: name, address, access notes (labelled), skipping the empty ones. */
export function venueLines(locale: EmailLocale, venue: { name?: string | null; address?: string | null; accessNotes?: string | null }): string {
  const access = venue.accessNotes?.trim()
  return [venue.name?.trim(), venue.address?.trim(), access ? `${accessLabel[locale]}${access}` : undefined].filter(Boolean).join('\n')
}

const durationUnits: Record<EmailLocale, { words: Record<DurationUnit, [string, string]>; tag: string }> = {
  fr: { words: { week: ['semaine', 'semaines'], day: ['jour', 'jours'], hour: ['heure', 'heures'], minute: ['minute', 'minutes'] }, tag: 'fr' },
  en: { words: { week: ['week', 'weeks'], day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'] }, tag: 'en-GB' },
}

/**
 * A number of minutes in words, largest units first, broken down as staff see it (durationParts): "30 minutes",
 * "2 heures", "1 jour, 2 heures et 5 minutes", "1 semaine".
 */
export function durationWords(locale: EmailLocale, minutes: number): string {
  const { words, tag } = durationUnits[locale]
  const parts = durationParts(minutes).map(({ unit, count }) => `${count} ${count === 1 ? words[unit][0] : words[unit][1]}`)
  if (parts.length === 0) return `0 ${words.minute[1]}`
  return new Intl.ListFormat(tag, { type: 'conjunction' }).format(parts)
}

/** The `joinOpens` value: "Le lien s’ouvre 30 minutes avant le début et reste valable jusqu’à la fin." */
export function joinOpensText(locale: EmailLocale, minutes: number): string {
  if (locale === 'en') {
    return minutes > 0 ? `The link opens ${durationWords(locale, minutes)} before the start and works until the end.` : 'The link opens at the start and works until the end.'
  }
  return minutes > 0 ? `Le lien s’ouvre ${durationWords(locale, minutes)} avant le début et reste valable jusqu’à la fin.` : 'Le lien s’ouvre à l’heure du début et reste valable jusqu’à la fin.'
}

/**
 * Title, date and kind of the event; with a format, its practical details too: the venue and the check-in QR code
 * on site, the personal join link (a button, its address, when it opens) online.
 */
export function summaryBlock(copy: PartsCopy, format?: EventFormat): string {
  const onSite = format === 'in-person' || format === 'hybrid'
  const venue = onSite ? `<p><strong>${copy.venueLabel}</strong><br />{{venue}}</p>` : ''
  const details = `
        <mj-text><p style="font-size:18px;line-height:26px;font-weight:bold;margin:0 0 8px">{{eventTitle}}</p><p><strong>${copy.whenLabel}</strong> {{eventWhen}}<br /><strong>${copy.kindLabel}</strong> {{eventKind}}</p>${venue}</mj-text>`
  const online = format === 'online' || format === 'hybrid' ? joinBlock(copy) : ''
  return details + online + (onSite ? qrBlock(copy) : '')
}

function joinBlock(copy: PartsCopy): string {
  return `
        <mj-text><p>${copy.joinIntro}</p></mj-text>
        <mj-button href="{{personalJoinUrl}}" align="left">${copy.joinAction}</mj-button>
        <mj-text font-size="14px" color="#4a5560"><p>{{joinOpens}} ${copy.joinPersonal}</p><p>${copy.fallback}<br /><a href="{{personalJoinUrl}}">{{personalJoinUrl}}</a></p></mj-text>`
}

function qrBlock(copy: PartsCopy): string {
  return `
        <mj-text><p>${copy.qrIntro}</p></mj-text>
        <mj-image src="cid:${checkinQrCid}" alt="${copy.qrAlt}" width="240px" align="left" padding="0 25px" />
        <mj-text><p>${copy.qrPage}</p></mj-text>`
}

/** The management button, its sentence and the plain address under it. */
export function manageBlock(copy: PartsCopy, intro: string = copy.manageIntro, action: string = copy.manageAction): string {
  return `
        <mj-text><p>${intro}</p></mj-text>
        <mj-button href="{{manageUrl}}" align="left">${action}</mj-button>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.fallback}<br /><a href="{{manageUrl}}">{{manageUrl}}</a></p></mj-text>`
}

type EventTemplateSpec<Values extends z.AnyZodObject, Copy extends TemplateCopy> = {
  values: Values
  copy: Record<EmailLocale, Copy>
  /** `copy` holds the template's copy and the shared parts' copy, HTML-escaped. */
  body(copy: Copy & PartsCopy): string
}

function withParts<Copy extends TemplateCopy>(copy: Record<EmailLocale, Copy>): Record<EmailLocale, Copy & PartsCopy> {
  return { fr: { ...partsCopy.fr, ...copy.fr }, en: { ...partsCopy.en, ...copy.en } }
}

/** A template whose body may use the shared blocks (summaryBlock, manageBlock). */
export function defineEventTemplate<Values extends z.AnyZodObject, Copy extends TemplateCopy>(
  spec: EventTemplateSpec<Values, Copy>,
): EmailTemplate<Values, Copy & PartsCopy> {
  return defineTemplate({ values: spec.values, copy: withParts(spec.copy), body: (copy) => spec.body(copy) })
}

/** One template per event format, named `<name>-online`, `<name>-in-person` and `<name>-hybrid`. */
export function defineEventFormatTemplates<Name extends string, Values extends z.AnyZodObject, Copy extends TemplateCopy>(
  name: Name,
  spec: Omit<EventTemplateSpec<Values, Copy>, 'body'> & { body(copy: Copy & PartsCopy, format: EventFormat): string },
): Record<`${Name}-${EventFormat}`, EmailTemplate<Values, Copy & PartsCopy>> {
  const variant = (format: EventFormat) => defineEventTemplate({ values: spec.values, copy: spec.copy, body: (copy) => spec.body(copy, format) })
  return {
    [`${name}-online`]: variant('online'),
    [`${name}-in-person`]: variant('in-person'),
    [`${name}-hybrid`]: variant('hybrid'),
  } as Record<`${Name}-${EventFormat}`, EmailTemplate<Values, Copy & PartsCopy>>
}
