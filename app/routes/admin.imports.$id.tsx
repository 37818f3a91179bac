// One import batch: the column mapping and target lists before it starts, a progress bar while the worker runs it
// (revalidated every second), and the report once it is over.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { QueueUnavailableError } from '#jobs/queues.ts'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FormErrors } from '~/components/form-errors.tsx'
import { columnTargets, reportedRowsCap, rowOutcomes, type ColumnTarget } from '~/models/import-schema.ts'
import { getImportBatch, ImportError, listImportTargets, startImport } from '~/models/import.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Import · Relais' }]

const batchIdSchema = z.coerce.number().int().positive()

async function loadBatch(params: { id?: string }) {
  const id = batchIdSchema.safeParse(params.id)
  const batch = id.success ? await getImportBatch(id.data) : null
  if (!batch) throw new Response('Import introuvable', { status: 404 })
  return batch
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const [batch, lists] = await Promise.all([loadBatch(params), listImportTargets()])
  // The page reloads every second while the worker runs: the skipped lines are sent once it is over.
  const finished = batch.status === 'DONE' || batch.status === 'FAILED'
  return { batch: finished ? batch : { ...batch, report: { ...batch.report, rows: [] } }, lists }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const batch = await loadBatch(params)
  const formData = await request.formData()
  const columns = batch.file.headers.map((_, index) => {
    const value = formData.get(`column-${index}`)
    return (columnTargets as readonly string[]).includes(String(value)) ? (value as ColumnTarget) : 'ignore'
  })
  const listIds = formData.getAll('listId').flatMap((value) => {
    const parsed = batchIdSchema.safeParse(value)
    return parsed.success ? [parsed.data] : []
  })
  try {
    await startImport(batch.id, { columns, listIds }, staff)
  } catch (error) {
    if (error instanceof ImportError) return data({ error: error.messageKey, columns, listIds }, { status: 400 })
    if (error instanceof QueueUnavailableError) return data({ error: 'imports.errors.queueUnavailable', columns, listIds }, { status: 503 })
    throw error
  }
  return redirect(`/admin/imports/${batch.id}`)
}

type Batch = ReturnType<typeof useLoaderData<typeof loader>>['batch']

export default function ImportPage() {
  const { batch, lists } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const awaitingMapping = batch.status === 'PENDING' && !batch.queued
  return (
    <>
      <p>
        <Link to="/admin/imports">{t('imports.back')}</Link>
      </p>
      <h1>{t('imports.batchTitle', { fileName: batch.fileName })}</h1>
      <p>{t('imports.detected', { encoding: batch.file.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252', delimiter: batch.file.delimiter })}</p>
      {awaitingMapping ? <MappingForm batch={batch} lists={lists} /> : null}
      {batch.queued || batch.status === 'RUNNING' ? <Progress batch={batch} /> : null}
      {batch.status === 'DONE' || batch.status === 'FAILED' ? <Report batch={batch} /> : null}
    </>
  )
}

function MappingForm({ batch, lists }: { batch: Batch; lists: { id: number; name: string }[] }) {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const columns = actionData?.columns ?? batch.columns
  const chosenLists = new Set(actionData?.listIds ?? [])
  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">{t('imports.mappingTitle')}</h2>
      <p>{t('imports.mappingIntro')}</p>
      <FormErrors id="mapping-errors" errors={actionData?.error ? [actionData.error] : undefined} />
      <Form method="post" className="stack">
        <CsrfInput />
        <table>
          <thead>
            <tr>
              <th scope="col">{t('imports.column')}</th>
              <th scope="col">{t('imports.examples')}</th>
              <th scope="col">{t('imports.field')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.file.headers.map((header, index) => (
              <tr key={index}>
                <th scope="row">{header || `#${index + 1}`}</th>
                <td>{batch.file.sample.map((row) => row[index] ?? '').filter(Boolean).join(' · ')}</td>
                <td>
                  <label htmlFor={`column-${index}`} className="sr-only">
                    {t('imports.fieldFor', { name: header || `#${index + 1}` })}
                  </label>
                  <select id={`column-${index}`} name={`column-${index}`} defaultValue={columns[index] ?? 'ignore'}>
                    {columnTargets.map((target) => (
                      <option key={target} value={target}>
                        {t(`imports.fields.${target}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset>
          <legend>{t('imports.listsLegend')}</legend>
          <p id="lists-hint">{t('imports.listsHint')}</p>
          {lists.map((list) => (
            <div key={list.id}>
              <input type="checkbox" id={`list-${list.id}`} name="listId" value={list.id} defaultChecked={chosenLists.has(list.id)} aria-describedby="lists-hint" />{' '}
              <label htmlFor={`list-${list.id}`}>{list.name}</label>
            </div>
          ))}
        </fieldset>
        <p>
          <button type="submit">{t('imports.start')}</button>
        </p>
      </Form>
    </section>
  )
}

function Progress({ batch }: { batch: Batch }) {
  const { t } = useTranslation()
  const revalidator = useRevalidator()
  // The worker commits its progress with every chunk of rows: reading it back every second is enough.
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 1000)
    return () => clearInterval(timer)
  }, [revalidator])
  const total = Math.max(batch.totalRows, batch.processed)
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('imports.progressLabel')}</h2>
      {batch.status === 'RUNNING' ? (
        <>
          <progress id="import-progress" max={total || 1} value={batch.processed} aria-labelledby="progress-title" />
          <p role="status">{t('imports.progress', { processed: batch.processed, total })}</p>
        </>
      ) : (
        <p role="status">{t('imports.queued')}</p>
      )}
      <p>
        <Link to=".">{t('imports.refresh')}</Link>
      </p>
    </section>
  )
}

function Report({ batch }: { batch: Batch }) {
  const { t } = useTranslation()
  const { report } = batch
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t('imports.reportTitle')}</h2>
      {batch.status === 'FAILED' ? (
        <div className="error-summary" role="alert">
          <p>{t('imports.failed')}</p>
          {report.error ? <p>{t(report.error.key, { line: report.error.line })}</p> : null}
        </div>
      ) : null}
      <table>
        <caption>{t('imports.outcomesCaption')}</caption>
        <tbody>
          {rowOutcomes.map((outcome) => (
            <tr key={outcome}>
              <th scope="row">{t(`imports.outcomes.${outcome}`)}</th>
              <td data-outcome={outcome}>{report.counts[outcome]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.rows.length > 0 ? (
        <>
          <h3>{t('imports.skippedTitle')}</h3>
          {report.rows.length >= reportedRowsCap ? <p>{t('imports.skippedTruncated', { count: reportedRowsCap })}</p> : null}
          <table>
            <caption className="sr-only">{t('imports.skippedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.line')}</th>
                <th scope="col">{t('imports.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={row.line}>
                  <td>{row.line}</td>
                  <td>{t(`imports.outcomes.${row.reason}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
