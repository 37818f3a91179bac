// Owns the small rich-text field of the editor: a contenteditable area with a toolbar (bold, italic, link, lists).
// The browser's markup is sent as is; the server keeps only the allow-list (emails/campaign/sanitize.ts).
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

type Command = 'bold' | 'italic' | 'createLink' | 'unlink' | 'insertUnorderedList' | 'insertOrderedList'

export function RichTextField({ id, label, html, describedBy, invalid, onChange }: { id: string; label: string; html: string; describedBy?: string; invalid?: boolean; onChange: (html: string) => void }) {
  const { t } = useTranslation()
  const area = useRef<HTMLDivElement>(null)
  // Uncontrolled after the first render: re-rendering the HTML would move the caret while typing.
  const [initial] = useState(() => ({ __html: html }))
  const labelId = `${id}-label`

  const run = (command: Command) => {
    const element = area.current
    if (!element) return
    element.focus()
    let value: string | undefined
    if (command === 'createLink') {
      const typed = window.prompt(t('campaigns.editor.richText.linkPrompt'), 'https://')
      if (!typed || typed === 'https://') return
      value = typed.trim()
    }
    document.execCommand(command, false, value)
    onChange(element.innerHTML)
  }

  const tools: Array<[Command, string]> = [
    ['bold', 'campaigns.editor.richText.bold'],
    ['italic', 'campaigns.editor.richText.italic'],
    ['createLink', 'campaigns.editor.richText.link'],
    ['unlink', 'campaigns.editor.richText.unlink'],
    ['insertUnorderedList', 'campaigns.editor.richText.bullets'],
    ['insertOrderedList', 'campaigns.editor.richText.numbers'],
  ]
  return (
    <div>
      <p id={labelId}>
        <strong>{label}</strong>
      </p>
      <div className="rich-text-toolbar" role="toolbar" aria-label={t('campaigns.editor.richText.toolbar', { label })}>
        {tools.map(([command, key]) => (
          // Keeps the selection in the text: a mouse press on the button would otherwise take the focus first.
          <button key={command} type="button" className="secondary" onMouseDown={(event) => event.preventDefault()} onClick={() => run(command)}>
            {t(key)}
          </button>
        ))}
      </div>
      <div
        id={id}
        ref={area}
        className="rich-text"
        role="textbox"
        aria-multiline="true"
        aria-labelledby={labelId}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        tabIndex={0}
        contentEditable
        suppressContentEditableWarning
        dangerouslySetInnerHTML={initial}
        onFocus={() => document.execCommand('defaultParagraphSeparator', false, 'p')}
        onInput={(event) => onChange(event.currentTarget.innerHTML)}
      />
    </div>
  )
}
