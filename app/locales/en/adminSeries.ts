// English strings of the staff series pages (/admin/series: cycles, session generation). Same shape as ../fr/adminSeries.ts.
import type { adminSeries as fr } from '../fr/adminSeries.ts'
import type { DeepStrings } from '../en.ts'

export const adminSeries: DeepStrings<typeof fr> = {
  title: '',
}
