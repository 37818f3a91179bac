// Owns the resources offered with an event (slides, minutes, links): their stored shape, read back safely. Pure, so
// the staff form and the public page share it.

/** A document or link offered with an event, shown on its public page. */
export interface EventResource {
  label: string
  /** https only (checked by the staff form, and again when read). */
  url: string
}

/** The resources stored on an event (Event.resources): https links with a label; anything else is left out. */
export function readResources(stored: unknown): EventResource[] {
  if (!Array.isArray(stored)) return []
  return stored.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return []
    const { label, url } = item as Record<string, unknown>
    if (typeof label !== 'string' || !label || typeof url !== 'string' || !/^https:\/\/[^/\s]/i.test(url)) return []
    return [{ label, url }]
  })
}
