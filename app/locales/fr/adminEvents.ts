// French strings of the staff events pages (/admin/events: list, dashboard, create/edit/duplicate form) (kept in their own file so that each area edits its own strings).
export const adminEvents = {
  title: '',
}
