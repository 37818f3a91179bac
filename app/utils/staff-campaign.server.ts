// The opening every staff page of one campaign shares (compose, send, results): the staff member (redirected to
// sign-in otherwise), the campaign id from the URL, the campaign or a 404, and templates sent back to the compose
// page when the page has no meaning for them. Also the content autosave as both the page's action and the
// editor's JSON endpoint answer it.
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { campaignIdParam } from '~/models/campaign-schema.ts'
import { CampaignError, getCampaignForStaff, updateCampaignContent } from '~/models/campaign.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'

export async function requireStaffCampaign(request: Request, params: LoaderFunctionArgs['params'], { templates = true }: { templates?: boolean } = {}) {
  const staff = await requireStaff(request)
  const id = campaignIdParam(params.id)
  const campaign = await getCampaignForStaff(id)
  if (!campaign) throw new Response('Campagne introuvable', { status: 404 })
  if (!templates && campaign.isTemplate) throw redirect(`/admin/campaigns/${id}`)
  return { staff, id, campaign }
}

export type ContentSaveAnswer = { intent: 'content'; ok: true; savedAt: string } | { intent: 'content'; ok: false; errors: string[] }

/**
 * The autosave of the blocks from a posted form (`content`: the blocks as JSON). Refusals are French sentences;
 * `t` translates the i18n keys of CampaignError. Call requireStaff first (it checks CSRF).
 */
export async function saveContentForm(id: number, formData: FormData, t: (key: string) => string): Promise<{ status: number; answer: ContentSaveAnswer }> {
  let content: unknown
  try {
    content = JSON.parse(String(formData.get('content') ?? ''))
  } catch {
    return { status: 400, answer: { intent: 'content', ok: false, errors: [t('campaigns.errors.unreadableContent')] } }
  }
  try {
    const result = await updateCampaignContent(id, content)
    if (!result.ok) return { status: 400, answer: { intent: 'content', ok: false, errors: result.errors } }
    return { status: 200, answer: { intent: 'content', ok: true, savedAt: result.savedAt.toISOString() } }
  } catch (error) {
    if (!(error instanceof CampaignError)) throw error
    if (error.messageKey === 'campaigns.errors.notFound') throw new Response('Campagne introuvable', { status: 404 })
    return { status: 400, answer: { intent: 'content', ok: false, errors: [t(error.messageKey)] } }
  }
}
