// English strings of the add-to-calendar links (Google, Outlook.com, .ics) on public pages. Same shape as ../fr/calendarLinks.ts.
import type { calendarLinks as fr } from '../fr/calendarLinks.ts'
import type { DeepStrings } from '../en.ts'

export const calendarLinks: DeepStrings<typeof fr> = {
  title: '',
}
