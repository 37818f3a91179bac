// Owns the HTTP side of CSV downloads: the export options a request asks for (delimiter, header labels in the staff
// member's language) and the streamed response with its download headers.
import { Readable } from 'node:stream'
import { exportColumns, type ExportColumn, type ExportDelimiter } from '~/models/export.server.ts'
import { i18next } from './i18n.server.ts'

export async function exportOptions(request: Request): Promise<{ headers: Record<ExportColumn, string>; delimiter: ExportDelimiter }> {
  const t = await i18next.getFixedT(request)
  const headers = Object.fromEntries(exportColumns.map((column) => [column, t(`exports.columns.${column}`)])) as Record<ExportColumn, string>
  const delimiter = new URL(request.url).searchParams.get('delimiter') === 'semicolon' ? ';' : ','
  return { headers, delimiter }
}

/** A streamed CSV attachment; nothing is cached (the file holds personal data). */
export function csvDownload(fileName: string, body: Readable): Response {
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
