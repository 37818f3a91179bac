// The end of a series registration: either the person left the series (future sessions cancelled) or the organisers
// cancelled the series itself.
import { z } from 'zod'
import { defineEventTemplate } from './event-parts.ts'
import { layoutValues, linkValue } from './template.ts'

const values = layoutValues.extend({ greeting: z.string().trim().min(1), seriesTitle: z.string().trim().min(1) })

export const eventSeriesRegistrationCancelled = defineEventTemplate({
  values: values.extend({ seriesUrl: linkValue }),
  copy: {
    fr: {
      subject: 'Votre inscription au cycle {{seriesTitle}} est annulée',
      intro: 'Votre inscription au cycle « {{seriesTitle}} » est annulée : vos inscriptions aux séances à venir le sont aussi, et vos places sont libérées.',
      again: 'Vous pourrez toujours vous inscrire à une séance ou au cycle depuis sa page.',
      action: 'Voir le cycle',
    },
    en: {
      subject: 'Your registration for the {{seriesTitle}} series is cancelled',
      intro: 'Your registration for the “{{seriesTitle}}” series is cancelled: your registrations for the upcoming sessions are cancelled too, and your seats are freed.',
      again: 'You can still register for one session or for the series from its page.',
      action: 'See the series',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>${copy.again}</p></mj-text>
        <mj-button href="{{seriesUrl}}" align="left">${copy.action}</mj-button>`,
})

export const eventSeriesCancelled = defineEventTemplate({
  values,
  copy: {
    fr: {
      subject: 'Cycle annulé : {{seriesTitle}}',
      intro: 'Nous sommes au regret de vous informer que le cycle « {{seriesTitle}} » est annulé : ses séances à venir n’auront pas lieu.',
      next: 'Votre inscription au cycle est annulée avec lui : vous n’avez rien à faire. Pour toute question, répondez simplement à ce message.',
    },
    en: {
      subject: 'Series cancelled: {{seriesTitle}}',
      intro: 'We regret to inform you that the “{{seriesTitle}}” series is cancelled: its upcoming sessions will not take place.',
      next: 'Your series registration is cancelled with it: there is nothing you need to do. If you have any question, simply reply to this message.',
    },
  },
  body: (copy) => `
        <mj-text><p>{{greeting}}</p><p>${copy.intro}</p><p>${copy.next}</p></mj-text>`,
})
