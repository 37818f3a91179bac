// Owns the "write to the registrants" block: compose (all or the current selection), a confirmation step that shows
// how many people the message will reach before anything is sent, and the history of messages sent.
import { Form, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FieldError } from '~/components/form-errors.tsx'

export type AnnouncementDraftValues = { subject: string; body: string; scope: 'all' | 'filter' }
export type AnnouncementHistoryRow = { id: number; subject: string; recipientCount: number; sentAt: string }

function ComposeForm({ draft, errors, filterDescription }: { draft: AnnouncementDraftValues; errors: Record<string, string>; filterDescription: string | null }) {
  const { t } = useTranslation()
  const field = (name: 'subject' | 'body') => {
    const id = `announce-${name}`
    const error = errors[name]
    const hintId = name === 'body' ? `${id}-hint` : undefined
    const describedBy = [hintId, error ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined
    return (
      <div>
        <label htmlFor={id}>{t(`adminRegistrations.announce.${name}`)}</label>
        {hintId ? (
          <p id={hintId} className="hint">
            {t('adminRegistrations.announce.bodyHint')}
          </p>
        ) : null}
        {name === 'subject' ? (
          <input id={id} name={name} type="text" maxLength={200} defaultValue={draft.subject} required aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
        ) : (
          <textarea id={id} name={name} rows={8} defaultValue={draft.body} required aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
        )}
        <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
      </div>
    )
  }
  return (
    <Form method="post" className="stack" noValidate>
      <CsrfInput />
      <fieldset>
        <legend>{t('adminRegistrations.announce.scope')}</legend>
        <div>
          <input id="announce-scope-all" type="radio" name="scope" value="all" defaultChecked={draft.scope === 'all' || !filterDescription} />{' '}
          <label htmlFor="announce-scope-all">{t('adminRegistrations.announce.scopeAll')}</label>
        </div>
        {filterDescription ? (
          <div>
            <input id="announce-scope-filter" type="radio" name="scope" value="filter" defaultChecked={draft.scope === 'filter'} />{' '}
            <label htmlFor="announce-scope-filter">{t('adminRegistrations.announce.scopeFilter', { description: filterDescription })}</label>
          </div>
        ) : null}
      </fieldset>
      {field('subject')}
      {field('body')}
      <p>
        <button type="submit" name="intent" value="announce-preview">
          {t('adminRegistrations.announce.preview')}
        </button>
      </p>
    </Form>
  )
}

function ConfirmStep({ draft, count, requestKey }: { draft: AnnouncementDraftValues; count: number; requestKey?: string }) {
  const { t } = useTranslation()
  const navigation = useNavigation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const hidden = (
    <>
      <CsrfInput />
      <input type="hidden" name="subject" value={draft.subject} />
      <input type="hidden" name="body" value={draft.body} />
      <input type="hidden" name="scope" value={draft.scope} />
    </>
  )
  return (
    <div className="registration-announce-confirm">
      <h3 ref={heading} tabIndex={-1}>
        {t('adminRegistrations.announce.confirmTitle')}
      </h3>
      <p role="status">{t('adminRegistrations.announce.confirmIntro', { count })}</p>
      <dl>
        <dt>{t('adminRegistrations.announce.subject')}</dt>
        <dd>{draft.subject}</dd>
        <dt>{t('adminRegistrations.announce.body')}</dt>
        <dd className="registration-announce-body">{draft.body}</dd>
      </dl>
      <div className="row-actions">
        <Form method="post">
          {hidden}
          {/* One-time key: the same confirmation posted twice sends once. The count confirmed, to say if it changed. */}
          {requestKey ? <input type="hidden" name="requestKey" value={requestKey} /> : null}
          <input type="hidden" name="confirmed" value={count} />
          <button type="submit" name="intent" value="announce-send" disabled={navigation.state === 'submitting'} data-recipients={count}>
            {t('adminRegistrations.announce.send', { count })}
          </button>
        </Form>
        <Form method="post">
          {hidden}
          <button type="submit" name="intent" value="announce-edit" className="secondary">
            {t('adminRegistrations.announce.edit')}
          </button>
        </Form>
      </div>
    </div>
  )
}

export function RegistrationAnnounce({
  draft,
  errors = {},
  confirmCount,
  requestKey,
  filterDescription,
  history,
}: {
  draft?: AnnouncementDraftValues
  errors?: Record<string, string>
  /** Set in the confirmation step. */
  confirmCount?: number
  /** The confirmation step's one-time key. */
  requestKey?: string
  /** The current selection in words, or null when the table shows everything. */
  filterDescription: string | null
  history: AnnouncementHistoryRow[]
}) {
  const { t } = useTranslation()
  const values = draft ?? { subject: '', body: '', scope: 'all' as const }
  return (
    <section aria-labelledby="announce-title">
      <h2 id="announce-title">{t('adminRegistrations.announce.title')}</h2>
      <p className="hint">{t('adminRegistrations.announce.intro')}</p>
      {confirmCount !== undefined ? <ConfirmStep draft={values} count={confirmCount} requestKey={requestKey} /> : <ComposeForm draft={values} errors={errors} filterDescription={filterDescription} />}
      <h3>{t('adminRegistrations.announce.history')}</h3>
      {history.length === 0 ? (
        <p>{t('adminRegistrations.announce.historyEmpty')}</p>
      ) : (
        <table className="registration-announce-history">
          <thead>
            <tr>
              <th scope="col">{t('adminRegistrations.announce.sentAt')}</th>
              <th scope="col">{t('adminRegistrations.announce.historySubject')}</th>
              <th scope="col">{t('adminRegistrations.announce.recipients')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((row) => (
              <tr key={row.id} data-announcement-id={row.id}>
                <td>{row.sentAt}</td>
                <td>{row.subject}</td>
                <td>{row.recipientCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
