// Owns the images staff upload for newsletters: only PNG, JPEG, GIF and WebP, recognised by their first bytes (the
// browser's declared type is not trusted), at most 5 MB, stored in the Asset table and served by /assets/:id.
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { getEnv } from '~/utils/env.server.ts'
import { prisma } from '~/utils/db.server.ts'

export const MAX_ASSET_BYTES = 5 * 1024 * 1024

export const assetMimeTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type AssetMimeType = (typeof assetMimeTypes)[number]

/** A refusal shown to staff: an i18n key (campaigns.assets.*). */
export class AssetError extends Error {
  constructor(readonly messageKey: string) {
    super(messageKey)
    this.name = 'AssetError'
  }
}

const startsWith = (data: Uint8Array, bytes: number[], offset = 0) => bytes.every((byte, index) => data[offset + index] === byte)

/** The image type the bytes really are, or null when they are none of the accepted ones. */
export function sniffImageType(data: Uint8Array): AssetMimeType | null {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(data, [0x47, 0x49, 0x46, 0x38])) return 'image/gif'
  if (startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  return null
}

/** Stores an uploaded image (audited); refuses another type, an empty file or one over the limit. */
export async function saveAsset(input: { fileName: string; data: Uint8Array }, staff: { id: number; email: string }): Promise<{ id: number; url: string; fileName: string }> {
  if (input.data.byteLength === 0) throw new AssetError('campaigns.assets.empty')
  if (input.data.byteLength > MAX_ASSET_BYTES) throw new AssetError('campaigns.assets.tooLarge')
  const mimeType = sniffImageType(input.data)
  if (!mimeType) throw new AssetError('campaigns.assets.badType')
  const fileName = input.fileName.replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'image'
  const asset = await prisma.$transaction(async (tx) => {
    const created = await tx.asset.create({ data: { fileName, mimeType, size: input.data.byteLength, data: new Uint8Array(input.data) }, select: { id: true } })
    await recordAudit({ ...staffActor(staff), action: 'asset.upload', entityType: 'Asset', entityId: created.id, data: { fileName, mimeType, size: input.data.byteLength } }, tx)
    return created
  })
  return { id: asset.id, url: assetUrl(asset.id), fileName }
}

export function getAsset(id: number) {
  return prisma.asset.findUnique({ where: { id }, select: { id: true, mimeType: true, size: true, data: true, fileName: true } })
}

/** The public address of an image (what newsletters and the archive point to). */
export function assetUrl(id: number, appUrl = getEnv().APP_URL): string {
  return `${appUrl}/assets/${id}`
}

/** File names of images, for the editor to show next to a chosen image. */
export async function assetNames(ids: number[]): Promise<Record<number, string>> {
  if (ids.length === 0) return {}
  const rows = await prisma.asset.findMany({ where: { id: { in: ids } }, select: { id: true, fileName: true } })
  return Object.fromEntries(rows.map((row) => [row.id, row.fileName]))
}
