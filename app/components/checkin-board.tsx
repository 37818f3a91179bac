// Owns the phone check-in board: a large search box filtering confirmed people by name as one types (the same filter
// runs on the server for `?q=` without JavaScript), one big "mark present" / "undo" button per person, the counts
// "present / confirmed" refreshed from the JSON route every few seconds and at once after each tap, and the QR
// scanner. Every button is a plain CSRF form, so the page works without JavaScript too.
import { useFetcher } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CheckinScanner } from '~/components/checkin-scanner.tsx'
import { CSRF_FIELD, CsrfInput, useCsrfToken } from '~/components/csrf-input.tsx'

export type CheckinPersonView = { id: number; name: string; organization: string | null; checkedInTime: string | null }
export type CheckinCountsView = { present: number; confirmed: number }
export type CheckinOutcome = {
  kind: 'checked-in' | 'already' | 'undone' | 'not-confirmed' | 'other-event' | 'event-cancelled' | 'unknown'
  registrationId?: number
  name?: string
  time?: string
  status?: string
  eventTitle?: string
}
export type CheckinActionData = { outcome: CheckinOutcome; counts: CheckinCountsView; checkedInTime?: string | null }
export type CheckinLiveData = CheckinCountsView & { checkedIn: Record<string, string> }

/** People shown at once: enough for a search result, few enough to tap through on a phone. */
export const checkinDisplayLimit = 50
const pollMs = 4000

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** Every typed word is found in the name or organisation (accents and case ignored). */
export function matchesCheckinQuery(person: Pick<CheckinPersonView, 'name' | 'organization'>, query: string): boolean {
  const haystack = fold(`${person.name} ${person.organization ?? ''}`)
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

export function checkinMessage(outcome: CheckinOutcome, t: (key: string, values?: Record<string, unknown>) => string): string {
  switch (outcome.kind) {
    case 'checked-in':
      return t('adminRegistrations.checkin.markedPresent', { name: outcome.name })
    case 'already':
      return t('adminRegistrations.checkin.alreadyPresent', { name: outcome.name, time: outcome.time })
    case 'undone':
      return t('adminRegistrations.checkin.undone', { name: outcome.name })
    case 'not-confirmed':
      return t('adminRegistrations.checkin.notConfirmed', { name: outcome.name, status: outcome.status })
    case 'other-event':
      return t('adminRegistrations.checkin.otherEvent', { title: outcome.eventTitle })
    case 'event-cancelled':
      return t('adminRegistrations.checkin.eventCancelled', { name: outcome.name })
    case 'unknown':
      return t('adminRegistrations.checkin.unknownCode')
  }
}

function PersonRow({ person, onResult }: { person: CheckinPersonView; onResult: (data: CheckinActionData) => void }) {
  const { t } = useTranslation()
  const fetcher = useFetcher<CheckinActionData>()
  const onResultRef = useRef(onResult)
  onResultRef.current = onResult
  useEffect(() => {
    if (fetcher.data) onResultRef.current(fetcher.data)
  }, [fetcher.data])
  const present = person.checkedInTime !== null
  return (
    <li className={present ? 'checkin-person is-present' : 'checkin-person'} data-registration-id={person.id}>
      <div>
        <strong>{person.name}</strong>
        {person.organization ? <span className="hint">{person.organization}</span> : null}
        {present ? <span className="checkin-present">{t('adminRegistrations.checkin.presentSince', { time: person.checkedInTime })}</span> : null}
      </div>
      <fetcher.Form method="post">
        <CsrfInput />
        <input type="hidden" name="registrationId" value={person.id} />
        <button type="submit" name="intent" value={present ? 'undo' : 'checkin'} className={present ? 'checkin-big secondary' : 'checkin-big'} disabled={fetcher.state !== 'idle'}>
          {t(present ? 'adminRegistrations.checkin.undo' : 'adminRegistrations.checkin.markPresent')}
          <span className="sr-only"> — {person.name}</span>
        </button>
      </fetcher.Form>
    </li>
  )
}

export function CheckinBoard({
  eventId,
  people,
  initialQuery,
  initialCounts,
  lastResult,
  capped = false,
}: {
  eventId: number
  people: CheckinPersonView[]
  initialQuery: string
  initialCounts: CheckinCountsView
  /** What the last form post did (without JavaScript, the page comes back with it). */
  lastResult?: CheckinActionData
  /** The page carries only the first people (checkinListCap): the search button then asks the server. */
  capped?: boolean
}) {
  const { t } = useTranslation()
  const [query, setQuery] = useState(initialQuery)
  const [counts, setCounts] = useState(initialCounts)
  const [checkedIn, setCheckedIn] = useState<Record<string, string>>(() => Object.fromEntries(people.flatMap((person) => (person.checkedInTime ? [[String(person.id), person.checkedInTime]] : []))))
  const [message, setMessage] = useState<CheckinOutcome | null>(lastResult?.outcome ?? null)
  // A poll answer older than the last tap would undo what the tap just showed.
  const lastLocalChange = useRef(0)
  const scan = useFetcher<CheckinActionData>()
  const csrf = useCsrfToken()

  const apply = useCallback((data: CheckinActionData) => {
    lastLocalChange.current = Date.now()
    setCounts(data.counts)
    setMessage(data.outcome)
    const id = data.outcome.registrationId
    if (id !== undefined && data.checkedInTime !== undefined) {
      setCheckedIn((current) => {
        const next = { ...current }
        if (data.checkedInTime) next[String(id)] = data.checkedInTime
        else delete next[String(id)]
        return next
      })
    }
  }, [])

  useEffect(() => {
    if (scan.data) apply(scan.data)
  }, [scan.data, apply])

  useEffect(() => {
    let stopped = false
    const poll = async () => {
      const startedAt = Date.now()
      try {
        const response = await fetch(`/admin/events/${eventId}/checkin.json`, { headers: { Accept: 'application/json' }, redirect: 'manual' })
        if (!response.ok || stopped) return
        const live = (await response.json()) as CheckinLiveData
        if (stopped || startedAt < lastLocalChange.current) return
        setCounts({ present: live.present, confirmed: live.confirmed })
        setCheckedIn(live.checkedIn)
      } catch {
        // Offline for a moment: the next poll catches up.
      }
    }
    const timer = window.setInterval(() => void poll(), pollMs)
    return () => {
      stopped = true
      window.clearInterval(timer)
    }
  }, [eventId])

  const matches = useMemo(() => people.filter((person) => matchesCheckinQuery(person, query)), [people, query])
  const shown = matches.slice(0, checkinDisplayLimit)
  const onCode = useCallback((code: string) => scan.submit({ intent: 'scan', code, [CSRF_FIELD]: csrf }, { method: 'post' }), [scan, csrf])

  return (
    <div className="checkin-board">
      <div className="checkin-status">
        <p className="checkin-counts" data-testid="checkin-counts">
          {t('adminRegistrations.checkin.counts', { present: counts.present, confirmed: counts.confirmed })}
        </p>
        <div className="checkin-message" role="status" aria-live="polite">
          {message ? <p className={message.kind === 'unknown' || message.kind === 'other-event' || message.kind === 'not-confirmed' || message.kind === 'event-cancelled' ? 'error-summary' : 'notice'}>{checkinMessage(message, t)}</p> : null}
        </div>
      </div>
      <form
        method="get"
        role="search"
        className="checkin-search"
        onSubmit={(event) => {
          // Everyone is in the page: the list already filters as one types. Otherwise the server searches them all.
          if (!capped) event.preventDefault()
        }}
      >
        <label htmlFor="checkin-q">{t('adminRegistrations.checkin.search')}</label>
        <p id="checkin-q-hint" className="hint">
          {t('adminRegistrations.checkin.searchHint')}
        </p>
        <div className="checkin-search-row">
          <input id="checkin-q" type="search" name="q" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" aria-describedby="checkin-q-hint checkin-results" />
          <button type="submit">{t('adminRegistrations.checkin.searchSubmit')}</button>
        </div>
      </form>
      {capped ? <p className="hint">{t('adminRegistrations.checkin.capped')}</p> : null}
      <ScanBlock onCode={onCode} />
      <p id="checkin-results" className="hint">
        {t('adminRegistrations.checkin.results', { count: matches.length })}
        {matches.length > shown.length ? ` — ${t('adminRegistrations.checkin.moreResults', { shown: shown.length })}` : null}
      </p>
      {shown.length === 0 ? (
        <p>{t('adminRegistrations.checkin.none')}</p>
      ) : (
        <ul className="checkin-list">
          {shown.map((person) => (
            <PersonRow key={person.id} person={{ ...person, checkedInTime: checkedIn[String(person.id)] ?? null }} onResult={apply} />
          ))}
        </ul>
      )}
    </div>
  )
}

function ScanBlock({ onCode }: { onCode: (code: string) => void }) {
  // The scanner needs JavaScript and a camera; without JavaScript the phone's own camera app opens /admin/checkin/…
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated ? <CheckinScanner onCode={onCode} /> : null
}
