// English strings of the archive pages. Same shape as ../fr/archive.ts.
import type { archive as fr } from '../fr/archive.ts'
import type { DeepStrings } from '../en.ts'

export const archive: DeepStrings<typeof fr> = {
  title: 'Newsletter archive',
  intro: 'Newsletters already sent, as web versions. They contain no personal data.',
  filter: {
    legend: 'Filter issues',
    list: 'Newsletter',
    all: 'All newsletters',
    submit: 'Show',
  },
  empty: 'No issue has been published in the archive yet.',
  emptyForList: 'No issue of this newsletter has been published in the archive.',
  issuesLabel: 'Published issues',
  sentOn: 'Sent on {{date}}',
  lists: 'Newsletter: {{names}}',
  older: 'Older issues',
  newest: 'Back to the latest issues',
  pagination: 'Archive pages',
  rss: 'Follow the archive by RSS',
  rssTitle: 'Newsletter archive (RSS)',
  subscribe: 'Subscribe',
  subscribeIntro: 'Would you like to receive the next issues?',
  back: 'The whole archive',
  issue: {
    frameTitle: 'Web version of the newsletter “{{subject}}”',
    fullPage: 'Open the web version full page',
    textVersion: 'Text version',
  },
  feed: {
    title: '{{organization}} — newsletter archive',
    description: 'The latest issues of the newsletters of {{organization}}, as web versions.',
  },
  link: {
    notFound: 'This link does not exist or no longer exists. Check the address or open the newsletter in the archive.',
  },
  webhook: {
    methodNotAllowed: 'Method refused: the webhook only accepts POST requests.',
    malformed:
      'Request refused: the body must be JSON in the generic format ({"events": [...]}), Brevo’s or Mailjet’s. Check the webhook’s configuration.',
    tooLarge: 'Request refused: the body is over 1 MB. Send the events in smaller batches.',
    unauthorized: 'The webhook secret is missing or wrong.',
  },
}
