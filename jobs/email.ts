// Owns the `email` queue's processor: one job sends one message through the mail module. A permanent SMTP refusal
// (5xx) fails the job for good, and a 5xx to the recipient is a hard bounce that suppresses the address; anything
// else is thrown so that BullMQ retries it with backoff.
import { type Job, UnrecoverableError } from 'bullmq'
import { suppressAddress, suppressionReason } from '~/models/suppression.server.ts'
import { logger } from '~/utils/logger.server.ts'
import { MailError, sendEmail } from '~/utils/mail.server.ts'
import { jobSchemas } from './queues.ts'

export interface EmailJobResult {
  status: 'sent' | 'already-sent' | 'suppressed'
  messageId: string | null
}

export async function processEmail(job: Job): Promise<EmailJobResult> {
  const parsed = jobSchemas.email.safeParse(job.data)
  if (!parsed.success) {
    // Field paths only: the values may be addresses, and failed reasons are kept in Redis.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')
    throw new UnrecoverableError(`invalid email job data (${fields})`)
  }
  // Checked at send time, not only when the message was queued: the address may have bounced since. An address
  // suppressed by its owner's erasure still gets what they ask for themselves (a new sign-up's confirmation);
  // erasure removes the messages queued before it.
  const reason = await suppressionReason(parsed.data.to)
  if (reason && reason !== 'ERASURE') {
    logger.info({ jobId: job.id, template: parsed.data.template, reason }, 'email not sent: address suppressed')
    return { status: 'suppressed', messageId: null }
  }
  try {
    const result = await sendEmail(parsed.data)
    logger.info({ jobId: job.id, status: result.status, attempt: job.attemptsMade + 1 }, 'email job done')
    return { status: result.status, messageId: result.messageId ?? null }
  } catch (error) {
    if (error instanceof MailError) {
      // The SMTP text may quote the recipient's address: keep only the code in Redis and in logs.
      const code = error.responseCode ?? error.code ?? 'no code'
      if (error.recipientRejected) {
        await suppressAddress({ email: parsed.data.to, reason: 'HARD_BOUNCE', detail: `SMTP ${code}` })
      }
      if (error.permanent) throw new UnrecoverableError(`permanent SMTP refusal (${code})`)
      throw new Error(`temporary SMTP failure (${code})`, { cause: error })
    }
    throw error
  }
}
