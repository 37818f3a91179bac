// English strings of the add-to-calendar links (Google, Outlook.com, .ics) on public pages, and of the calendar
// files' DESCRIPTION lines and LOCATION. Same shape as ../fr/calendarLinks.ts.
import type { calendarLinks as fr } from '../fr/calendarLinks.ts'
import type { DeepStrings } from '../en.ts'

export const calendarLinks: DeepStrings<typeof fr> = {
  title: 'Add to my calendar',
  google: 'Add to Google Calendar',
  outlook: 'Add to Outlook.com',
  ics: 'Download the .ics file (Apple Calendar, Outlook, Thunderbird…)',
  icsPersonal: 'Download the .ics file with my personal link (Apple Calendar, Outlook, Thunderbird…)',
  thanksHint: 'The confirmation email also carries an invitation for your calendar: add the event only once.',
  manageHint: 'The .ics file holds your personal link to join the event; the Google and Outlook links only hold the event page.',
  seriesIcs: 'Download every session of the series (.ics file)',
  seriesHint: 'The file holds every published session of the series. Your confirmation emails also carry one invitation per session: add each session only once.',
  sessionIcs: 'Add “{{title}}” to my calendar (.ics file)',
  eventIcs: 'Add to my calendar (.ics file)',
  feed: 'Subscribe to the events calendar (.ics)',
  feedHint: 'Copy this link’s address into your calendar app to see every new event there.',
  notFound: 'No calendar to download: this registration is not confirmed, or this link no longer works. Open the link in your latest email.',
  file: {
    online: 'Online',
    onlineAnd: '{{venue}} and online',
    page: 'Event page',
    join: 'Join the event (personal link)',
    manage: 'Manage my registration',
  },
}
