// The preference centre's list choices: every public list (and any private one the person is on), ticked when
// subscribed; one submit saves the whole set, with the consent sentence it is given under. Plus "leave them all".
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export interface PreferenceList {
  id: number
  name: string
  description: string
  cadence: string
  status: 'PENDING' | 'CONFIRMED' | 'UNSUBSCRIBED' | null
}

const row = { display: 'flex', gap: '.6rem', alignItems: 'flex-start' } as const

export function PreferencesListsForm({ lists, consentText }: { lists: PreferenceList[]; consentText: string }) {
  const { t } = useTranslation()
  const anySubscribed = lists.some((list) => list.status === 'CONFIRMED' || list.status === 'PENDING')
  return (
    <>
      <Form method="post" className="stack" aria-describedby="lists-consent">
        <input type="hidden" name="intent" value="lists" />
        <fieldset>
          <legend>{t('preferences.lists.legend')}</legend>
          {lists.length === 0 ? <p>{t('preferences.lists.none')}</p> : null}
          {lists.map((list) => (
            <div key={list.id} style={row}>
              <input
                type="checkbox"
                id={`list-${list.id}`}
                name="listId"
                value={list.id}
                defaultChecked={list.status === 'CONFIRMED' || list.status === 'PENDING'}
                aria-describedby={`list-${list.id}-about`}
              />
              <div>
                <label htmlFor={`list-${list.id}`}>{list.name}</label>
                <p id={`list-${list.id}-about`} style={{ margin: '0 0 .75rem' }}>
                  {[list.cadence, list.description].filter(Boolean).join(' · ')}
                  {list.status === 'PENDING' ? ` ${t('preferences.lists.pending')}` : null}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <p id="lists-consent">{consentText}</p>
        <p>
          <button type="submit">{t('preferences.lists.save')}</button>
        </p>
      </Form>
      {anySubscribed ? (
        <Form method="post">
          <input type="hidden" name="intent" value="unsubscribe-all" />
          <button type="submit" className="secondary">
            {t('preferences.lists.unsubscribeAll')}
          </button>
        </Form>
      ) : null}
    </>
  )
}
