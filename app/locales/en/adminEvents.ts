// English strings of the staff events pages (/admin/events: list, dashboard, create/edit/duplicate form). Same shape as ../fr/adminEvents.ts.
import type { adminEvents as fr } from '../fr/adminEvents.ts'
import type { DeepStrings } from '../en.ts'

export const adminEvents: DeepStrings<typeof fr> = {
  title: '',
}
