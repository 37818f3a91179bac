// POST /api/webhooks/bounces: a relay (Brevo, Mailjet, or anything that can send our generic JSON) reports
// asynchronous bounces and complaints. Off (404) unless BOUNCE_WEBHOOK_SECRET is set; the shared secret comes in
// `Authorization: Bearer <secret>`, `X-Relais-Webhook-Secret`, HTTP Basic auth (as password, for Mailjet's
// https://user:secret@… URLs) or `?secret=` (for relays that can only set a URL). No cookie, no CSRF token: the
// CSRF middleware lets /api/ through, the secret is the credential.
import { createHash, timingSafeEqual } from 'node:crypto'
import { type ActionFunctionArgs } from '@remix-run/node'
import { parseBounceWebhook, recordBounceEvents } from '~/models/bounce.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { logger } from '~/utils/logger.server.ts'

const maxBodyBytes = 1024 * 1024

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } })
}

function notFound(): Response {
  return new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

function offeredSecrets(request: Request): string[] {
  const offered: string[] = []
  const authorization = request.headers.get('Authorization') ?? ''
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)
  if (bearer) offered.push(bearer[1]!)
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization)
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    offered.push(decoded.slice(decoded.indexOf(':') + 1))
  }
  const header = request.headers.get('X-Relais-Webhook-Secret')
  if (header) offered.push(header)
  const query = new URL(request.url).searchParams.get('secret')
  if (query) offered.push(query)
  return offered
}

/** Compared as SHA-256 digests, so that neither the time taken nor a length check tells anything about the secret. */
function sameSecret(offered: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(offered), digest(expected))
}

/** The body as text, or null past the limit (checked on the declared length, then on what actually arrives). */
async function readLimited(request: Request): Promise<string | null> {
  if (Number(request.headers.get('Content-Length') ?? 0) > maxBodyBytes) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBodyBytes) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function loader() {
  return notFound()
}

export async function action({ request }: ActionFunctionArgs) {
  const secret = getEnv().BOUNCE_WEBHOOK_SECRET
  if (!secret) return notFound()
  const t = await i18next.getFixedT(request)
  if (request.method !== 'POST') {
    const response = json({ error: t('archive.webhook.methodNotAllowed') }, 405)
    response.headers.set('Allow', 'POST')
    return response
  }
  if (!offeredSecrets(request).some((offered) => sameSecret(offered, secret))) {
    logger.warn({ path: '/api/webhooks/bounces' }, 'bounce webhook refused: missing or wrong secret')
    return json({ error: t('archive.webhook.unauthorized') }, 401)
  }
  const text = await readLimited(request)
  if (text === null) {
    // The rest of the body is not read: the connection must not be reused for another request.
    const response = json({ error: t('archive.webhook.tooLarge') }, 413)
    response.headers.set('Connection', 'close')
    return response
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return json({ error: t('archive.webhook.malformed') }, 400)
  }
  const parsed = parseBounceWebhook(body)
  if (!parsed) return json({ error: t('archive.webhook.malformed') }, 400)
  const { accepted } = await recordBounceEvents(parsed.events)
  logger.info({ accepted, ignored: parsed.ignored }, 'bounce webhook handled')
  return json({ accepted, ignored: parsed.ignored }, 200)
}
