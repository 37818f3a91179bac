// Owns the one schema of the public registration forms (an event's, a series', and the management page's edit form),
// used by the server check and by the browser's own check: the attendee fields of event-schema.ts, the event's custom
// answers (checked by parseAnswers, errors keyed by their field name) and the separate newsletter box.
import { z } from 'zod'
import { attendeeSchema, parseAnswers, type EventQuestion } from '~/models/event-schema.ts'

/** Ticked value of the separate, unticked-by-default newsletter box. */
export const NEWSLETTER_FIELD = 'newsletter'
export const NEWSLETTER_LIST_FIELD = 'newsletterListId'

const newsletterFields = z.object({
  [NEWSLETTER_FIELD]: z.string().optional(),
  [NEWSLETTER_LIST_FIELD]: z.string().optional(),
})

/** The answers' fields as a form would post them, rebuilt from the parsed object (a multiple choice is a list). */
function answerParams(value: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, field] of Object.entries(value)) {
    if (!key.startsWith('q-')) continue
    for (const item of Array.isArray(field) ? field : [field]) if (typeof item === 'string') params.append(key, item)
  }
  return params
}

/**
 * The answers' check as a schema of its own, joined to the attendee fields with `and`: zod runs both sides, so a
 * missing name and a missing answer are reported together (a refinement after the object would be skipped). Its
 * output is empty: the answers are read with parseAnswers once the form is valid.
 */
function answersCheck(questions: EventQuestion[], extra?: (value: Record<string, unknown>, ctx: z.RefinementCtx) => void) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      const check = parseAnswers(answerParams(value), questions)
      if (!check.ok) for (const [field, message] of Object.entries(check.errors)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
      extra?.(value, ctx)
    })
    .transform(() => ({}))
}

/** A registration to an event: who, the answers to its questions, and the optional newsletter. */
export function eventRegistrationSchema(questions: EventQuestion[]) {
  return attendeeSchema.merge(newsletterFields).and(
    answersCheck(questions, (value, ctx) => {
      const listId = value[NEWSLETTER_LIST_FIELD]
      if (value[NEWSLETTER_FIELD] && !(typeof listId === 'string' && /^\d{1,10}$/.test(listId))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [NEWSLETTER_LIST_FIELD], message: 'events.errors.newsletterList' })
      }
    }),
  )
}

/** The management page's edit form: names, organisation, territory and the answers (the address stays). */
export function registrationEditSchema(questions: EventQuestion[]) {
  return attendeeSchema.pick({ firstName: true, lastName: true, organization: true, territory: true }).and(answersCheck(questions))
}

/** The newsletter list asked for with the separate box, when it was ticked. */
export function chosenNewsletterListId(value: Record<string, unknown>): number | undefined {
  const ticked = value[NEWSLETTER_FIELD]
  const listId = value[NEWSLETTER_LIST_FIELD]
  return ticked && typeof listId === 'string' && /^\d{1,10}$/.test(listId) ? Number(listId) : undefined
}
