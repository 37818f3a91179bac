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

function checkAnswers(questions: EventQuestion[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const check = parseAnswers(answerParams(value), questions)
    if (check.ok) return
    for (const [field, message] of Object.entries(check.errors)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
  }
}

/** A registration to an event: who, the answers to its questions, and the optional newsletter. */
export function eventRegistrationSchema(questions: EventQuestion[]) {
  return attendeeSchema
    .merge(newsletterFields)
    .passthrough()
    .superRefine(checkAnswers(questions))
    .superRefine((value, ctx) => {
      if (value[NEWSLETTER_FIELD] && !/^\d{1,10}$/.test(value[NEWSLETTER_LIST_FIELD] ?? '')) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [NEWSLETTER_LIST_FIELD], message: 'events.errors.newsletterList' })
      }
    })
}

/** The management page's edit form: names, organisation, territory and the answers (the address stays). */
export function registrationEditSchema(questions: EventQuestion[]) {
  return attendeeSchema.pick({ firstName: true, lastName: true, organization: true, territory: true }).passthrough().superRefine(checkAnswers(questions))
}

/** The newsletter list asked for with the separate box, when it was ticked. */
export function chosenNewsletterListId(value: Record<string, unknown>): number | undefined {
  const ticked = value[NEWSLETTER_FIELD]
  const listId = value[NEWSLETTER_LIST_FIELD]
  return ticked && typeof listId === 'string' && /^\d{1,10}$/.test(listId) ? Number(listId) : undefined
}
