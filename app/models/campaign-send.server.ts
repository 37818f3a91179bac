// Owns the controls of a campaign's sending: launch (audience snapshot into the Delivery ledger, fan-out of jobs),
// scheduling, pause, resume, cancel and retry of failed deliveries. The worker side lives in jobs/campaign.ts.

export type ControlResult = { ok: true } | { ok: false; message: string }

export async function launchCampaign(_campaignId: number, _staffId: number | null): Promise<ControlResult & { recipients?: number }> {
  throw new Error('not implemented')
}

export async function scheduleCampaign(_campaignId: number, _at: Date, _staffId: number): Promise<ControlResult> {
  throw new Error('not implemented')
}

export async function unscheduleCampaign(_campaignId: number, _staffId: number): Promise<ControlResult> {
  throw new Error('not implemented')
}

export async function pauseCampaign(_campaignId: number, _staffId: number | null, _reason?: string): Promise<ControlResult> {
  throw new Error('not implemented')
}

export async function resumeCampaign(_campaignId: number, _staffId: number): Promise<ControlResult> {
  throw new Error('not implemented')
}

export async function cancelCampaign(_campaignId: number, _staffId: number): Promise<ControlResult> {
  throw new Error('not implemented')
}

export async function retryFailedDeliveries(_campaignId: number, _staffId: number): Promise<ControlResult & { retried?: number }> {
  throw new Error('not implemented')
}

export async function launchDueCampaigns(_now?: Date): Promise<number> {
  throw new Error('not implemented')
}
