// Owns the shape of a mailing list as staff edit it, shared by the form (client constraints) and the list model.
// Error messages are i18n keys (adminLists.form.*), translated where they are shown.
import { z } from 'zod'

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'adminLists.form.tooLong')
    .optional()
    .transform((value) => value ?? '')

/** Conform sends "on" for a ticked box and nothing for an unticked one. */
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === 'on' || value === 'true')

export const listSchema = z.object({
  name: z.string({ required_error: 'adminLists.form.nameRequired' }).trim().min(1, 'adminLists.form.nameRequired').max(120, 'adminLists.form.tooLong'),
  slug: z
    .string({ required_error: 'adminLists.form.slugRequired' })
    .trim()
    .toLowerCase()
    .min(1, 'adminLists.form.slugRequired')
    .max(60, 'adminLists.form.tooLong')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'adminLists.form.slugInvalid'),
  description: optionalText(2000),
  cadence: optionalText(120),
  isPublic: checkbox,
  doubleOptIn: checkbox,
  inArchive: checkbox,
  welcomeSubject: optionalText(200),
  /** Plain text; a blank line separates paragraphs (the welcome email turns each into a paragraph). */
  welcomeBody: optionalText(10000),
  sortOrder: z.coerce.number({ invalid_type_error: 'adminLists.form.sortOrderInvalid' }).int('adminLists.form.sortOrderInvalid').min(0, 'adminLists.form.sortOrderInvalid').max(10000, 'adminLists.form.sortOrderInvalid').default(0),
})

export type ListInput = z.output<typeof listSchema>
