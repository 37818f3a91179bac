// English strings of the public event pages (/events, /events/:slug, /series/:slug, registration form, confirmation and management pages). Same shape as ../fr/events.ts.
import type { events as fr } from '../fr/events.ts'
import type { DeepStrings } from '../en.ts'

export const events: DeepStrings<typeof fr> = {
  errors: {
    firstNameRequired: 'Enter your first name.',
    lastNameRequired: 'Enter your last name.',
    answerRequired: 'This question is required.',
    answerTooLong: 'This answer is too long.',
    answerChoice: 'Choose among the answers offered.',
  },
}
