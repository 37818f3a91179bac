// The staff shell: every /admin page sits inside it, signed in (requireStaff) and with the CSRF token its forms
// carry. Navigation shows admin-only sections to admins only.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, isRouteErrorResponse, Link, NavLink, Outlet, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput, CsrfProvider } from '~/components/csrf-input.tsx'
import { GeneralErrorBoundary } from '~/components/error-boundary.tsx'
import { useRootData } from '~/root.tsx'
import { requireStaff } from '~/utils/auth.server.ts'
import { getCsrfToken } from '~/utils/csrf.server.ts'

export const meta: MetaFunction = () => [{ name: 'robots', content: 'noindex' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request)
  const csrf = await getCsrfToken(request)
  return data({ staff, csrf: csrf.token }, { headers: csrf.setCookie ? { 'Set-Cookie': csrf.setCookie } : undefined })
}

/** The signed-in staff member, for any page inside the shell. */
export function useStaffShell() {
  const shell = useRouteLoaderData<typeof loader>('routes/admin')
  if (!shell) throw new Error('useStaffShell outside the /admin routes')
  return shell.staff
}

const sections = [
  { to: '/admin', label: 'admin.dashboard', end: true },
  { to: '/admin/campaigns', label: 'admin.campaigns' },
  { to: '/admin/events', label: 'admin.events' },
  { to: '/admin/series', label: 'adminSeries.nav' },
  { to: '/admin/contacts', label: 'admin.contacts' },
  { to: '/admin/imports', label: 'admin.imports' },
  { to: '/admin/lists', label: 'admin.lists' },
  { to: '/admin/segments', label: 'admin.segments' },
  { to: '/admin/outbox', label: 'admin.outbox' },
  { to: '/admin/suppressions', label: 'admin.suppressions' },
  { to: '/admin/staff', label: 'admin.staff', adminOnly: true },
  { to: '/admin/audit', label: 'admin.audit', adminOnly: true },
  { to: '/admin/retention', label: 'admin.retention', adminOnly: true },
] as const

function StaffShell({ children, inMain = true }: { children: React.ReactNode; inMain?: boolean }) {
  const shell = useRouteLoaderData<typeof loader>('routes/admin')
  const root = useRootData()
  const { t } = useTranslation()
  if (!shell) return <>{children}</>
  return (
    <CsrfProvider token={shell.csrf}>
      <a className="skip-link" href="#contenu">
        {t('nav.skip')}
      </a>
      <div className="admin-shell">
        <nav className="admin-nav" aria-label={t('admin.nav')}>
          <p className="brand">{root?.organization.name ?? 'Relais'}</p>
          <p>{t('admin.signedInAs', { name: shell.staff.name })}</p>
          <ul>
            {sections
              .filter((section) => !('adminOnly' in section) || shell.staff.role === 'ADMIN')
              .map((section) => (
                <li key={section.to}>
                  <NavLink to={section.to} end={'end' in section}>
                    {t(section.label)}
                  </NavLink>
                </li>
              ))}
          </ul>
          <Form method="post" action="/logout">
            <CsrfInput />
            <button type="submit">{t('admin.logout')}</button>
          </Form>
        </nav>
        {inMain ? (
          <main id="contenu" className="admin-main">
            {children}
          </main>
        ) : (
          <div className="admin-main">{children}</div>
        )}
      </div>
    </CsrfProvider>
  )
}

export default function AdminLayout() {
  return (
    <StaffShell>
      <Outlet />
    </StaffShell>
  )
}

/** A refusal with its own sentence (CSRF, admin-only page) reads better than the generic 403 page. */
function Refusal({ message }: { message: string }) {
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('errors.forbiddenTitle')}</h1>
      <p>{message}</p>
      <p>
        <Link to="/admin">{t('admin.backToDashboard')}</Link>
      </p>
    </>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  if (isRouteErrorResponse(error) && error.status === 403 && typeof error.data === 'string') {
    return (
      <StaffShell>
        <Refusal message={error.data} />
      </StaffShell>
    )
  }
  return (
    <StaffShell inMain={false}>
      <GeneralErrorBoundary />
    </StaffShell>
  )
}
