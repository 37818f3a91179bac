// Owns how the block editor's content reaches the server: about a second after the last change, one save at a
// time (each waits for the one before, so an older save never lands after a newer one), answered in JSON by
// /admin/campaigns/:id/content. Leaving for another page of the app sends a pending change with a plain fetch
// after any save still on its way (the request outlives the editor). Closing the tab sends it with keepalive,
// which browsers allow only up to 64 KiB and only when no save is on its way; otherwise the browser asks
// before leaving, while something is not yet stored.
import { useEffect, useRef, useState } from 'react'
import { useRevalidator } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CSRF_FIELD, useCsrfToken } from '~/components/csrf-input.tsx'
import { editorBlocksToContent, type EditorBlock } from '~/models/campaign-schema.ts'

export type ContentSaveReply = { ok: true; savedAt: string } | { ok: false; errors: string[] }

const AUTOSAVE_DELAY_MS = 1000
/** Chromium and Firefox refuse a keepalive request whose body (with those still on their way) passes 64 KiB. */
const KEEPALIVE_MAX_BYTES = 64 * 1024 - 512

export function useContentAutosave(campaignId: number, initialBlocks: EditorBlock[]) {
  const { t } = useTranslation()
  const csrf = useCsrfToken()
  const revalidator = useRevalidator()
  const [blocks, setBlocks] = useState(initialBlocks)
  const [pending, setPending] = useState(false)
  const [saving, setSaving] = useState(false)
  const [reply, setReply] = useState<ContentSaveReply | null>(null)
  const latest = useRef(blocks)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const chain = useRef<Promise<void>>(Promise.resolve())
  const unfinished = useRef(0)
  const mounted = useRef(false)
  // The callbacks below outlive renders (timer, unmount): they read what changes through this ref.
  const live = useRef({ t, csrf, revalidate: revalidator.revalidate })
  live.current = { t, csrf, revalidate: revalidator.revalidate }

  const url = `/admin/campaigns/${campaignId}/content`
  const bodyOf = () => new URLSearchParams({ content: JSON.stringify(editorBlocksToContent(latest.current)), [CSRF_FIELD]: live.current.csrf })

  /** Queues a save of the content as it is now; `quiet` when nobody is left to show the answer to. */
  const enqueue = (quiet: boolean) => {
    const body = bodyOf()
    unfinished.current += 1
    if (!quiet) setSaving(true)
    chain.current = chain.current.then(async () => {
      let answer: ContentSaveReply
      try {
        const response = await fetch(url, { method: 'POST', body, headers: { Accept: 'application/json' } })
        answer = (await response.json()) as ContentSaveReply
      } catch {
        answer = { ok: false, errors: [live.current.t('campaigns.editor.saveFailed')] }
      }
      unfinished.current -= 1
      if (!mounted.current) return
      setReply(answer)
      setSaving(unfinished.current > 0)
      // The preview and the readiness list are read from the saved content.
      if (answer.ok && unfinished.current === 0) live.current.revalidate()
    })
  }

  const change = (next: EditorBlock[]) => {
    latest.current = next
    setBlocks(next)
    setPending(true)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      timer.current = null
      setPending(false)
      enqueue(false)
    }, AUTOSAVE_DELAY_MS)
  }

  useEffect(() => {
    mounted.current = true
    const tooBigForKeepalive = () => new Blob([bodyOf().toString()]).size > KEEPALIVE_MAX_BYTES
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      const unsent = timer.current !== null
      if (unfinished.current > 0 || (unsent && tooBigForKeepalive())) {
        event.preventDefault()
        event.returnValue = ''
      }
    }
    const onPageHide = () => {
      if (!timer.current || unfinished.current > 0) return
      clearTimeout(timer.current)
      timer.current = null
      const body = bodyOf()
      if (new Blob([body.toString()]).size > KEEPALIVE_MAX_BYTES) return
      fetch(url, { method: 'POST', body, keepalive: true }).catch(() => undefined)
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    window.addEventListener('pagehide', onPageHide)
    return () => {
      mounted.current = false
      window.removeEventListener('beforeunload', onBeforeUnload)
      window.removeEventListener('pagehide', onPageHide)
      // Another page of the app: the document stays, so a plain request (any size) still reaches the server.
      if (timer.current) {
        clearTimeout(timer.current)
        timer.current = null
        enqueue(true)
      }
    }
    // bodyOf and enqueue read refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url])

  return { blocks, change, pending, saving, reply }
}
