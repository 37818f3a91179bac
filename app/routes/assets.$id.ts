// Public images of newsletters (uploaded by staff): read by mail clients and the archive, so no session. Served with
// the type recorded at upload (checked from the bytes then), a long cache (an asset never changes) and nosniff.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getAsset } from '~/models/asset.server.ts'

const idSchema = z.coerce.number().int().positive().max(2_147_483_647)

export async function loader({ params }: LoaderFunctionArgs) {
  const id = idSchema.safeParse(params.id)
  const asset = id.success ? await getAsset(id.data) : null
  if (!asset) throw new Response('Image introuvable', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return new Response(new Uint8Array(asset.data), {
    headers: {
      'Content-Type': asset.mimeType,
      'Content-Length': String(asset.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    },
  })
}
