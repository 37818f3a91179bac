// French strings of the one-click registration from a newsletter (/inscription/:token) (kept in their own file so that each area edits its own strings).
export const eventInvitation = {
  title: '',
} as const
