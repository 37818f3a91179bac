// Owns the rendering of a newsletter (skeleton: implemented next).
import type { CampaignBlock, MergeField } from './blocks.ts'
import type { CompiledCampaign } from './compiled.ts'

export interface EventCardData {
  id: number
  title: string
  startsAt: string
  endsAt: string
  timeZone: string
  kind: 'ONLINE' | 'IN_PERSON' | 'HYBRID'
  venue: string | null
  pageUrl: string
  registerUrl: string
}

export interface CampaignRenderInput {
  campaignId: number
  subject: string
  preheader: string
  locale: 'fr' | 'en'
  blocks: CampaignBlock[]
  organization: { name: string; postalAddress: string; website: string | null; brandColor: string; logoUrl: string | null }
  listNames: string[]
  events: Record<number, EventCardData>
  assetUrls: Record<number, string>
  webVersionUrl: string | null
}

export function compileCampaign(input: CampaignRenderInput, links: Record<string, number>, appUrl: string): Promise<CompiledCampaign> {
  void input
  void links
  void appUrl
  return Promise.reject(new Error('not implemented'))
}

export function renderPreview(
  input: CampaignRenderInput,
  sample: Partial<Record<MergeField, string>>,
): Promise<{ subject: string; html: string; text: string }> {
  void input
  void sample
  return Promise.reject(new Error('not implemented'))
}
