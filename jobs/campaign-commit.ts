// Owns the group commit of acknowledged campaign messages: the acknowledgements that arrive while the ledger's
// writes are busy are written together by the next UPDATE, so the ledger keeps up with the SMTP pool without one
// statement per message. A few UPDATEs may run at once (PostgreSQL then shares their WAL flush): a lane waits for
// about one write, not for the previous group's write and then its own. A caller's promise resolves once its row
// is written: the lane that sent the message only then takes its next one.
import { recordSent, type SentRecord } from '~/utils/campaign-ledger.server.ts'

interface Waiting {
  record: SentRecord
  resolve: () => void
  reject: (error: unknown) => void
}

const maxWritesAtOnce = 3
let buffer: Waiting[] = []
let writing = 0

function startWrite(): void {
  if (writing >= maxWritesAtOnce || buffer.length === 0) return
  const group = buffer
  buffer = []
  writing += 1
  recordSent(group.map((waiting) => waiting.record))
    .then(
      () => group.forEach((waiting) => waiting.resolve()),
      (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
    )
    .finally(() => {
      writing -= 1
      startWrite()
    })
}

/** Records one delivery as SENT; resolves when the row is written (grouped with the others waiting). */
export function commitSent(record: SentRecord): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    buffer.push({ record, resolve, reject })
    startWrite()
  })
}
