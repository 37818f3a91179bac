// A registration to a whole series: the upcoming sessions where the person holds a place (or a request), each with
// its status and the address of its own page (where an on-site session shows its check-in QR code), and the
// promise that sessions added later are included; the series management page lets the person leave the whole
// series at once.
import { z } from 'zod'
import { defineEventTemplate, manageBlock } from './event-parts.ts'
import { layoutValues, linkValue, type EmailLocale } from './template.ts'

const sessionCopy: Record<EmailLocale, { page: string; none: string }> = {
  fr: {
    page: 'Votre page pour cette séance :',
    none: 'Aucune place ne vous est réservée pour l’instant dans les prochaines séances (complètes ou fermées aux inscriptions).',
  },
  en: {
    page: 'Your page for this session:',
    none: 'No place is held for you in the upcoming sessions for now (they are full or closed to registrations).',
  },
}

export interface SeriesSessionLine {
  /** Already formatted in the session's zone, the zone named. */
  when: string
  title: string
  /** The person's status for this session, in words (registrationStatusLabel). */
  statusLabel: string
  /** The person's own page for this session (registrationManageUrl). */
  manageUrl: string
}

/**
 * The `sessions` value: one session per line ("• date — title : status") followed by the address of the person's
 * page for it; a sentence when there is none. Template values are text (escaped), so each page is given as its
 * address, which mail clients show as a link.
 */
export function seriesSessionsText(locale: EmailLocale, sessions: SeriesSessionLine[]): string {
  if (sessions.length === 0) return sessionCopy[locale].none
  const colon = locale === 'fr' ? ' :' : ':'
  return sessions.map((session) => `• ${session.when} — ${session.title}${colon} ${session.statusLabel}\n${sessionCopy[locale].page} ${session.manageUrl}`).join('\n\n')
}

export const eventSeriesConfirmation = defineEventTemplate({
  values: layoutValues.extend({
    greeting: z.string().trim().min(1),
    seriesTitle: z.string().trim().min(1),
    /** The upcoming sessions where the person holds a place or a request (seriesSessionsText). */
    sessions: z.string().trim(),
    manageUrl: linkValue,
  }),
  copy: {
    fr: {
      subject: 'Votre inscription au cycle {{seriesTitle}} est enregistrée',
      intro: 'Vous êtes inscrit·e à l’ensemble du cycle « {{seriesTitle}} ». Voici les prochaines séances où une place vous est réservée ou demandée, avec l’état de votre inscription et votre page pour chacune (pour une séance sur place, le QR code d’accueil s’y trouve) :',
      later: 'Les séances ajoutées plus tard au cycle sont incluses : vous y serez inscrit·e automatiquement et recevrez une confirmation pour chacune.',
      manage: 'Depuis votre page d’inscription au cycle, vous pouvez revoir vos séances et leur état, ou vous désinscrire du cycle entier (les séances à venir seulement).',
    },
    en: {
      subject: 'Your registration for the {{seriesTitle}} series is recorded',
      intro: 'You are registered for the whole “{{seriesTitle}}” series. Here are the upcoming sessions where a place is held or requested for you, with the status of your registration and your page for each (for an in-person session, the check-in QR code is there):',
      later: 'Sessions added to the series later are included: you will be registered automatically and receive a confirmation for each.',
      manage: 'From your series registration page you can review your sessions and their status, or leave the whole series (upcoming sessions only).',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>{{sessions}}</p><p>${copy.later}</p></mj-text>${manageBlock(copy, copy.manage)}`,
})
