// English strings, the second locale. Same shape as fr.ts.
import type { Messages } from './fr.ts'

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> }

export const en: DeepStrings<Messages> = {
  meta: { title: 'Relais', description: 'Newsletters, webinars and gatherings of the network' },
  nav: {
    skip: 'Skip to content',
    home: 'Home',
    events: 'Events',
    newsletters: 'Newsletters',
    archive: 'Archive',
    main: 'Main navigation',
    language: 'Language',
    switchTo: 'Français',
  },
  footer: { poweredBy: 'Powered by Relais', legal: 'Your data is never sold.' },
  home: {
    heading: 'Stay informed, meet the network',
    intro: 'Subscribe to the newsletters that matter to you and register for upcoming webinars, working sessions and gatherings.',
    upcoming: 'Upcoming events',
    noUpcoming: 'No event is scheduled at the moment.',
    lists: 'Our newsletters',
    noLists: 'No public newsletter yet.',
    subscribe: 'Subscribe',
    allEvents: 'See all events',
    online: 'Online',
    inPerson: 'In person',
    hybrid: 'In person and online',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundBody: 'This page does not exist or has moved. Check the address or go back home.',
    forbiddenTitle: 'Access denied',
    forbiddenBody: 'Your account does not have the rights needed for this page.',
    serverTitle: 'Something went wrong',
    serverBody: 'The service hit a problem. Try again in a moment; if it persists, tell the team.',
    badRequestTitle: 'Invalid request',
    backHome: 'Back to home',
  },
  admin: {
    title: 'Staff area',
    nav: 'Staff navigation',
    dashboard: 'Dashboard',
    campaigns: 'Campaigns',
    events: 'Events',
    contacts: 'Contacts',
    lists: 'Lists',
    outbox: 'Sent email',
    staff: 'Team',
    audit: 'Audit log',
    logout: 'Sign out',
    signedInAs: 'Signed in as {{name}}',
  },
}
