// Owns the fixed wording of a newsletter (footer, event card, default labels) in both message languages.
export type CampaignLocale = 'fr' | 'en'

export interface CampaignCopy {
  whyYouReceive: (lists: string) => string
  whyYouReceiveNoList: string
  preferences: string
  unsubscribe: string
  viewOnline: string
  archiveNotice: string
  archiveLink: string
  online: string
  onlineAnd: (venue: string) => string
  register: string
  readMore: string
}

export const campaignCopy: Record<CampaignLocale, CampaignCopy> = {
  fr: {
    whyYouReceive: (lists) => `Vous recevez ce message car vous êtes inscrit·e à ${lists}.`,
    whyYouReceiveNoList: 'Vous recevez ce message car vous êtes inscrit·e à nos lettres d’information.',
    preferences: 'Gérer mes abonnements',
    unsubscribe: 'Se désinscrire',
    viewOnline: 'Voir ce message en ligne',
    archiveNotice: 'Vous lisez la version en ligne de cette lettre.',
    archiveLink: 'S’abonner ou gérer ses abonnements',
    online: 'En ligne',
    onlineAnd: (venue) => `${venue} et en ligne`,
    register: 'Je m’inscris',
    readMore: 'Lire la suite',
  },
  en: {
    whyYouReceive: (lists) => `You receive this message because you subscribed to ${lists}.`,
    whyYouReceiveNoList: 'You receive this message because you subscribed to our newsletters.',
    preferences: 'Manage my subscriptions',
    unsubscribe: 'Unsubscribe',
    viewOnline: 'View this message online',
    archiveNotice: 'You are reading the web version of this newsletter.',
    archiveLink: 'Subscribe or manage your subscriptions',
    online: 'Online',
    onlineAnd: (venue) => `${venue} and online`,
    register: 'Register',
    readMore: 'Read more',
  },
}

/** "La quotidienne et L’hebdo", "A, B and C". */
export function joinNames(names: string[], locale: CampaignLocale): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names)
}

/** "jeudi 3 décembre 2026, 18:30 – 20:00 (heure normale d’Europe centrale)", in the event's own zone. */
export function eventWhen(startsAt: string, endsAt: string, timeZone: string, locale: CampaignLocale): string {
  const start = new Date(startsAt)
  const end = new Date(endsAt)
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' })
  const zone =
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(start).find((part) => part.type === 'timeZoneName')?.value ??
    timeZone
  const sameDay = day.format(start) === day.format(end)
  const range = sameDay
    ? `${day.format(start)}, ${time.format(start)} – ${time.format(end)}`
    : `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`
  return `${range} (${zone})`
}
