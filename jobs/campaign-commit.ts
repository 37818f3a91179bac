// Owns the group commit of acknowledged campaign messages: every acknowledgement that arrives while one UPDATE is
// running is written by the next one, so the ledger keeps up with the SMTP pool without one statement per message.
// A caller's promise resolves once its row is written: the lane that sent it only then takes its next message.
import { recordSent, type SentRecord } from '~/utils/campaign-ledger.server.ts'

interface Waiting {
  record: SentRecord
  resolve: () => void
  reject: (error: unknown) => void
}

let buffer: Waiting[] = []
let writing = false

async function drain(): Promise<void> {
  writing = true
  try {
    while (buffer.length > 0) {
      const group = buffer
      buffer = []
      try {
        await recordSent(group.map((waiting) => waiting.record))
        for (const waiting of group) waiting.resolve()
      } catch (error) {
        for (const waiting of group) waiting.reject(error)
      }
    }
  } finally {
    writing = false
  }
}

/** Records one delivery as SENT; resolves when the row is written (grouped with the others waiting). */
export function commitSent(record: SentRecord): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    buffer.push({ record, resolve, reject })
    if (!writing) void drain()
  })
}
