// A message staff wrote to an event's registrants: their subject and plain-text body (escaped, line breaks kept),
// then the event's title and date and the person's management link.
import { z } from 'zod'
import { defineEventTemplate, eventValues, manageBlock, summaryBlock } from './event-parts.ts'

export const eventAnnouncement = defineEventTemplate({
  values: eventValues.extend({
    announcementSubject: z.string().trim().min(1),
    /** Plain text written by staff; line breaks and blank-line paragraphs are kept. */
    announcementBody: z.string().trim().min(1),
  }),
  copy: {
    fr: {
      subject: '{{announcementSubject}}',
      about: 'Vous recevez ce message car vous êtes inscrit·e à cet événement :',
    },
    en: {
      subject: '{{announcementSubject}}',
      about: 'You receive this message because you are registered for this event:',
    },
  },
  body: (copy) => `
        <mj-text><p>{{announcementBody}}</p></mj-text>
        <mj-divider border-width="1px" border-color="#c9d1d9" />
        <mj-text font-size="14px" color="#4a5560"><p>${copy.about}</p></mj-text>${summaryBlock(copy)}${manageBlock(copy)}`,
})
