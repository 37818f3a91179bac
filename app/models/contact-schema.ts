// Owns the shape of a contact's profile as people type it (sign-up form, preference centre): one zod schema for
// the server check and the form's constraints. Error messages are i18n keys (signup.errors.*).
import { z } from 'zod'

export const actorTypes = ['ELECTED_OFFICIAL', 'PUBLIC_AGENT', 'ASSOCIATION', 'COMPANY', 'CITIZEN', 'RESEARCHER', 'OTHER'] as const
export type ActorTypeValue = (typeof actorTypes)[number]

export const profileLocales = ['fr', 'en'] as const

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'signup.errors.tooLong')
    .optional()
    .transform((value) => (value ? value : undefined))

/** A département code ("33", "2A", "971") is stored in capitals; anything else is kept as typed. */
const departementCode = /^(0?[1-9]|[1-8]\d|9[0-5]|2[ab]|97[1-6])$/i

export const contactProfileSchema = z.object({
  firstName: optionalText(80),
  lastName: optionalText(80),
  organization: optionalText(160),
  actorType: z
    .enum(actorTypes, { errorMap: () => ({ message: 'signup.errors.actorType' }) })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  territory: optionalText(80).transform((value) => (value && departementCode.test(value) ? value.toUpperCase().padStart(2, '0') : value)),
  locale: z.enum(profileLocales, { errorMap: () => ({ message: 'signup.errors.locale' }) }).default('fr'),
})

export type ContactProfile = z.infer<typeof contactProfileSchema>

export const emailField = z
  .string({ required_error: 'signup.errors.emailRequired' })
  .trim()
  .min(1, 'signup.errors.emailRequired')
  .max(254, 'signup.errors.emailInvalid')
  .email('signup.errors.emailInvalid')
