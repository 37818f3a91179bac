// French strings of the add-to-calendar links (Google, Outlook.com, .ics) on public pages (kept in their own file so that each area edits its own strings).
export const calendarLinks = {
  title: '',
} as const
