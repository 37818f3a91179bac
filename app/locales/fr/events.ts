// French strings of the public event pages (/events, /events/:slug, /series/:slug, registration form, confirmation and management pages) (kept in their own file so that each area edits its own strings).
export const events = {
  errors: {
    firstNameRequired: 'Indiquez votre prénom.',
    lastNameRequired: 'Indiquez votre nom.',
    answerRequired: 'Cette question est obligatoire.',
    answerTooLong: 'Cette réponse est trop longue.',
    answerChoice: 'Choisissez parmi les réponses proposées.',
  },
}
