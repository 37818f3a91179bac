// French strings of the staff registrations, check-in and attendance pages (kept in their own file so that each area edits its own strings).
export const adminRegistrations = {
  title: '',
}
