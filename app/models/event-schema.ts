// Owns the shape of an event's custom registration questions and of the answers people give, and the attendee
// fields of a registration form (public form, management page, staff "add by hand"): one zod schema each, shared by
// the server check and the forms. Error messages are i18n keys (events.errors.*).
import { z } from 'zod'
import { contactProfileSchema, emailField } from './contact-schema.ts'

export const questionTypes = ['short_text', 'long_text', 'single_choice', 'multiple_choice', 'yes_no'] as const
export type QuestionType = (typeof questionTypes)[number]

/** Longest answer kept, per type (a longer one is refused with a message, never cut). */
export const answerMaxLength = { short_text: 200, long_text: 2000 } as const

export const eventQuestionSchema = z.object({
  /** Stable key of the answer (a-z, 0-9, dashes); kept when the label is edited. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  label: z.string().trim().min(1).max(300),
  type: z.enum(questionTypes),
  required: z.boolean(),
  /** The choices of single_choice / multiple_choice; empty otherwise. */
  options: z.array(z.string().trim().min(1).max(200)).max(30).default([]),
})

export type EventQuestion = z.infer<typeof eventQuestionSchema>

export const eventQuestionsSchema = z
  .array(eventQuestionSchema)
  .max(20)
  .refine((questions) => new Set(questions.map((q) => q.id)).size === questions.length, 'duplicate question id')
  .refine((questions) => questions.every((q) => (q.type === 'single_choice' || q.type === 'multiple_choice' ? q.options.length >= 2 : true)), 'a choice needs two options')

/** The questions stored on an event (Event.questions); anything unreadable is left out rather than crash a page. */
export function readQuestions(stored: unknown): EventQuestion[] {
  if (!Array.isArray(stored)) return []
  return stored.flatMap((item) => {
    const parsed = eventQuestionSchema.safeParse(item)
    return parsed.success ? [parsed.data] : []
  })
}

/** One answer: text for texts and single choice, a list for multiple choice, a boolean for yes/no. */
export type Answer = string | string[] | boolean
export type Answers = Record<string, Answer>

/** The form field of a question's answer (`q-<id>`; a multiple choice posts the field once per ticked option). */
export function answerFieldName(questionId: string): string {
  return `q-${questionId}`
}

export type AnswersCheck = { ok: true; answers: Answers } | { ok: false; answers: Answers; errors: Record<string, string> }

/**
 * Reads and checks the answers posted in `form` for `questions`. Errors are keyed by field name (`q-<id>`) and are
 * i18n keys. An unanswered optional question is left out of `answers`. yes/no posts "yes" or "no".
 */
export function parseAnswers(form: FormData | URLSearchParams, questions: EventQuestion[]): AnswersCheck {
  const answers: Answers = {}
  const errors: Record<string, string> = {}
  for (const question of questions) {
    const field = answerFieldName(question.id)
    const values = form
      .getAll(field)
      .map((value) => (typeof value === 'string' ? value.trim() : ''))
      .filter((value) => value !== '')
    switch (question.type) {
      case 'short_text':
      case 'long_text': {
        const text = values[0] ?? ''
        if (text.length > answerMaxLength[question.type]) errors[field] = 'events.errors.answerTooLong'
        else if (text) answers[question.id] = text
        break
      }
      case 'single_choice': {
        const choice = values[0]
        if (choice !== undefined && !question.options.includes(choice)) errors[field] = 'events.errors.answerChoice'
        else if (choice !== undefined) answers[question.id] = choice
        break
      }
      case 'multiple_choice': {
        if (values.some((value) => !question.options.includes(value))) errors[field] = 'events.errors.answerChoice'
        else if (values.length > 0) answers[question.id] = [...new Set(values)]
        break
      }
      case 'yes_no': {
        const value = values[0]
        if (value !== undefined && value !== 'yes' && value !== 'no') errors[field] = 'events.errors.answerChoice'
        else if (value !== undefined) answers[question.id] = value === 'yes'
        break
      }
    }
    if (question.required && !(question.id in answers) && !errors[field]) errors[field] = 'events.errors.answerRequired'
  }
  return Object.keys(errors).length > 0 ? { ok: false, answers, errors } : { ok: true, answers }
}

/** Who registers: the same profile fields as the sign-up form, with first and last name required. */
export const attendeeSchema = contactProfileSchema.extend({
  email: emailField,
  firstName: z.string({ required_error: 'events.errors.firstNameRequired' }).trim().min(1, 'events.errors.firstNameRequired').max(80, 'signup.errors.tooLong'),
  lastName: z.string({ required_error: 'events.errors.lastNameRequired' }).trim().min(1, 'events.errors.lastNameRequired').max(80, 'signup.errors.tooLong'),
})

export type AttendeeInput = z.infer<typeof attendeeSchema>

/** A stored person (a contact, a series member) as the attendee of a registration: empty fields left out. */
export function attendeeFromProfile(person: {
  email: string
  firstName: string
  lastName: string
  organization: string | null
  actorType: AttendeeInput['actorType'] | null
  territory: string | null
  locale: string | null
}): AttendeeInput {
  return {
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    organization: person.organization ?? undefined,
    actorType: person.actorType ?? undefined,
    territory: person.territory ?? undefined,
    locale: person.locale === 'en' ? 'en' : 'fr',
  }
}
