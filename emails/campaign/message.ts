// Owns the per-recipient message of a compiled campaign (skeleton: implemented next).
import type { CompiledCampaign } from './compiled.ts'

export interface RecipientValues {
  email: string
  firstName: string | null
  lastName: string | null
  company: string | null
  territory: string | null
  listId: number | null
  unsubscribeUrl: string
  preferencesUrl: string
  clickQuery: string
  openPixel: string
}

export interface MessageFactoryOptions {
  from: { name: string; address: string }
  replyTo: string | null
  lists: Record<number, { name: string; slug: string }>
  hostname: string
}

export interface BuiltMessage {
  raw: Buffer
  messageId: string
  envelope: { from: string; to: string[] }
}

export interface MessageFactory {
  build(recipient: RecipientValues): BuiltMessage
  fill(recipient: RecipientValues): { subject: string; html: string; text: string; headers: Record<string, string> }
}

export function createMessageFactory(compiled: CompiledCampaign, options: MessageFactoryOptions): MessageFactory {
  void compiled
  void options
  throw new Error('not implemented')
}
