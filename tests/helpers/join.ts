// Fixtures of the join-link and feedback tests: registrations made straight in the database (with the random token
// of Registration.token, as registration does), events timed around now, and requests as a person's browser or a
// mail scanner would send them (redirects returned, not followed).
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { inject } from 'vitest'
import type { EventKind, EventStatus, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { prisma } from '~/utils/db.server.ts'
import { uniqueAddress } from './mailbox.ts'
import { createPublicEvent } from './public-events.ts'

export const minute = 60 * 1000

/** A desktop browser isbot() does not flag. */
export const browserAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
/** A link checker isbot() flags. */
export const scannerAgent = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

/** A published event starting `startsInMinutes` from now (negative: already started), lasting an hour. */
export async function eventAround(startsInMinutes: number, extra: { kind?: EventKind; status?: EventStatus; replayUrl?: string | null; title?: string } = {}) {
  const startsAt = new Date(Date.now() + startsInMinutes * minute)
  return createPublicEvent({ kind: extra.kind ?? 'ONLINE', status: extra.status, startsAt, endsAt: new Date(startsAt.getTime() + 60 * minute), replayUrl: extra.replayUrl ?? null, title: extra.title })
}

export async function registrationFor(eventId: number, options: { status?: RegistrationStatus; firstName?: string; lastName?: string } = {}) {
  return prisma.registration.create({
    data: {
      eventId,
      email: uniqueAddress('participant'),
      firstName: options.firstName ?? 'Camille',
      lastName: options.lastName ?? 'Essai',
      status: options.status ?? 'CONFIRMED',
      token: randomBytes(32).toString('base64url'),
    },
  })
}

/** The Fetch Metadata a browser sends when a person clicks a link (or opens it from a mail app). */
export const clickHeaders = { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-User': '?1', 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Site': 'none' }

/**
 * GET (or HEAD) /j/<token> as `agent` would, without following the redirect: by default a person's click (the
 * Fetch Metadata above); `metadata` replaces them (`{}`: none, as a mail scanner or an old browser sends). node:http
 * rather than fetch, which always sends its own `Sec-Fetch-Mode: cors`.
 */
export function openJoinLink(token: string, options: { agent?: string; method?: 'GET' | 'HEAD'; metadata?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': options.agent ?? browserAgent, ...(options.metadata ?? clickHeaders) }
  return new Promise((resolve, reject) => {
    const sent = httpRequest(`${inject('testContext').appUrl}/j/${token}`, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const received = new Headers()
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of ([] as string[]).concat(value ?? [])) received.append(name, one)
        }
        resolve(new Response(options.method === 'HEAD' ? null : Buffer.concat(chunks), { status: response.statusCode ?? 0, headers: received }))
      })
    })
    sent.on('error', reject)
    sent.end()
  })
}

export function attendanceOf(registrationId: number) {
  return prisma.registration.findUniqueOrThrow({ where: { id: registrationId }, select: { joinedAt: true, attendance: true, updatedAt: true } })
}
