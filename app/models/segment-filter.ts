// Owns the shape of a segment filter (structured JSON, never SQL), shared by the segment form in the browser and
// the server, and the reading of that filter from form fields (the same field names in the form and the count URL).
import { z } from 'zod'

export const actorTypes = ['ELECTED_OFFICIAL', 'PUBLIC_AGENT', 'ASSOCIATION', 'COMPANY', 'CITIZEN', 'RESEARCHER', 'OTHER'] as const
export const contactStatuses = ['ACTIVE', 'UNSUBSCRIBED', 'BOUNCED', 'COMPLAINED'] as const
export const subscriptionStatuses = ['PENDING', 'CONFIRMED', 'UNSUBSCRIBED'] as const

const id = z.coerce.number().int().positive()
/** A département code ("33", "2A", "971") as stored on contacts, which may also hold free text: matched exactly. */
const territory = z.string().trim().min(1).max(60)
/** A calendar day (yyyy-mm-dd), read as midnight UTC. */
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'segments.errors.date')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'segments.errors.date')

export const segmentFilterSchema = z
  .object({
    lists: z
      .object({
        /** "any": subscribed to at least one of the lists; "all": to every one of them. */
        match: z.enum(['any', 'all']).default('any'),
        ids: z.array(id).max(100).default([]),
        status: z.enum(subscriptionStatuses).default('CONFIRMED'),
      })
      .default({}),
    actorTypes: z.array(z.enum(actorTypes)).default([]),
    territories: z.array(territory).max(120).default([]),
    /** Empty: every reachable contact (ACTIVE); a status lets staff look at unsubscribed or bounced people too. */
    contactStatuses: z.array(z.enum(contactStatuses)).default([]),
    /** Subscription date (of the list subscription matching `lists`, or of any subscription without lists). */
    subscribedAfter: day.optional(),
    subscribedBefore: day.optional(),
    attended: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('any') }),
        z.object({ kind: z.literal('event'), eventId: id }),
        z.object({ kind: z.literal('series'), seriesId: id }),
      ])
      .default({ kind: 'none' }),
  })
  .strict()
  .refine((filter) => !filter.subscribedAfter || !filter.subscribedBefore || filter.subscribedAfter <= filter.subscribedBefore, {
    message: 'segments.errors.dateOrder',
    path: ['subscribedBefore'],
  })

export type SegmentFilter = z.infer<typeof segmentFilterSchema>
export type SegmentFilterInput = z.input<typeof segmentFilterSchema>

/** Field names of the segment form and of the count URL's query string. */
export const filterFields = {
  listIds: 'listIds',
  listMatch: 'listMatch',
  listStatus: 'listStatus',
  actorTypes: 'actorTypes',
  territories: 'territories',
  contactStatuses: 'contactStatuses',
  subscribedAfter: 'subscribedAfter',
  subscribedBefore: 'subscribedBefore',
  attended: 'attended',
} as const

/** Territories typed as "33, 2A; 971": split on commas and semicolons (free-text territories may hold spaces). */
function splitTerritories(values: string[]): string[] {
  return values.flatMap((value) => value.split(/[,;]+/)).map((value) => value.trim()).filter(Boolean)
}

/**
 * Reads a filter from form fields (FormData or a query string). `attended` is "none", "any", "event:<id>" or
 * "series:<id>", one select in the form.
 */
export function readFilterFields(fields: URLSearchParams | FormData): z.SafeParseReturnType<SegmentFilterInput, SegmentFilter> {
  const all = (name: string) => fields.getAll(name).filter((value): value is string => typeof value === 'string' && value.trim() !== '')
  const one = (name: string) => all(name)[0]
  const [attendedKind, attendedId] = (one(filterFields.attended) ?? 'none').split(':')
  const attended =
    attendedKind === 'event' ? { kind: 'event', eventId: attendedId } : attendedKind === 'series' ? { kind: 'series', seriesId: attendedId } : { kind: attendedKind }
  return segmentFilterSchema.safeParse({
    lists: { match: one(filterFields.listMatch), ids: all(filterFields.listIds), status: one(filterFields.listStatus) },
    actorTypes: all(filterFields.actorTypes),
    territories: splitTerritories(all(filterFields.territories)),
    contactStatuses: all(filterFields.contactStatuses),
    subscribedAfter: one(filterFields.subscribedAfter),
    subscribedBefore: one(filterFields.subscribedBefore),
    attended,
  })
}

/** The inverse of readFilterFields, for links to the count route and for a form's default values. */
export function filterToSearchParams(filter: SegmentFilter): URLSearchParams {
  const params = new URLSearchParams()
  for (const listId of filter.lists.ids) params.append(filterFields.listIds, String(listId))
  params.set(filterFields.listMatch, filter.lists.match)
  params.set(filterFields.listStatus, filter.lists.status)
  for (const type of filter.actorTypes) params.append(filterFields.actorTypes, type)
  if (filter.territories.length > 0) params.set(filterFields.territories, filter.territories.join(', '))
  for (const status of filter.contactStatuses) params.append(filterFields.contactStatuses, status)
  if (filter.subscribedAfter) params.set(filterFields.subscribedAfter, filter.subscribedAfter)
  if (filter.subscribedBefore) params.set(filterFields.subscribedBefore, filter.subscribedBefore)
  params.set(filterFields.attended, attendedValue(filter.attended))
  return params
}

export function attendedValue(attended: SegmentFilter['attended']): string {
  if (attended.kind === 'event') return `event:${attended.eventId}`
  if (attended.kind === 'series') return `series:${attended.seriesId}`
  return attended.kind
}

/** The name and description of a saved segment (its filter is read by readFilterFields). */
export const segmentDetailsSchema = z.object({
  name: z.string({ required_error: 'segments.errors.nameRequired' }).trim().min(1, 'segments.errors.nameRequired').max(120, 'segments.errors.nameTooLong'),
  description: z.string().trim().max(500, 'segments.errors.descriptionTooLong').default(''),
})
