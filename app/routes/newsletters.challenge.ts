// GET /newsletters/challenge: a fresh signed ALTCHA challenge for the sign-up widget (never cached, no cookie).
import { createPowChallenge } from '~/utils/altcha.server.ts'

export async function loader() {
  return Response.json(await createPowChallenge(), { headers: { 'Cache-Control': 'no-store' } })
}
