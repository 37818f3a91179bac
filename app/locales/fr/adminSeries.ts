// French strings of the staff series pages (/admin/series: cycles, session generation) (kept in their own file so that each area edits its own strings).
export const adminSeries = {
  title: '',
}
