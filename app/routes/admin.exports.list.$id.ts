// GET /admin/exports/list/:id[?delimiter=semicolon]: a list's subscribers as a CSV download, streamed (staff only,
// audited). Semicolons suit Excel set to French, which reads commas as one column.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { exportListCsv } from '~/models/export.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { csvDownload, exportOptions } from '~/utils/csv-download.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request)
  const id = z.coerce.number().int().positive().safeParse(params.id)
  const result = id.success ? await exportListCsv(id.data, await exportOptions(request), staff) : null
  if (!result) throw new Response('Liste introuvable', { status: 404 })
  return csvDownload(result.fileName, result.body)
}
