// Owns the fields of each block type in the editor. Values go up through `update`; errors (French sentences from
// the block rules) come down per field and are tied to their input with aria-describedby.
import { useTranslation } from 'react-i18next'
import type { CampaignBlock } from '#emails/campaign/blocks.ts'
import { ImagePicker } from './image-picker.tsx'
import { RichTextField } from './rich-text.tsx'

export type EditorEvent = { id: number; label: string }
export type FieldErrors = Record<string, string[]>

type Props<B extends CampaignBlock> = {
  block: B
  errors: FieldErrors
  update: (patch: Partial<B>) => void
  events: EditorEvent[]
  assetNames: Record<number, string>
  rememberAsset: (asset: { id: number; fileName: string }) => void
}

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null
  return (
    <p id={id} className="field-error">
      {errors.join(' ')}
    </p>
  )
}

function TextInput({ blockId, name, label, value, errors, onChange, type = 'text', hint }: { blockId: string; name: string; label: string; value: string; errors: FieldErrors; onChange: (value: string) => void; type?: 'text' | 'url'; hint?: string }) {
  const id = `block-${blockId}-${name}`
  const fieldErrors = errors[name]
  const described = [hint ? `${id}-hint` : '', fieldErrors?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <input id={id} type={type} value={value} aria-invalid={fieldErrors?.length ? true : undefined} aria-describedby={described} onChange={(event) => onChange(event.currentTarget.value)} />
      <Errors id={`${id}-error`} errors={fieldErrors} />
    </div>
  )
}

export function BlockFields(props: Props<CampaignBlock>) {
  const { t } = useTranslation()
  const { block, errors, update, events, assetNames, rememberAsset } = props
  const field = (name: string, label: string, value: string, type: 'text' | 'url' = 'text', hint?: string) => (
    <TextInput blockId={block.id} name={name} label={label} value={value} errors={errors} type={type} hint={hint} onChange={(next) => update({ [name]: next } as Partial<CampaignBlock>)} />
  )
  const urlHint = t('campaigns.editor.fields.urlHint')
  const image = (assetField: 'assetId', altField: 'alt' | 'imageAlt', assetId: number | null, alt: string, label: string) => (
    <>
      <ImagePicker
        id={`block-${block.id}-${assetField}`}
        label={label}
        assetId={assetId}
        fileName={assetId ? assetNames[assetId] : undefined}
        onChange={(asset) => {
          if (asset) rememberAsset(asset)
          update({ assetId: asset?.id ?? null } as Partial<CampaignBlock>)
        }}
      />
      {field(altField, t('campaigns.editor.fields.alt'), alt, 'text', t('campaigns.editor.fields.altHint'))}
    </>
  )
  switch (block.type) {
    case 'heading':
      return (
        <>
          {field('text', t('campaigns.editor.fields.headingText'), block.text)}
          <div>
            <label htmlFor={`block-${block.id}-level`}>{t('campaigns.editor.fields.level')}</label>
            <select id={`block-${block.id}-level`} value={block.level} onChange={(event) => update({ level: Number(event.currentTarget.value) as 1 | 2 | 3 })}>
              <option value={1}>{t('campaigns.editor.fields.level1')}</option>
              <option value={2}>{t('campaigns.editor.fields.level2')}</option>
              <option value={3}>{t('campaigns.editor.fields.level3')}</option>
            </select>
          </div>
        </>
      )
    case 'text':
      return (
        <>
          <RichTextField
            id={`block-${block.id}-html`}
            label={t('campaigns.editor.fields.richText')}
            html={block.html}
            invalid={Boolean(errors.html?.length)}
            describedBy={errors.html?.length ? `block-${block.id}-html-error` : undefined}
            onChange={(html) => update({ html })}
          />
          <Errors id={`block-${block.id}-html-error`} errors={errors.html} />
        </>
      )
    case 'image':
      return (
        <>
          {image('assetId', 'alt', block.assetId, block.alt, t('campaigns.editor.fields.image'))}
          {field('url', t('campaigns.editor.fields.imageUrl'), block.url, 'url', urlHint)}
        </>
      )
    case 'article':
      return (
        <>
          {image('assetId', 'imageAlt', block.assetId, block.imageAlt, t('campaigns.editor.fields.articleImage'))}
          {field('title', t('campaigns.editor.fields.articleTitle'), block.title)}
          <div>
            <label htmlFor={`block-${block.id}-summary`}>{t('campaigns.editor.fields.summary')}</label>
            <textarea
              id={`block-${block.id}-summary`}
              rows={3}
              value={block.summary}
              aria-invalid={errors.summary?.length ? true : undefined}
              aria-describedby={errors.summary?.length ? `block-${block.id}-summary-error` : undefined}
              onChange={(event) => update({ summary: event.currentTarget.value })}
            />
            <Errors id={`block-${block.id}-summary-error`} errors={errors.summary} />
          </div>
          {field('url', t('campaigns.editor.fields.articleUrl'), block.url, 'url', urlHint)}
          {field('linkLabel', t('campaigns.editor.fields.linkLabel'), block.linkLabel)}
        </>
      )
    case 'button':
      return (
        <>
          {field('label', t('campaigns.editor.fields.buttonLabel'), block.label)}
          {field('url', t('campaigns.editor.fields.buttonUrl'), block.url, 'url', urlHint)}
        </>
      )
    case 'divider':
      return <p className="hint">{t('campaigns.editor.fields.divider')}</p>
    case 'event':
      return (
        <>
          <div>
            <label htmlFor={`block-${block.id}-eventId`}>{t('campaigns.editor.fields.event')}</label>
            {events.length === 0 ? (
              <p className="hint" id={`block-${block.id}-eventId-hint`}>
                {t('campaigns.editor.fields.noEvents')}
              </p>
            ) : null}
            <select
              id={`block-${block.id}-eventId`}
              value={block.eventId ?? ''}
              aria-invalid={errors.eventId?.length ? true : undefined}
              aria-describedby={[events.length === 0 ? `block-${block.id}-eventId-hint` : '', errors.eventId?.length ? `block-${block.id}-eventId-error` : ''].filter(Boolean).join(' ') || undefined}
              onChange={(event) => update({ eventId: event.currentTarget.value ? Number(event.currentTarget.value) : null })}
            >
              <option value="">{t('campaigns.editor.fields.chooseEvent')}</option>
              {events.map((event) => (
                <option key={event.id} value={event.id}>
                  {event.label}
                </option>
              ))}
            </select>
            <Errors id={`block-${block.id}-eventId-error`} errors={errors.eventId} />
          </div>
          {field('buttonLabel', t('campaigns.editor.fields.eventButton'), block.buttonLabel, 'text', t('campaigns.editor.fields.eventButtonHint'))}
        </>
      )
  }
}
