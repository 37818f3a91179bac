// English strings of the campaigns pages. Same shape as ../fr/campaigns.ts.
import type { campaigns as fr } from '../fr/campaigns.ts'
import type { DeepStrings } from '../en.ts'

export const campaigns: DeepStrings<typeof fr> = {
}
