// The open pixel of a consenting contact's newsletter (`/o/<measurement token>`): records the first open and
// answers the same transparent image whatever the token, so that the answer tells nothing about it.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { recordOpen } from '~/models/measurement.server.ts'

/** The smallest transparent GIF (1×1, 43 bytes). */
const pixel = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

export async function loader({ params }: LoaderFunctionArgs) {
  await recordOpen(params.token ?? '')
  return new Response(new Uint8Array(pixel), {
    headers: {
      'Content-Type': 'image/gif',
      'Content-Length': String(pixel.length),
      'Cache-Control': 'no-store, private',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
