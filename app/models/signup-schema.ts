// Owns the shape of the public sign-up form (/newsletters, its embed, and the plain HTML snippet staff copy):
// field names and the zod schema shared by the server and the form's constraints.
import { z } from 'zod'
import { contactProfileSchema, emailField } from './contact-schema.ts'

/** Invisible to people, filled by naive bots: a submission with it is dropped (and answered as a success). */
export const HONEYPOT_FIELD = 'website'

export const signupSchema = contactProfileSchema.extend({
  email: emailField,
  /** Slugs of the lists asked for (the embed snippet posts a hidden one). */
  lists: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'signup.errors.listsRequired'), {
      required_error: 'signup.errors.listsRequired',
      invalid_type_error: 'signup.errors.listsRequired',
    })
    .min(1, 'signup.errors.listsRequired')
    .max(50, 'signup.errors.listsRequired'),
  /** The version of the consent text shown; absent from hand-written snippets (the current text is recorded then). */
  consentTextHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
})

export type SignupInput = z.infer<typeof signupSchema>
