// Any /admin address no route claims: sections announced in the navigation but not built yet say so; anything
// else is a 404 inside the staff shell. A real route (e.g. admin.campaigns.tsx) takes precedence on its own.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireStaff } from '~/utils/auth.server.ts'

// None left: events has its own pages now (admin.events.*); a section announced before it is built goes here.
const upcomingSections = new Set<string>([])

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const section = (params['*'] ?? '').split('/')[0] ?? ''
  if (!upcomingSections.has(section)) throw new Response('Not Found', { status: 404 })
  return null
}

export default function ComingSoon() {
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('dashboard.comingSoonTitle')}</h1>
      <p>{t('dashboard.comingSoonBody')}</p>
      <p>
        <Link to="/admin">{t('admin.backToDashboard')}</Link>
      </p>
    </>
  )
}
