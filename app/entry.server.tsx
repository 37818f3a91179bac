// Server rendering: streams HTML with the request's locale loaded into i18next.
import { Transform, type TransformCallback } from 'node:stream'
import { createReadableStreamFromReadable, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance } from 'i18next'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nConfig } from './i18n.ts'
import { getLocale } from './utils/i18n.server.ts'
import { logger } from './utils/logger.server.ts'

export const streamTimeout = 5_000

/** React 18's server renderer encodes into 2,048-byte views (VIEW_SIZE in react-dom/server). */
const reactViewSize = 2048

/**
 * React 18.3's renderToPipeableStream has a known bug (react#24985, fixed in React 19 by react#26228): when a
 * multi-byte UTF-8 character does not fit at the end of a 2,048-byte view, it flushes the whole view, so the 1 to 3
 * bytes it left unwritten go out as NUL bytes ("L\0’expéditeur"). Only such a full view can carry them, and only at its
 * end: those trailing NULs are cut. HTML never legitimately contains NUL, so nothing real is lost.
 */
export class StripReactViewPadding extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let end = chunk.length
    if (end === reactViewSize) {
      while (end > reactViewSize - 3 && chunk[end - 1] === 0) end -= 1
    }
    callback(null, end === chunk.length ? chunk : chunk.subarray(0, end))
  }
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const instance = createInstance()
  const lng = await getLocale(request)
  await instance.use(initReactI18next).init({ ...i18nConfig, lng })
  const callbackName = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={instance}>
        <RemixServer context={remixContext} url={request.url} />
      </I18nextProvider>,
      {
        [callbackName]: () => {
          shellRendered = true
          const body = new StripReactViewPadding()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) logger.error({ err: error }, 'render error')
        },
      },
    )
    setTimeout(abort, streamTimeout + 1000)
  })
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return
  logger.error({ err: error, path: new URL(request.url).pathname }, 'unhandled request error')
}
