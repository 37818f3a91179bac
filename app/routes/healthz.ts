// GET /healthz (public, for load balancers and monitoring): database, Redis and worker heartbeat as JSON;
// 200 when every part is ok, 503 when one is not, never cached.
import { checkHealth } from '~/utils/health.server.ts'

export async function loader() {
  const report = await checkHealth()
  return Response.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  })
}
