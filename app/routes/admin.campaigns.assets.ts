// Image upload of the block editor (multipart, field "file"): answers JSON { id, url, fileName } or { error } with an
// i18n key. Only PNG, JPEG, GIF and WebP up to 5 MB (checked from the bytes in app/models/asset.server.ts).
import { type ActionFunctionArgs } from '@remix-run/node'
import { AssetError, MAX_ASSET_BYTES, saveAsset } from '~/models/asset.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export async function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

export async function action({ request }: ActionFunctionArgs) {
  // An oversized upload is refused from its declared length, before anything reads the body.
  const declaredLength = Number(request.headers.get('Content-Length') ?? '0')
  if (declaredLength > MAX_ASSET_BYTES + 64 * 1024) return Response.json({ error: 'campaigns.assets.tooLarge' }, { status: 413 })
  const staff = await requireStaff(request)
  const formData = await request.formData()
  const file = formData.get('file')
  if (!(file instanceof File) || file.size === 0) return Response.json({ error: 'campaigns.assets.missing' }, { status: 400 })
  try {
    const asset = await saveAsset({ fileName: file.name, data: new Uint8Array(await file.arrayBuffer()) }, staff)
    return Response.json(asset, { status: 201 })
  } catch (error) {
    if (!(error instanceof AssetError)) throw error
    return Response.json({ error: error.messageKey }, { status: error.messageKey === 'campaigns.assets.tooLarge' ? 413 : 400 })
  }
}
