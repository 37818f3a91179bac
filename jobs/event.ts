// Owns the `event` queue: it sends the rows of the event-message ledger (EventMessage: confirmations, waitlist and
// promotion notices, announcements, later reminders and follow-ups) once each, and rebuilds lost jobs from that
// ledger. Filled in by the events work; see app/models/event-message.server.ts for how rows are written.
import { type Job, UnrecoverableError } from 'bullmq'
import { jobSchemas } from './queues.ts'

export async function processEventMessage(job: Job): Promise<void> {
  const parsed = jobSchemas.event.safeParse(job.data)
  if (!parsed.success) throw new UnrecoverableError('invalid event job data')
  throw new Error('event messages are not implemented yet')
}
