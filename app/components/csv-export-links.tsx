// The two download links of a CSV export (commas per RFC 4180, or semicolons for Excel set to French), for the
// list and segment pages: <CsvExportLinks kind="list" id={list.id} />.
import { useTranslation } from 'react-i18next'

export function CsvExportLinks({ kind, id }: { kind: 'list' | 'segment'; id: number }) {
  const { t } = useTranslation()
  const path = `/admin/exports/${kind}/${id}`
  return (
    <p className="row-actions">
      <span>{t('exports.title')}</span>{' '}
      {/* Plain links: a download is not a page of the app. */}
      <a href={path} download>
        {t('exports.comma')}
      </a>{' '}
      <a href={`${path}?delimiter=semicolon`} download>
        {t('exports.semicolon')}
      </a>
    </p>
  )
}
