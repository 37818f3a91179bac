// Owns the block editor of a campaign: the list of blocks (add, move up/down, duplicate, delete), each block's
// fields, and the save state (the autosave itself is autosave.ts). A refused save shows the server's French
// sentences and keeps what was typed. A stored block that no longer parses is shown as an error block and kept
// as it was stored, never dropped: the server refuses the content until it is fixed or deleted.
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { editorBlocksToContent, type EditorBlock, type UnreadableBlock } from '~/models/campaign-schema.ts'
import { blockTypes, campaignContent, type BlockType, type CampaignBlock } from '#emails/campaign/blocks.ts'
import { useContentAutosave } from './autosave.ts'
import { BlockFields, type EditorEvent, type FieldErrors } from './block-fields.tsx'

function newBlockId(): string {
  return `b${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

function emptyBlock(type: BlockType): CampaignBlock {
  const id = newBlockId()
  switch (type) {
    case 'heading':
      return { id, type, text: '', level: 2 }
    case 'text':
      return { id, type, html: '' }
    case 'image':
      return { id, type, assetId: null, alt: '', url: '' }
    case 'article':
      return { id, type, assetId: null, imageAlt: '', title: '', summary: '', url: '', linkLabel: '' }
    case 'button':
      return { id, type, label: '', url: '' }
    case 'divider':
      return { id, type }
    case 'event':
      return { id, type, eventId: null, buttonLabel: '' }
  }
}

/** The block rules' complaints, by block index and field (shown under the field while typing). */
function errorsByBlock(blocks: EditorBlock[]): Map<number, FieldErrors> {
  const parsed = campaignContent.safeParse(editorBlocksToContent(blocks))
  const map = new Map<number, FieldErrors>()
  if (parsed.success) return map
  for (const issue of parsed.error.issues) {
    const [index, field] = issue.path
    if (typeof index !== 'number') continue
    const errors = map.get(index) ?? {}
    const key = typeof field === 'string' ? field : '_'
    errors[key] = [...new Set([...(errors[key] ?? []), issue.message])]
    map.set(index, errors)
  }
  return map
}

function UnreadableFields({ block }: { block: UnreadableBlock }) {
  const { t } = useTranslation()
  return (
    <div className="field-error">
      <p>{t('campaigns.editor.unreadable')}</p>
      <details>
        <summary>{t('campaigns.editor.unreadableRaw')}</summary>
        <pre>{JSON.stringify(block.raw, null, 2)}</pre>
      </details>
    </div>
  )
}

export function CampaignBlockEditor({ campaignId, initialBlocks, events, initialAssetNames, timeZone, footerNote }: { campaignId: number; initialBlocks: EditorBlock[]; events: EditorEvent[]; initialAssetNames: Record<number, string>; timeZone: string; footerNote: string }) {
  const { t, i18n } = useTranslation()
  const { blocks, change, pending, saving, reply } = useContentAutosave(campaignId, initialBlocks)
  const [assetNames, setAssetNames] = useState(initialAssetNames)
  const [announce, setAnnounce] = useState('')
  const errors = useMemo(() => errorsByBlock(blocks), [blocks])

  const update = (index: number, patch: Partial<CampaignBlock>) => change(blocks.map((block, at) => (at === index ? ({ ...block, ...patch } as EditorBlock) : block)))
  const move = (index: number, by: -1 | 1) => {
    const target = index + by
    if (target < 0 || target >= blocks.length) return
    const next = [...blocks]
    ;[next[index], next[target]] = [next[target]!, next[index]!]
    change(next)
    setAnnounce(t('campaigns.editor.moved', { position: target + 1 }))
    // Keeps the keyboard on the same button of the moved block.
    requestAnimationFrame(() => document.getElementById(`block-${next[target]!.id}-${by < 0 ? 'up' : 'down'}`)?.focus())
  }
  const duplicate = (index: number) => {
    const copy = { ...structuredClone(blocks[index]!), id: newBlockId() }
    change([...blocks.slice(0, index + 1), copy, ...blocks.slice(index + 1)])
    setAnnounce(t('campaigns.editor.duplicated', { position: index + 2 }))
  }
  const remove = (index: number) => {
    change(blocks.filter((_, at) => at !== index))
    setAnnounce(t('campaigns.editor.removed', { position: index + 1 }))
  }
  const add = (type: BlockType) => {
    const block = emptyBlock(type)
    change([...blocks, block])
    requestAnimationFrame(() => document.getElementById(`block-${block.id}`)?.focus())
  }

  const time = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso))
  const state = saving
    ? { text: t('campaigns.editor.saving'), refused: false }
    : pending
      ? { text: t('campaigns.editor.unsaved'), refused: false }
      : reply && !reply.ok
        ? { text: t('campaigns.editor.refused'), refused: true }
        : reply?.ok
          ? { text: t('campaigns.editor.savedAt', { time: time(reply.savedAt) }), refused: false }
          : { text: '', refused: false }
  // Screen readers hear the outcome of a save (stored, or refused), not every "saving…" while someone types.
  const outcome = saving || pending || !reply ? '' : state.text

  return (
    <div className="campaign-editor">
      <p className={`campaign-save-state${state.refused ? ' refused' : ''}`} data-save-state>
        {state.text}
      </p>
      <p className="sr-only" role="status" data-save-announce>
        {outcome}
      </p>
      {reply && !reply.ok && !saving ? (
        <div className="error-summary" role="alert">
          <ul>
            {reply.errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {announce}
      </p>
      {blocks.length === 0 ? <p>{t('campaigns.editor.empty')}</p> : null}
      <ol className="campaign-blocks">
        {blocks.map((block, index) => {
          const label = t(`campaigns.editor.types.${block.type}`)
          const heading = t('campaigns.editor.blockHeading', { position: index + 1, type: label })
          const blockErrors = errors.get(index) ?? {}
          return (
            <li key={block.id} id={`block-${block.id}`} className="campaign-block" tabIndex={-1} aria-labelledby={`block-${block.id}-heading`} data-block-type={block.type}>
              <div className="campaign-block-head">
                <h3 id={`block-${block.id}-heading`}>{heading}</h3>
                <div className="campaign-block-tools">
                  <button type="button" id={`block-${block.id}-up`} className="secondary" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('campaigns.editor.moveUp', { block: heading })}>
                    {t('campaigns.editor.up')}
                  </button>
                  <button type="button" id={`block-${block.id}-down`} className="secondary" disabled={index === blocks.length - 1} onClick={() => move(index, 1)} aria-label={t('campaigns.editor.moveDown', { block: heading })}>
                    {t('campaigns.editor.down')}
                  </button>
                  {block.type === 'unreadable' ? null : (
                    <button type="button" className="secondary" onClick={() => duplicate(index)} aria-label={t('campaigns.editor.duplicateBlock', { block: heading })}>
                      {t('campaigns.editor.duplicate')}
                    </button>
                  )}
                  <button type="button" className="danger" onClick={() => remove(index)} aria-label={t('campaigns.editor.removeBlock', { block: heading })}>
                    {t('campaigns.editor.remove')}
                  </button>
                </div>
              </div>
              <div className="campaign-block-fields">
                {block.type === 'unreadable' ? (
                  <UnreadableFields block={block} />
                ) : (
                  <BlockFields
                    block={block}
                    errors={blockErrors}
                    update={(patch) => update(index, patch)}
                    events={events}
                    assetNames={assetNames}
                    rememberAsset={(asset) => setAssetNames((names) => ({ ...names, [asset.id]: asset.fileName }))}
                  />
                )}
                {blockErrors._ ? <p className="field-error">{blockErrors._.join(' ')}</p> : null}
              </div>
            </li>
          )
        })}
      </ol>
      <div className="campaign-add" role="group" aria-labelledby="campaign-add-label">
        <p id="campaign-add-label">{t('campaigns.editor.add')}</p>
        {blockTypes.map((type) => (
          <button key={type} type="button" className="secondary" onClick={() => add(type)} data-add-block={type}>
            {t(`campaigns.editor.types.${type}`)}
          </button>
        ))}
      </div>
      <p className="campaign-footer-note">{footerNote}</p>
    </div>
  )
}
