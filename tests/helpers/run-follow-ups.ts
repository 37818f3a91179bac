// Runs the worker's follow-up step once (recordDueFollowUps, as each reconcile tick does) on the database that
// DATABASE_URL names and prints `{"written":N}`: seed.test.ts uses it to show that the demo data leaves the worker
// no follow-up to write, hence none to mail, when the demo starts.
import { closeQueues } from '#jobs/queues.ts'
import { recordDueFollowUps } from '~/models/event-schedule.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'

try {
  process.stdout.write(`${JSON.stringify({ written: await recordDueFollowUps(new Date()) })}\n`)
} finally {
  await closeQueues()
  redis.disconnect()
  await prisma.$disconnect()
}
