// Owns choosing an image for a block: upload to /admin/campaigns/assets (checked there: PNG, JPEG, GIF or WebP,
// 5 MB at most), a thumbnail of the chosen one, and removing it.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CSRF_FIELD, useCsrfToken } from '~/components/csrf-input.tsx'

export function ImagePicker({ id, label, assetId, fileName, onChange }: { id: string; label: string; assetId: number | null; fileName?: string; onChange: (asset: { id: number; fileName: string } | null) => void }) {
  const { t } = useTranslation()
  const csrf = useCsrfToken()
  const [state, setState] = useState<{ uploading: boolean; error: string | null }>({ uploading: false, error: null })
  const errorId = `${id}-error`

  const upload = async (file: File) => {
    setState({ uploading: true, error: null })
    const body = new FormData()
    body.set(CSRF_FIELD, csrf)
    body.set('file', file)
    try {
      const response = await fetch('/admin/campaigns/assets', { method: 'POST', body, headers: { Accept: 'application/json' } })
      const result = (await response.json().catch(() => ({ error: 'campaigns.assets.failed' }))) as { id?: number; fileName?: string; error?: string }
      if (!response.ok || !result.id) {
        setState({ uploading: false, error: result.error ?? 'campaigns.assets.failed' })
        return
      }
      setState({ uploading: false, error: null })
      onChange({ id: result.id, fileName: result.fileName ?? file.name })
    } catch {
      setState({ uploading: false, error: 'campaigns.assets.failed' })
    }
  }

  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {t('campaigns.assets.hint')}
      </p>
      {assetId ? (
        <p>
          <img className="campaign-thumb" src={`/assets/${assetId}`} alt="" />
          <span>{fileName ? t('campaigns.assets.chosen', { name: fileName }) : null} </span>
          <button type="button" className="secondary" onClick={() => onChange(null)}>
            {t('campaigns.assets.remove')}
          </button>
        </p>
      ) : null}
      <input
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        aria-describedby={[`${id}-hint`, state.error ? errorId : ''].filter(Boolean).join(' ')}
        aria-invalid={state.error ? true : undefined}
        disabled={state.uploading}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0]
          if (file) void upload(file)
          event.currentTarget.value = ''
        }}
      />
      {state.uploading ? <p role="status">{t('campaigns.assets.uploading')}</p> : null}
      {state.error ? (
        <p id={errorId} className="field-error" role="alert">
          {t(state.error)}
        </p>
      ) : null}
    </div>
  )
}
