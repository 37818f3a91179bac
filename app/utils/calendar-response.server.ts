// Owns how calendar files go out over HTTP: text/calendar in UTF-8, shared caching with a validator (ETag, 304 on
// If-None-Match) for public feeds, no caching at all for an attendee's own file, and the download name.
import { createHash } from 'node:crypto'

const calendarType = 'text/calendar; charset=utf-8'

/** Weak: the compression middleware may re-encode the body, the calendar it holds is the same. */
function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
}

/** Whether an If-None-Match header names this ETag (weak comparison, lists and `*` included). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  const wanted = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim()
    return tag === '*' || tag.replace(/^W\//, '') === wanted
  })
}

/** A download name safe in a quoted header (slugs already are). */
function disposition(filename: string): string {
  return `inline; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`
}

/**
 * A public feed (anyone may cache it five minutes) with its ETag; 304 without a body when the reader already holds
 * this version. `filename` names a single event's or series' file (shown inline, saved under that name).
 */
export function publicCalendarResponse(request: Request, body: string, filename?: string): Response {
  const etag = etagOf(body)
  const headers = new Headers({ 'Cache-Control': 'public, max-age=300', ETag: etag, 'X-Content-Type-Options': 'nosniff' })
  if (matches(request.headers.get('If-None-Match'), etag)) return new Response(null, { status: 304, headers })
  headers.set('Content-Type', calendarType)
  if (filename) headers.set('Content-Disposition', disposition(filename))
  return new Response(body, { headers })
}

/** An attendee's own file: it holds their personal links, so no cache keeps it. */
export function privateCalendarResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': calendarType,
      'Cache-Control': 'private, no-store',
      'Content-Disposition': disposition(filename),
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

/** A plain-text refusal (the calendar apps and browsers that ask show it as is). */
export function calendarRefusal(message: string, status = 404): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}
