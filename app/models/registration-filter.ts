// Owns the filter of an event's registrations as staff choose it (statuses + search) and its place in an address,
// shared by the table, the CSV export and announcements; pure, so that pages can use it in the browser too.
import type { RegistrationStatus } from '~/generated/prisma/enums.ts'

export const registrationStatuses = ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL', 'CANCELLED', 'REFUSED'] as const satisfies readonly RegistrationStatus[]
/** The statuses an announcement can go to (people who cancelled or were refused are never messaged). */
export const announceableStatuses = ['CONFIRMED', 'WAITLISTED', 'PENDING_APPROVAL'] as const satisfies readonly RegistrationStatus[]
export type AnnounceableStatus = (typeof announceableStatuses)[number]

export interface RegistrationFilter {
  /** Empty: every status. */
  statuses: RegistrationStatus[]
  q?: string
}

/** The filter in a page or export address: `status` (repeatable) and `q`; anything unreadable is ignored. */
export function readRegistrationFilter(params: URLSearchParams): RegistrationFilter {
  const statuses = [...new Set(params.getAll('status'))].filter((value): value is RegistrationStatus => (registrationStatuses as readonly string[]).includes(value))
  const q = (params.get('q') ?? '').trim().slice(0, 200)
  return q ? { statuses, q } : { statuses }
}

/** The `page` of a paged staff list: a whole number from 1 (at most 6 digits); anything else (`1.3`, `abc`, `-1`) is 1. */
export function readPageParam(params: URLSearchParams): number {
  const raw = (params.get('page') ?? '').trim()
  return /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1
}

/** The same filter as address parameters (to keep it across pages, actions and the export link). */
export function registrationFilterParams(filter: RegistrationFilter): URLSearchParams {
  const params = new URLSearchParams()
  for (const status of filter.statuses) params.append('status', status)
  if (filter.q) params.set('q', filter.q)
  return params
}

