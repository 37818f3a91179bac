// A second OS process for the registration concurrency test: reads one command (JSON line) on stdin, warms its own
// Prisma client up, says "ready", waits for "go", then fires every call at once and prints the outcomes (JSON line).
import { createInterface } from 'node:readline'
import { cancelRegistration, registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { attendee, type BurstCommand, type BurstResult } from './attendee.ts'

const lines = createInterface({ input: process.stdin })
const iterator = lines[Symbol.asyncIterator]()
const readLine = async () => ((await iterator.next()).value as string | undefined) ?? ''

const command = JSON.parse(await readLine()) as BurstCommand
await prisma.$queryRaw`SELECT 1`
process.stdout.write('ready\n')
if ((await readLine()) !== 'go') process.exit(2)

const settle = async (call: () => Promise<BurstResult>): Promise<BurstResult> => {
  try {
    return await call()
  } catch (error) {
    return { status: `error: ${error instanceof Error ? error.message : String(error)}` }
  }
}

const results =
  command.kind === 'register'
    ? await Promise.all(
        command.emails.map((email) =>
          settle(async () => {
            const outcome = await registerForEvent({ eventId: command.eventId, attendee: attendee(email), answers: {}, source: 'PUBLIC' })
            return { status: outcome.status, registrationId: 'registrationId' in outcome ? outcome.registrationId : undefined }
          }),
        ),
      )
    : await Promise.all(
        command.registrationIds.map((registrationId) =>
          settle(async () => {
            const outcome = await cancelRegistration({ registrationId, by: 'attendee' })
            return { status: outcome.cancelled ? 'cancelled' : 'not-cancelled', registrationId, promoted: outcome.promotedRegistrationIds }
          }),
        ),
      )
process.stdout.write(`${JSON.stringify(results)}\n`)
await prisma.$disconnect()
redis.disconnect()
process.exit(0)
