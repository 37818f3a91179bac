// Staff outbox: messages held by the built-in mail catcher (newest first, keyset pages) and the sending ledger.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '~/i18n.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'
import { listCaughtEmails, parseOutboxId } from '~/utils/mail-catcher.server.ts'
import { isMailCatcherActive, listRecentOutboundEmails } from '~/utils/mail.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  // An unreadable cursor shows the first page rather than an error: it only ever comes from our own links.
  const before = parseOutboxId(new URL(request.url).searchParams.get('before')) ?? undefined
  const [locale, organization, page, log] = await Promise.all([
    getLocale(request),
    getOrganization(),
    listCaughtEmails({ before }),
    listRecentOutboundEmails(20),
  ])
  const when = (date: Date) => formatDateTime(date, locale, organization.timeZone)
  return {
    catcherActive: isMailCatcherActive(),
    isFirstPage: before === undefined,
    nextBefore: page.nextBefore,
    messages: page.items.map((message) => ({
      id: message.id,
      receivedAt: when(message.receivedAt),
      to: message.envelopeTo.join(', '),
      subject: message.subject,
    })),
    log: log.map((record) => ({
      id: record.id,
      createdAt: when(record.createdAt),
      template: record.template,
      to: record.toAddress ?? '',
      subject: record.subject,
      status: record.status,
      response: record.status === 'FAILED' ? record.error : record.smtpResponse,
      attempts: record.attempts,
    })),
  }
}

export default function Outbox() {
  const { catcherActive, isFirstPage, nextBefore, messages, log } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const showCaught = catcherActive || messages.length > 0
  return (
    <>
      <h1>{t('outbox.title')}</h1>
      <p className="notice">{catcherActive ? t('outbox.catcherOn') : t('outbox.catcherOff')}</p>

      {showCaught ? (
        <section aria-labelledby="retenus">
          <h2 id="retenus">{t('outbox.caughtHeading')}</h2>
          {messages.length === 0 ? (
            <p>{t('outbox.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('outbox.date')}</th>
                  <th scope="col">{t('outbox.recipient')}</th>
                  <th scope="col">{t('outbox.subject')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((message) => (
                  <tr key={message.id}>
                    <td>{message.receivedAt}</td>
                    <td>{message.to}</td>
                    <td>
                      <Link to={`/admin/outbox/${message.id}`}>{message.subject || t('outbox.noSubject')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            {nextBefore ? <Link to={`?before=${nextBefore}`}>{t('outbox.older')}</Link> : null}
            {nextBefore && !isFirstPage ? ' · ' : null}
            {!isFirstPage ? <Link to="/admin/outbox">{t('outbox.newest')}</Link> : null}
          </p>
        </section>
      ) : null}

      {isFirstPage ? (
        <section aria-labelledby="journal">
          <h2 id="journal">{t('outbox.logHeading')}</h2>
          <p>{t('outbox.logIntro')}</p>
          {log.length === 0 ? (
            <p>{t('outbox.logEmpty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('outbox.date')}</th>
                  <th scope="col">{t('outbox.status')}</th>
                  <th scope="col">{t('outbox.recipient')}</th>
                  <th scope="col">{t('outbox.subject')}</th>
                  <th scope="col">{t('outbox.template')}</th>
                  <th scope="col">{t('outbox.attempts')}</th>
                  <th scope="col">{t('outbox.response')}</th>
                </tr>
              </thead>
              <tbody>
                {log.map((record) => (
                  <tr key={record.id}>
                    <td>{record.createdAt}</td>
                    <td>{t(`outbox.statuses.${record.status}`)}</td>
                    <td>{record.to}</td>
                    <td>{record.subject}</td>
                    <td>{record.template}</td>
                    <td>{record.attempts}</td>
                    <td>
                      <code>{record.response}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  )
}
