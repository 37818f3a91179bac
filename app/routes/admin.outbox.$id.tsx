// One caught message as a mail client shows it: the HTML part in a sandboxed frame (served by ./html with a strict
// CSP, never injected into this page), the text part, every header, and the attachments to download.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '~/i18n.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'
import { parseOutboxId, readCaughtEmail } from '~/utils/mail-catcher.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const id = parseOutboxId(params.id)
  const email = id ? await readCaughtEmail(id) : null
  if (!email) throw new Response(null, { status: 404 })
  const [locale, organization] = await Promise.all([getLocale(request), getOrganization()])
  return {
    id: email.id,
    subject: email.subject,
    from: email.from,
    to: email.to,
    envelope: `${email.envelopeFrom} → ${email.envelopeTo.join(', ')}`,
    receivedAt: formatDateTime(email.receivedAt, locale, organization.timeZone),
    headers: email.headers,
    text: email.text,
    hasHtml: email.html !== null,
    attachments: email.attachments.map(({ index, filename, contentType, size }) => ({
      index,
      filename,
      contentType,
      sizeKb: Math.max(1, Math.round(size / 1024)),
    })),
  }
}

export default function CaughtEmail() {
  const email = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const base = `/admin/outbox/${email.id}`
  return (
    <>
      <p>
        <Link to="/admin/outbox">{t('outbox.back')}</Link>
      </p>
      <h1>{email.subject || t('outbox.noSubject')}</h1>
      <dl>
        <dt>{t('outbox.from')}</dt>
        <dd>{email.from}</dd>
        <dt>{t('outbox.to')}</dt>
        <dd>{email.to}</dd>
        <dt>{t('outbox.envelope')}</dt>
        <dd>{email.envelope}</dd>
        <dt>{t('outbox.received')}</dt>
        <dd>{email.receivedAt}</dd>
      </dl>

      <section aria-labelledby="version-html">
        <h2 id="version-html">{t('outbox.htmlPart')}</h2>
        {email.hasHtml ? (
          // sandbox="" : no scripts, no forms, no top navigation, an opaque origin without the staff cookies' reach.
          <iframe
            sandbox=""
            src={`${base}/html`}
            title={t('outbox.htmlFrameTitle', { subject: email.subject })}
            style={{ width: '100%', height: '40rem', border: '1px solid #d5dbe1', background: '#fff' }}
          />
        ) : (
          <p>{t('outbox.noHtml')}</p>
        )}
      </section>

      <section aria-labelledby="version-texte">
        <h2 id="version-texte">{t('outbox.textPart')}</h2>
        {email.text ? (
          <pre style={{ whiteSpace: 'pre-wrap', background: '#fff', padding: '1rem', border: '1px solid #d5dbe1' }}>{email.text}</pre>
        ) : (
          <p>{t('outbox.noText')}</p>
        )}
      </section>

      <section aria-labelledby="pieces-jointes">
        <h2 id="pieces-jointes">{t('outbox.attachments')}</h2>
        {email.attachments.length === 0 ? (
          <p>{t('outbox.noAttachments')}</p>
        ) : (
          <ul>
            {email.attachments.map((attachment) => (
              <li key={attachment.index}>
                <a href={`${base}/attachments/${attachment.index}`} download={attachment.filename}>
                  {attachment.filename}
                </a>{' '}
                ({attachment.contentType}, {t('outbox.size', { size: attachment.sizeKb })})
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="en-tetes">
        <h2 id="en-tetes">{t('outbox.headers')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('outbox.headerName')}</th>
              <th scope="col">{t('outbox.headerValue')}</th>
            </tr>
          </thead>
          <tbody>
            {email.headers.map((header, index) => (
              <tr key={index}>
                <th scope="row">{header.name}</th>
                <td>
                  <code style={{ wordBreak: 'break-all' }}>{header.value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a href={`${base}/raw`} download>
            {t('outbox.downloadRaw')}
          </a>
        </p>
      </section>
    </>
  )
}
