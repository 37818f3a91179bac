// Owns the attendance form of an event: per confirmed person, present / absent / not recorded as radio buttons (one
// form for the page, works without JavaScript), when they were checked in or joined through their link, and the
// "mark the others absent" button.
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

export type AttendanceRowView = { id: number; name: string; email: string; organization: string | null; attendance: 'UNKNOWN' | 'PRESENT' | 'ABSENT'; checkedInTime: string | null; joinedTime: string | null }

const choices = [
  { value: 'PRESENT', label: 'present' },
  { value: 'ABSENT', label: 'absent' },
  { value: 'UNKNOWN', label: 'unknown' },
] as const

/** `onEdit` is called when staff change a choice (the page then stops refreshing itself, so nothing is lost). */
export function RegistrationAttendanceForm({ rows, caption, onEdit }: { rows: AttendanceRowView[]; caption: string; onEdit?: () => void }) {
  const { t } = useTranslation()
  return (
    <Form method="post" className="registration-attendance" onChange={onEdit}>
      <CsrfInput />
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adminRegistrations.attendancePage.person')}</th>
            <th scope="col">{t('adminRegistrations.table.attendance')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-registration-id={row.id}>
              <th scope="row">
                {row.name}
                <br />
                <span className="hint">{row.organization ?? row.email}</span>
                {row.checkedInTime ? (
                  <>
                    <br />
                    <span className="hint">{t('adminRegistrations.table.checkedInAt', { time: row.checkedInTime })}</span>
                  </>
                ) : null}
                {row.joinedTime ? (
                  <>
                    <br />
                    <span className="hint">{t('adminRegistrations.attendancePage.joinedAt', { time: row.joinedTime })}</span>
                  </>
                ) : null}
              </th>
              <td>
                <fieldset>
                  <legend>{row.name}</legend>
                  {choices.map((choice) => (
                    <div key={choice.value}>
                      <input id={`a-${row.id}-${choice.value}`} type="radio" name={`a-${row.id}`} value={choice.value} defaultChecked={row.attendance === choice.value} />{' '}
                      <label htmlFor={`a-${row.id}-${choice.value}`}>{t(`adminRegistrations.attendancePage.${choice.label}`)}</label>
                    </div>
                  ))}
                </fieldset>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="submit" name="intent" value="save">
          {t('adminRegistrations.attendancePage.save')}
        </button>
      </p>
    </Form>
  )
}

export function MarkOthersAbsent() {
  const { t } = useTranslation()
  return (
    <Form method="post">
      <CsrfInput />
      <p className="hint" id="others-absent-hint">
        {t('adminRegistrations.attendancePage.markOthersAbsentHint')}
      </p>
      <button type="submit" name="intent" value="remaining-absent" className="secondary" aria-describedby="others-absent-hint">
        {t('adminRegistrations.attendancePage.markOthersAbsent')}
      </button>
    </Form>
  )
}
