// Owns the staff table of an event's registrations: one row per registration with its answers and attendance, and
// the actions its status allows, each a small CSRF form that works without JavaScript.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'

type Status = 'PENDING_APPROVAL' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'REFUSED'
type RowAction = 'approve' | 'refuse' | 'confirm' | 'waitlist' | 'cancel'

export interface RegistrationTableRow {
  id: number
  name: string
  email: string
  organization: string | null
  status: Status
  source: 'PUBLIC' | 'SERIES' | 'STAFF' | 'INVITATION'
  registeredAt: string
  cancelledAt: string | null
  waitlistPosition: number | null
  attendance: 'UNKNOWN' | 'PRESENT' | 'ABSENT'
  checkedInAt: string | null
  /** One text per question, in the questions' order. */
  answers: string[]
}

const actionsByStatus: Record<Status, RowAction[]> = {
  PENDING_APPROVAL: ['approve', 'refuse', 'cancel'],
  CONFIRMED: ['waitlist', 'cancel'],
  WAITLISTED: ['confirm', 'refuse', 'cancel'],
  CANCELLED: [],
  REFUSED: [],
}

function RowActions({ row }: { row: RegistrationTableRow }) {
  const { t } = useTranslation()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('registrationId') === String(row.id)
  const actions = actionsByStatus[row.status]
  if (actions.length === 0) return null
  return (
    <ul className="row-actions registration-row-actions" aria-label={t('adminRegistrations.actions.rowLabel', { name: row.name })}>
      {actions.map((action) => (
        <li key={action}>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="row" />
            <input type="hidden" name="registrationId" value={row.id} />
            <button type="submit" name="action" value={action} className={action === 'cancel' || action === 'refuse' ? 'danger' : 'secondary'} disabled={busy}>
              {t(`adminRegistrations.actions.${action}`)}
              <span className="sr-only"> — {row.name}</span>
            </button>
          </Form>
        </li>
      ))}
    </ul>
  )
}

export function RegistrationTable({ rows, questions, caption }: { rows: RegistrationTableRow[]; questions: { id: string; label: string }[]; caption: string }) {
  const { t } = useTranslation()
  return (
    <div className="registration-table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="registration-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adminRegistrations.table.name')}</th>
            <th scope="col">{t('adminRegistrations.table.organization')}</th>
            <th scope="col">{t('adminRegistrations.table.status')}</th>
            <th scope="col">{t('adminRegistrations.table.source')}</th>
            <th scope="col">{t('adminRegistrations.table.registeredAt')}</th>
            {questions.map((question) => (
              <th scope="col" key={question.id}>
                {question.label}
              </th>
            ))}
            <th scope="col">{t('adminRegistrations.table.attendance')}</th>
            <th scope="col">{t('adminRegistrations.table.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-registration-id={row.id} data-status={row.status}>
              <th scope="row">
                {row.name}
                <br />
                <span className="hint">{row.email}</span>
              </th>
              <td>{row.organization}</td>
              <td>
                {t(`adminRegistrations.statuses.${row.status}`)}
                {row.waitlistPosition !== null ? (
                  <>
                    <br />
                    <span className="hint">{t('adminRegistrations.table.waitlistPosition', { position: row.waitlistPosition })}</span>
                  </>
                ) : null}
                {row.cancelledAt ? (
                  <>
                    <br />
                    <span className="hint">{t('adminRegistrations.table.cancelledAt', { date: row.cancelledAt })}</span>
                  </>
                ) : null}
              </td>
              <td>{t(`adminRegistrations.sources.${row.source}`)}</td>
              <td>{row.registeredAt}</td>
              {row.answers.map((answer, index) => (
                <td key={questions[index]?.id ?? index}>{answer}</td>
              ))}
              <td>
                {row.status === 'CONFIRMED' ? t(`adminRegistrations.attendance.${row.attendance}`) : null}
                {row.checkedInAt ? (
                  <>
                    <br />
                    <span className="hint">{t('adminRegistrations.table.checkedInAt', { time: row.checkedInAt })}</span>
                  </>
                ) : null}
              </td>
              <td>
                <RowActions row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
