// Owns how we serve HTML that we did not write line by line — a caught message (outbox), a campaign's preview, an
// archived newsletter — so that whatever it holds can never run script with our origin: a CSP with `sandbox` (an
// opaque origin, no scripts, no forms, no plugins), nothing loaded but images, inline styles and fonts, framed by our
// own pages only, never sniffed as another type, no referrer sent by its links.
import { getEnv } from './env.server.ts'

export interface SandboxedHtmlOptions {
  /** Tokens after `sandbox` (the archive lets a link open in a new tab, or in the window by the reader's gesture). */
  allow?: string[]
  /** Images from APP_URL too (uploads served at /assets/:id); otherwise https: and data: only. */
  appImages?: boolean
  /** `private, no-store` unless said otherwise (the archive is public). */
  cacheControl?: string
  /** `text/html; charset=utf-8` unless said otherwise (a preview's plain-text version keeps the same protections). */
  contentType?: string
}

/** The Content-Security-Policy of sandboxed HTML. */
export function sandboxedHtmlPolicy(options: Pick<SandboxedHtmlOptions, 'allow' | 'appImages'> = {}): string {
  const images = options.appImages ? `${new URL(getEnv().APP_URL).origin} https: data:` : 'https: data:'
  return [
    "default-src 'none'",
    `img-src ${images}`,
    "style-src 'unsafe-inline'",
    'font-src https: data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    ['sandbox', ...(options.allow ?? [])].join(' '),
  ].join('; ')
}

/** Every header of a sandboxed HTML answer (a caller may replace the type and policy for a download). */
export function sandboxedHtmlHeaders(options: SandboxedHtmlOptions = {}): Headers {
  return new Headers({
    'Content-Type': options.contentType ?? 'text/html; charset=utf-8',
    'Content-Security-Policy': sandboxedHtmlPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': options.cacheControl ?? 'private, no-store',
  })
}

/** HTML served under the sandbox. */
export function sandboxedHtmlResponse(html: string | Uint8Array, options: SandboxedHtmlOptions = {}, status = 200): Response {
  // A copy typed on a plain ArrayBuffer, which is what the Fetch API accepts.
  return new Response(typeof html === 'string' ? html : new Uint8Array(html), { status, headers: sandboxedHtmlHeaders(options) })
}
