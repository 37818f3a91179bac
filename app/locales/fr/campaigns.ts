// French strings of the campaigns pages (kept in their own file so that each area edits its own strings).
export const campaigns = {
}
