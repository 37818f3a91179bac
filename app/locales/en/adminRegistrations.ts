// English strings of the staff registrations, check-in and attendance pages. Same shape as ../fr/adminRegistrations.ts.
import type { adminRegistrations as fr } from '../fr/adminRegistrations.ts'
import type { DeepStrings } from '../en.ts'

export const adminRegistrations: DeepStrings<typeof fr> = {
  title: '',
}
