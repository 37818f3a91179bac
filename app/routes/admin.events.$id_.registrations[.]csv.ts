// GET /admin/events/:id/registrations.csv[?status=…&q=…&delimiter=semicolon]: the registrations the table shows
// (same filter) with the answers to the questions, as a streamed CSV download (staff only, audited, formula-safe).
import { type LoaderFunctionArgs } from '@remix-run/node'
import { Attendance, RegistrationSource, RegistrationStatus } from '~/generated/prisma/enums.ts'
import { exportRegistrationsCsv, parseEventId, readRegistrationFilter, registrationCsvColumns, type RegistrationCsvLabels } from '~/models/registration-table.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { csvDownload } from '~/utils/csv-download.server.ts'
import { i18next } from '~/utils/i18n.server.ts'

function labelsOf<T extends string>(values: readonly T[], label: (value: T) => string): Record<T, string> {
  return Object.fromEntries(values.map((value) => [value, label(value)])) as Record<T, string>
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request)
  const t = await i18next.getFixedT(request)
  const url = new URL(request.url)
  const labels: RegistrationCsvLabels = {
    headers: labelsOf(registrationCsvColumns, (column) => t(`adminRegistrations.csv.headers.${column}`)),
    statuses: labelsOf(Object.values(RegistrationStatus), (status) => t(`adminRegistrations.statuses.${status}`)),
    sources: labelsOf(Object.values(RegistrationSource), (source) => t(`adminRegistrations.sources.${source}`)),
    attendance: labelsOf(Object.values(Attendance), (value) => t(`adminRegistrations.attendance.${value}`)),
    yes: t('adminRegistrations.csv.yes'),
    no: t('adminRegistrations.csv.no'),
  }
  const eventId = parseEventId(params.id)
  const delimiter = url.searchParams.get('delimiter') === 'semicolon' ? ';' : ','
  const result = eventId === null ? null : await exportRegistrationsCsv(eventId, readRegistrationFilter(url.searchParams), { labels, delimiter }, staff)
  if (!result) throw new Response(t('adminRegistrations.eventNotFound'), { status: 404 })
  return csvDownload(result.fileName, result.body)
}
