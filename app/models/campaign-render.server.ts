// Owns loading a campaign for rendering (skeleton: implemented next).
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import type { CampaignRenderInput } from '#emails/campaign/render.ts'

export async function campaignRenderInput(campaignId: number): Promise<CampaignRenderInput> {
  void campaignId
  throw new Error('not implemented')
}

export async function previewCampaign(campaignId: number): Promise<{ subject: string; html: string; text: string }> {
  void campaignId
  throw new Error('not implemented')
}

export async function compileCampaignSnapshot(campaignId: number): Promise<CompiledCampaign> {
  void campaignId
  throw new Error('not implemented')
}

export async function sendCampaignTest(campaignId: number, to: string[], staffId: number): Promise<{ queued: number }> {
  void campaignId
  void to
  void staffId
  throw new Error('not implemented')
}
