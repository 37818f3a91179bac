// Owns the reading of a posted staff event form: the cover image uploaded with it is stored first (so that a form
// sent back with errors keeps it), then the fields are checked and read into an EventInput, description sanitised.
import { parseWithZod } from '@conform-to/zod'
import { AssetError, assetUrl, saveAsset } from './asset.server.ts'
import { eventFormSchema } from './event-form-schema.ts'
import { sanitizeEventDescription } from './event.server.ts'

export async function readEventForm(formData: FormData, staff: { id: number; email: string }) {
  const file = formData.get('coverImage')
  formData.delete('coverImage')
  let uploadError: string | null = null
  if (formData.get('removeCover') === 'on') formData.set('coverImageUrl', '')
  formData.delete('removeCover')
  if (file instanceof File && file.size > 0) {
    try {
      const asset = await saveAsset({ fileName: file.name, data: new Uint8Array(await file.arrayBuffer()) }, staff)
      formData.set('coverImageUrl', asset.url)
    } catch (error) {
      if (!(error instanceof AssetError)) throw error
      uploadError = error.messageKey
    }
  }
  const submission = parseWithZod(formData, { schema: eventFormSchema({ sanitize: sanitizeEventDescription }) })
  if (uploadError) return { submission, ok: false as const, reply: submission.reply({ fieldErrors: { coverImage: [uploadError] } }) }
  if (submission.status !== 'success') return { submission, ok: false as const, reply: submission.reply() }
  // Only an image uploaded here: a hand-edited field pointing elsewhere is refused.
  const cover = submission.value.coverImageUrl
  if (cover && !isOwnAsset(cover)) {
    return { submission, ok: false as const, reply: submission.reply({ fieldErrors: { coverImage: ['adminEvents.errors.coverInvalid'] } }) }
  }
  return { submission, ok: true as const, value: submission.value }
}

/** An image of this instance: the address assetUrl() gives, or its path alone. */
function isOwnAsset(url: string): boolean {
  const id = /\/assets\/(\d+)$/.exec(url)?.[1]
  return id !== undefined && (url === assetUrl(Number(id)) || url === `/assets/${id}`)
}
