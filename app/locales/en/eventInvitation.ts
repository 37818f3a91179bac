// English strings of the one-click registration from a newsletter (/inscription/:token). Same shape as ../fr/eventInvitation.ts.
import type { eventInvitation as fr } from '../fr/eventInvitation.ts'
import type { DeepStrings } from '../en.ts'

export const eventInvitation: DeepStrings<typeof fr> = {
  title: '',
}
