// Owns the read-only history tables of a contact's staff page: consent records (every one: when, what, lists,
// source, consent text version), emails received and event registrations. Dates arrive formatted by the loader.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export type ConsentRow = { id: string; createdAt: string; action: string; lists: string[]; source: string; sourceRef: string | null; channel: string; consentTextHash: string | null }
export type EmailRow = { id: string; createdAt: string; subject: string; template: string; status: string }
export type RegistrationRow = { id: number; createdAt: string; eventId: number; eventTitle: string; eventStartsAt: string; status: string }

export function AdminConsentHistory({ records }: { records: ConsentRow[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="consent-title">
      <h2 id="consent-title">{t('adminContacts.consentTitle')}</h2>
      {records.length === 0 ? (
        <p>{t('adminContacts.noConsent')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adminContacts.when')}</th>
              <th scope="col">{t('adminContacts.what')}</th>
              <th scope="col">{t('adminContacts.lists')}</th>
              <th scope="col">{t('adminContacts.source')}</th>
              <th scope="col">{t('adminContacts.channel')}</th>
              <th scope="col">{t('adminContacts.textVersion')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <tr key={record.id} data-consent-id={record.id}>
                <td>{record.createdAt}</td>
                <td>{t(`adminContacts.consentActions.${record.action}`)}</td>
                <td>{record.lists.join(', ')}</td>
                <td>
                  {t(`adminContacts.consentSources.${record.source}`)}
                  {record.sourceRef ? ` (${record.sourceRef})` : null}
                </td>
                <td>{record.channel}</td>
                <td>{record.consentTextHash ? <code title={record.consentTextHash}>{record.consentTextHash.slice(0, 12)}</code> : t('adminContacts.noText')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function AdminContactEmails({ emails }: { emails: EmailRow[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="emails-title">
      <h2 id="emails-title">{t('adminContacts.emailsTitle')}</h2>
      {emails.length === 0 ? (
        <p>{t('adminContacts.noEmails')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adminContacts.when')}</th>
              <th scope="col">{t('adminContacts.subject')}</th>
              <th scope="col">{t('adminContacts.template')}</th>
              <th scope="col">{t('adminContacts.status')}</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id}>
                <td>{email.createdAt}</td>
                <td>{email.subject}</td>
                <td>{email.template}</td>
                <td>{t(`outbox.statuses.${email.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function AdminContactRegistrations({ registrations }: { registrations: RegistrationRow[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="registrations-title">
      <h2 id="registrations-title">{t('adminContacts.registrationsTitle')}</h2>
      {registrations.length === 0 ? (
        <p>{t('adminContacts.noRegistrations')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adminContacts.event')}</th>
              <th scope="col">{t('adminContacts.when')}</th>
              <th scope="col">{t('adminContacts.status')}</th>
            </tr>
          </thead>
          <tbody>
            {registrations.map((registration) => (
              <tr key={registration.id}>
                <td>
                  <Link to={`/admin/events/${registration.eventId}`}>{registration.eventTitle}</Link> ({registration.eventStartsAt})
                </td>
                <td>{registration.createdAt}</td>
                <td>{t(`adminContacts.registrationStatuses.${registration.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
