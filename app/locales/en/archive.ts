// English strings of the archive pages. Same shape as ../fr/archive.ts.
import type { archive as fr } from '../fr/archive.ts'
import type { DeepStrings } from '../en.ts'

export const archive: DeepStrings<typeof fr> = {
}
