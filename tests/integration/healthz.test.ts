// GET /healthz as a load balancer sees it: 200 with every part ok while a worker runs, 503 naming the part that is
// down (no worker heartbeat; Redis unreachable), never cached.
import { hostname } from 'node:os'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { envFor, webServerEnv } from '#tests/helpers/test-env.ts'
import { type HealthReport } from '~/utils/health.server.ts'
import { redis } from '~/utils/redis.server.ts'

const context = inject('testContext')
const buildDir = inject('buildDir')
const running: RunningProcess[] = []

async function health(appUrl: string): Promise<{ status: number; cacheControl: string | null; body: HealthReport }> {
  const response = await fetch(`${appUrl}/healthz`)
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as HealthReport }
}

/** A second web server of this run with some configuration changed; resolves once it answers. */
async function startWebServer(overrides: Record<string, string>): Promise<string> {
  const port = await freePort()
  const appUrl = `http://127.0.0.1:${port}`
  const web = startProcess('app/server.ts', webServerEnv(context, buildDir, { PORT: String(port), APP_URL: appUrl, ...overrides }))
  running.push(web)
  await waitFor(async () => (await fetch(`${appUrl}/healthz`)).status > 0, 60_000, `web server on ${appUrl} (${web.output()})`)
  return appUrl
}

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()))
  await redis.quit()
})

describe('GET /healthz', () => {
  it('is 200 with database, Redis and worker ok while a worker runs', async () => {
    const worker = startProcess('jobs/worker.ts', envFor(context))
    running.push(worker)
    // Other test files' workers beat under the same prefix: wait for this worker's own start, so that the 200 is
    // not only theirs and the SIGTERM below reaches a worker that has installed its shutdown handler.
    const ownBeat = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
    await waitFor(async () => (await redis.exists(ownBeat)) === 1, 30_000, `this worker's heartbeat (${worker.output()})`)
    const report = await waitFor(
      async () => {
        const result = await health(context.appUrl)
        return result.status === 200 && result
      },
      30_000,
      `a 200 from /healthz (${worker.output()})`,
    )
    expect(report.cacheControl).toBe('no-store')
    expect(report.body).toMatchObject({
      status: 'ok',
      database: { status: 'ok' },
      redis: { status: 'ok' },
      worker: { status: 'ok' },
    })
    expect(report.body.worker.workers).toBeGreaterThanOrEqual(1)
    expect(Number.isNaN(Date.parse(report.body.worker.lastHeartbeatAt ?? ''))).toBe(false)
    expect(await worker.stop('SIGTERM')).toBe(0)
  }, 60_000)

  it('is 503 with the worker down when no worker beats under its prefix', async () => {
    // A prefix no worker of this run uses: the web server sees Redis but no heartbeat.
    const appUrl = await startWebServer({ QUEUE_PREFIX: `${context.queuePrefix}noworker` })
    const { status, body } = await health(appUrl)
    expect(status).toBe(503)
    expect(body).toMatchObject({
      status: 'degraded',
      database: { status: 'ok' },
      redis: { status: 'ok' },
      worker: { status: 'down', workers: 0, lastHeartbeatAt: null },
    })
  }, 90_000)

  it('is 503 with Redis down when Redis cannot be reached, and answers without hanging', async () => {
    // The shared Redis serves other tests; this web server points at a port where nothing listens instead.
    const closedPort = await freePort()
    const appUrl = await startWebServer({ REDIS_URL: `redis://127.0.0.1:${closedPort}/0` })
    const { status, body } = await health(appUrl)
    expect(status).toBe(503)
    expect(body).toMatchObject({
      status: 'degraded',
      database: { status: 'ok' },
      redis: { status: 'down' },
      worker: { status: 'unknown', workers: 0 },
    })
    expect(body.redis.error).toBeTruthy()
  }, 90_000)
})
