// The block editor's autosave endpoint: the blocks posted as a form (`content` as JSON, CSRF field), answered in
// JSON (savedAt, or the French refusals). The editor calls it with plain fetch so it can chain its saves and still
// send the last one after the page has been left (see components/campaign-editor/autosave.ts).
import { type ActionFunctionArgs } from '@remix-run/node'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { saveContentForm } from '~/utils/staff-campaign.server.ts'

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request)
  const id = campaignIdParam(params.id)
  const formData = await request.formData()
  const t = await i18next.getFixedT(request)
  const { status, answer } = await saveContentForm(id, formData, t)
  return Response.json(answer, { status, headers: { 'Cache-Control': 'private, no-store' } })
}
