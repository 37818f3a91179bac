// French strings of the archive pages (kept in their own file so that each area edits its own strings).
export const archive = {
}
