// Child process of bench/registrations.ts: makes ALTCHA challenges with the app's own createPowChallenge (the bench's
// secret is in the environment, as the server's) and solves them with altcha-lib's solver, as the widget does in a
// browser; prints each payload, as the form would send it, on a line of its own. The challenges are dated so that
// they stay valid for an hour: one from /newsletters/challenge lives 10 minutes, and solving 2,000 of them on a busy
// two-CPU machine takes longer than that. The server verifies and spends them exactly as it does any other.
// Usage: tsx bench/registrations-pow.ts <count>
import { solveChallenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { createPowChallenge } from '~/utils/altcha.server.ts'

const count = Number(process.argv[2])
// createPowChallenge(now) expires 10 minutes after `now`: 50 minutes ahead gives an hour of validity.
const issuedAt = new Date(Date.now() + 50 * 60 * 1000)

for (let index = 0; index < count; index += 1) {
  const challenge = await createPowChallenge(issuedAt)
  const solution = await solveChallenge({ challenge, deriveKey })
  if (!solution) throw new Error('a challenge could not be solved')
  process.stdout.write(`${Buffer.from(JSON.stringify({ challenge, solution })).toString('base64')}\n`)
}
// The app modules hold a Redis connection open: leave once every line is written.
process.stdout.write('', () => process.exit(0))
