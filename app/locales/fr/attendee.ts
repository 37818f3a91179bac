// French strings of the attendee's own pages (/j/:token join link and its waiting page, /avis/:token feedback form) (kept in their own file so that each area edits its own strings).
export const attendee = {
  title: '',
} as const
