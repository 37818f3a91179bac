// Owns the shape of staff input (email, name, password, role), shared by the forms (client constraints), the
// staff model and the CLI. Error messages are i18n keys (staff.form.*), translated where they are shown.
import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 1024

export const staffRoles = ['ADMIN', 'EDITOR'] as const
export type StaffRoleName = (typeof staffRoles)[number]

export const emailSchema = z
  .string({ required_error: 'staff.form.emailRequired' })
  .trim()
  .toLowerCase()
  .max(254, 'staff.form.emailInvalid')
  .email('staff.form.emailInvalid')

export const nameSchema = z
  .string({ required_error: 'staff.form.nameRequired' })
  .trim()
  .min(1, 'staff.form.nameRequired')
  .max(120, 'staff.form.nameTooLong')

export const passwordSchema = z
  .string({ required_error: 'staff.form.passwordRequired' })
  .min(PASSWORD_MIN_LENGTH, 'staff.form.passwordTooShort')
  .max(PASSWORD_MAX_LENGTH, 'staff.form.passwordTooLong')

export const roleSchema = z.enum(staffRoles, { errorMap: () => ({ message: 'staff.form.roleInvalid' }) })

/** The invitee's form: the name to show, a password typed twice. */
export const invitationAcceptSchema = z
  .object({
    name: nameSchema,
    password: passwordSchema,
    confirmPassword: z.string({ required_error: 'staff.form.confirmRequired' }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    message: 'staff.form.confirmMismatch',
    path: ['confirmPassword'],
  })
