// Signing out: a POST (with the CSRF token) that ends the session everywhere it is stored; a GET changes nothing.
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { recordAudit, staffActor } from '~/models/audit.server.ts'
import { getStaff } from '~/utils/auth.server.ts'
import { requireCsrf } from '~/utils/csrf.server.ts'
import { destroyStaffSession } from '~/utils/session.server.ts'

export async function loader() {
  return redirect('/admin')
}

export async function action({ request }: ActionFunctionArgs) {
  await requireCsrf(request)
  const staff = await getStaff(request)
  const { setCookie } = await destroyStaffSession(request)
  if (staff) await recordAudit({ ...staffActor(staff), action: 'auth.logout', entityType: 'StaffUser', entityId: staff.id })
  return redirect('/login', { headers: { 'Set-Cookie': setCookie } })
}
