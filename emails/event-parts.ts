// Shared pieces of the event emails: the values each receives, the copy they share (greeting, labels, the online
// and QR sentences, the management link), the MJML blocks built from them, and the per-format variants of a template
// (the practical details differ for an online, in-person or hybrid event: venue, connection-link note, QR code).
import { z } from 'zod'
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

/** Messages carrying the practical details: venue lines (name, address, access notes; one per line). */
export const practicalValues = eventValues.extend({
  venue: z.string().trim().default(''),
})

const partsCopy = {
  fr: {
    whenLabel: 'Date :',
    kindLabel: 'Format :',
    venueLabel: 'Lieu :',
    online: 'Votre lien personnel de connexion vous sera envoyé par email avant l’événement.',
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
    online: 'Your personal connection link will be emailed to you before the event.',
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

/** Title, date and kind of the event; with a format, its practical details too (venue, online note, QR code). */
export function summaryBlock(copy: PartsCopy, format?: EventFormat): string {
  const venue = format === 'in-person' || format === 'hybrid' ? `<p><strong>${copy.venueLabel}</strong><br />{{venue}}</p>` : ''
  const online = format === 'online' || format === 'hybrid' ? `<p>${copy.online}</p>` : ''
  const details = `
        <mj-text><p style="font-size:18px;line-height:26px;font-weight:bold;margin:0 0 8px">{{eventTitle}}</p><p><strong>${copy.whenLabel}</strong> {{eventWhen}}<br /><strong>${copy.kindLabel}</strong> {{eventKind}}</p>${venue}${online}</mj-text>`
  return format === 'in-person' || format === 'hybrid' ? details + qrBlock(copy) : details
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
