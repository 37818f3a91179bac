// Imports page: upload a CSV file (streamed into the database, see app/models/import-file.server.ts) and the latest
// batches with their status. After the upload, the batch's own page asks for the column mapping.
import {
  data,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FormErrors } from '~/components/form-errors.tsx'
import { ImportFileError } from '~/models/import-file.server.ts'
import { createImportFromUpload, isQueued, listImportBatches, maxImportBytes } from '~/models/import.server.ts'
import { getOrganization } from '~/models/organization.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { getLocale } from '~/utils/i18n.server.ts'

export const meta: MetaFunction = () => [{ title: 'Imports · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [batches, locale, organization] = await Promise.all([listImportBatches(), getLocale(request), getOrganization()])
  // Formatted here, in the organisation's time zone, so that server and browser render the same text.
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: organization.timeZone })
  return {
    batches: batches.map((batch) => ({
      id: batch.id,
      fileName: batch.fileName,
      createdAt: format.format(batch.createdAt),
      status: batch.status === 'PENDING' ? (isQueued(batch) ? 'QUEUED' : 'AWAITING') : batch.status,
      totalRows: batch.totalRows,
      processed: batch.processed,
    })),
    maxMegabytes: Math.floor(maxImportBytes / (1024 * 1024)),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  // An oversized upload is refused from its declared length, before anything reads the body.
  const declaredLength = Number(request.headers.get('Content-Length') ?? '0')
  if (declaredLength > maxImportBytes + 64 * 1024) return data({ error: 'imports.errors.tooLarge' }, { status: 413 })
  // Checks the session and the CSRF token before the file is read into the database. For a multipart body the
  // CSRF check reads a copy of the form, so the web process holds the file once in memory (bounded by the limit).
  const staff = await requireStaff(request)
  const fileHandler: UploadHandler = async (part) => {
    if (part.name !== 'file') return undefined
    if (!part.filename) {
      // No file chosen: browsers still send an empty part.
      for await (const _chunk of part.data) void _chunk
      return null
    }
    const batchId = await createImportFromUpload({ fileName: part.filename, chunks: part.data }, staff)
    return String(batchId)
  }
  let batchId: string | null = null
  try {
    const formData = await unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })))
    const value = formData.get('file')
    batchId = typeof value === 'string' ? value : null
  } catch (error) {
    if (error instanceof ImportFileError) return data({ error: error.messageKey }, { status: 400 })
    throw error
  }
  if (!batchId) return data({ error: 'imports.errors.missingFile' }, { status: 400 })
  return redirect(`/admin/imports/${batchId}`)
}

export default function ImportsPage() {
  const { batches, maxMegabytes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      <FormErrors id="upload-errors" errors={actionData?.error ? [actionData.error] : undefined} />
      <Form method="post" encType="multipart/form-data" className="stack">
        <CsrfInput />
        <div>
          <label htmlFor="import-file">{t('imports.file')}</label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-describedby={actionData?.error ? 'import-file-hint upload-errors' : 'import-file-hint'}
            aria-invalid={actionData?.error ? true : undefined}
          />
          <p id="import-file-hint">{t('imports.fileHint', { max: maxMegabytes })}</p>
        </div>
        <p>
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('imports.upload')}
          </button>
        </p>
      </Form>
      <h2>{t('imports.recent')}</h2>
      {batches.length === 0 ? (
        <p>{t('imports.empty')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('imports.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.fileName')}</th>
              <th scope="col">{t('imports.createdAt')}</th>
              <th scope="col">{t('imports.status')}</th>
              <th scope="col">{t('imports.rows')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id}>
                <td>
                  <Link to={`/admin/imports/${batch.id}`}>{batch.fileName}</Link>
                </td>
                <td>{batch.createdAt}</td>
                <td>{t(`imports.statuses.${batch.status}`)}</td>
                <td>{batch.status === 'RUNNING' ? `${batch.processed} / ${batch.totalRows}` : batch.totalRows || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
