// Staff dashboard: where things stand (contacts, lists, upcoming events, campaigns), each a way into its section.
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getDashboardCounts } from '~/models/dashboard.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { useStaffShell } from './admin.tsx'

export const meta: MetaFunction = () => [{ title: 'Tableau de bord · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request)
  return { counts: await getDashboardCounts(new Date()) }
}

export default function Dashboard() {
  const { counts } = useLoaderData<typeof loader>()
  const staff = useStaffShell()
  const { t, i18n } = useTranslation()
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR')
  const figures = [
    { to: '/admin/contacts', label: t('dashboard.contacts', { count: counts.contacts }), value: counts.contacts },
    { to: '/admin/lists', label: t('dashboard.lists', { count: counts.lists }), value: counts.lists },
    { to: '/admin/events', label: t('dashboard.upcomingEvents', { count: counts.upcomingEvents }), value: counts.upcomingEvents },
    {
      to: '/admin/campaigns',
      label: t('dashboard.campaigns', { count: counts.campaigns }),
      value: counts.campaigns,
      detail: t('dashboard.campaignsInProgress', { count: counts.campaignsInProgress }),
    },
  ]
  return (
    <>
      <h1>{t('admin.dashboard')}</h1>
      <p>{t('dashboard.greeting', { name: staff.name })}</p>
      <ul className="cards">
        {figures.map((figure) => (
          <li key={figure.to} className="card">
            <p className="card-when">
              {number.format(figure.value)} <Link to={figure.to}>{figure.label}</Link>
            </p>
            {figure.detail ? <p className="card-kicker">{figure.detail}</p> : null}
          </li>
        ))}
      </ul>
    </>
  )
}
