// Owns what staff do from an event's registrations table: row actions (approve, refuse, move, cancel) checked to
// belong to the event before they reach the registration core, adding someone by hand (attendee fields + answers),
// and messaging all or a filtered part of the registrants. Outcomes come back as i18n keys for the page.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { prisma } from '~/utils/db.server.ts'
import { createAnnouncement, findAnnouncementByRequestKey } from './event-message.server.ts'
import { attendeeSchema, parseAnswers, type Answers, type EventQuestion } from './event-schema.ts'
import {
  approveRegistration,
  cancelRegistration,
  moveRegistration,
  refuseRegistration,
  registerForEvent,
  type RegistrationClosedReason,
  type StaffMoveResult,
} from './registration.server.ts'
import { announcementRecipientCount, announcementStatuses, type RegistrationFilter } from './registration-table.server.ts'

type Staff = { id: number; email: string }

export const rowActions = ['approve', 'refuse', 'confirm', 'waitlist', 'cancel'] as const
export type RowAction = (typeof rowActions)[number]

/** What the page says after an action: a notice or an error (i18n keys under adminRegistrations, with values). */
export type StaffOutcome = { notice: string; error?: undefined; values?: Record<string, string | number> } | { error: string; notice?: undefined; values?: Record<string, string | number> }

function moveOutcome(result: StaffMoveResult, action: RowAction): StaffOutcome {
  if (result.ok) return { notice: `adminRegistrations.notices.${action}`, values: { status: result.status } }
  return { error: `adminRegistrations.errors.${result.reason}` }
}

/** Runs a row action on a registration of `eventId` (another event's registration is `not-found`). */
export async function runRowAction(eventId: number, registrationId: number, action: RowAction, staff: Staff): Promise<StaffOutcome> {
  const registration = await prisma.registration.findFirst({ where: { id: registrationId, eventId }, select: { id: true, firstName: true, lastName: true } })
  if (!registration) return { error: 'adminRegistrations.errors.not-found' }
  const actor = { staffUserId: staff.id }
  const name = `${registration.firstName} ${registration.lastName}`.trim()
  let outcome: StaffOutcome
  switch (action) {
    case 'approve':
      outcome = moveOutcome(await approveRegistration(registrationId, actor), action)
      if (outcome.notice && outcome.values?.status === 'WAITLISTED') outcome = { notice: 'adminRegistrations.notices.approveWaitlisted' }
      break
    case 'refuse':
      outcome = moveOutcome(await refuseRegistration(registrationId, actor), action)
      break
    case 'confirm':
      outcome = moveOutcome(await moveRegistration(registrationId, 'CONFIRMED', actor), action)
      break
    case 'waitlist':
      outcome = moveOutcome(await moveRegistration(registrationId, 'WAITLISTED', actor), action)
      break
    case 'cancel': {
      const result = await cancelRegistration({ registrationId, by: 'staff', staffUserId: staff.id })
      outcome = result.cancelled
        ? { notice: result.promotedRegistrationIds.length > 0 ? 'adminRegistrations.notices.cancelPromoted' : 'adminRegistrations.notices.cancel', values: { count: result.promotedRegistrationIds.length } }
        : { error: 'adminRegistrations.errors.invalid' }
      break
    }
  }
  return { ...outcome, values: { ...outcome.values, name } } as StaffOutcome
}

export type AddByHandResult =
  | { ok: true; outcome: StaffOutcome }
  | { ok: false; errors: Record<string, string>; values: Record<string, string | string[]>; refusal?: StaffOutcome }

function formValues(form: FormData, questions: EventQuestion[]): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const name of ['firstName', 'lastName', 'email', 'organization', 'actorType', 'territory', 'locale']) values[name] = String(form.get(name) ?? '')
  for (const question of questions) {
    const field = `q-${question.id}`
    const all = form.getAll(field).map(String)
    values[field] = question.type === 'multiple_choice' ? all : (all[0] ?? '')
  }
  return values
}

const refusalKeys: Record<RegistrationClosedReason, string> = {
  full: 'adminRegistrations.errors.full',
  cancelled: 'adminRegistrations.errors.eventCancelled',
  draft: 'adminRegistrations.errors.draft',
  'not-open': 'adminRegistrations.errors.refusedOther',
  closed: 'adminRegistrations.errors.refusedOther',
  started: 'adminRegistrations.errors.refusedOther',
}

/** Staff add someone by hand (source STAFF): attendee fields and answers checked like the public form. */
export async function addRegistrationByHand(eventId: number, questions: EventQuestion[], form: FormData, staff: Staff): Promise<AddByHandResult> {
  const values = formValues(form, questions)
  const attendee = attendeeSchema.safeParse({ ...values, locale: values.locale || 'fr' })
  const answers = parseAnswers(form, questions)
  const errors: Record<string, string> = { ...(answers.ok ? {} : answers.errors) }
  if (!attendee.success) {
    for (const issue of attendee.error.issues) {
      const field = String(issue.path[0] ?? 'form')
      errors[field] ??= issue.message
    }
  }
  if (!attendee.success || !answers.ok) return { ok: false, errors, values }
  const result = await registerForEvent({ eventId, attendee: attendee.data, answers: answers.answers as Answers, source: 'STAFF', staffUserId: staff.id })
  const name = `${attendee.data.firstName} ${attendee.data.lastName}`
  if (result.status === 'refused') return { ok: false, errors: {}, values, refusal: { error: refusalKeys[result.reason], values: { name } } }
  if (result.status === 'already') return { ok: false, errors: {}, values, refusal: { error: 'adminRegistrations.errors.already', values: { name, email: attendee.data.email } } }
  return { ok: true, outcome: { notice: `adminRegistrations.notices.added.${result.status}`, values: { name } } }
}

export const announcementSchema = z.object({
  subject: z
    .string({ required_error: 'adminRegistrations.announce.errors.subjectRequired' })
    .trim()
    .min(1, 'adminRegistrations.announce.errors.subjectRequired')
    .max(200, 'adminRegistrations.announce.errors.subjectTooLong')
    .refine((value) => !/[\r\n]/.test(value), 'adminRegistrations.announce.errors.subjectLineBreak'),
  body: z.string({ required_error: 'adminRegistrations.announce.errors.bodyRequired' }).trim().min(1, 'adminRegistrations.announce.errors.bodyRequired').max(20_000, 'adminRegistrations.announce.errors.bodyTooLong'),
  scope: z.enum(['all', 'filter']).default('all'),
})

export type AnnouncementDraft = z.infer<typeof announcementSchema>

/** The filter an announcement goes to: everyone who can be messaged, or the part the table shows. */
export function announcementFilter(scope: AnnouncementDraft['scope'], current: RegistrationFilter): RegistrationFilter {
  return scope === 'all' ? { statuses: [] } : current
}

/** How many people the draft would reach (shown in the confirmation step). */
export function previewAnnouncement(eventId: number, draft: AnnouncementDraft, current: RegistrationFilter): Promise<number> {
  return announcementRecipientCount(eventId, announcementFilter(draft.scope, current))
}

/** A fresh one-time key for the confirmation step (see sendAnnouncement). */
export function announcementRequestKey(): string {
  return randomUUID()
}

/** Whether a posted key looks like one announcementRequestKey handed out. */
export function readAnnouncementRequestKey(value: FormDataEntryValue | null): string | null {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? value : null
}

/**
 * Records and dispatches the announcement (one ledger row per recipient, see event-message.server.ts). The same
 * requestKey posted again sends nothing and answers the first send's count. `recipients` is counted at send time.
 */
export async function sendAnnouncement(
  eventId: number,
  draft: AnnouncementDraft,
  current: RegistrationFilter,
  staff: Staff,
  requestKey?: string,
): Promise<{ recipients: number; repeated?: boolean } | { error: string }> {
  if (requestKey) {
    const first = await findAnnouncementByRequestKey(eventId, requestKey)
    if (first) return { recipients: first.recipients, repeated: true }
  }
  const filter = announcementFilter(draft.scope, current)
  const statuses = announcementStatuses(filter)
  if (statuses.length === 0 || (await announcementRecipientCount(eventId, filter)) === 0) return { error: 'adminRegistrations.announce.errors.nobody' }
  const { recipients, repeated } = await createAnnouncement({
    eventId,
    subject: draft.subject,
    body: draft.body,
    filter: { statuses, ...(filter.q ? { q: filter.q } : {}) },
    staffUserId: staff.id,
    ...(requestKey ? { requestKey } : {}),
  })
  return { recipients, ...(repeated ? { repeated } : {}) }
}
