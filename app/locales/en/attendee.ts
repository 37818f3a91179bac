// English strings of the attendee's own pages (/j/:token join link and its waiting page, /avis/:token feedback form). Same shape as ../fr/attendee.ts.
import type { attendee as fr } from '../fr/attendee.ts'
import type { DeepStrings } from '../en.ts'

export const attendee: DeepStrings<typeof fr> = {
  title: '',
}
