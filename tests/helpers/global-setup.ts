// Once per test run: a database of its own (created and migrated), a Redis DB and key prefix of its own,
// a real SMTP listener, and the production build of the app served on a free port.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { TestProject } from 'vitest/node'
import { applyMigrations } from '../../prisma/migrations.ts'
import { createScratchDatabase, dropScratchDatabase } from './postgres.ts'
import { freePort, projectRoot, startProcess, waitFor, type RunningProcess } from './processes.ts'
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts'
import { envFor, type TestContext } from './test-env.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    testContext: TestContext
    mailDir: string
    /** The production build the test web server serves; start more web servers with RELAIS_BUILD_DIR set to it. */
    buildDir: string
  }
}

const redisBase = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13'

let web: RunningProcess | undefined
let sink: SmtpSink | undefined
let databaseName = ''
let buildDir = ''
let queuePrefix = ''

export async function setup(project: TestProject): Promise<void> {
  databaseName = `relais_test_${process.pid}_${Date.now().toString(36)}`
  const databaseUrl = await createScratchDatabase(databaseName)
  await applyMigrations(databaseUrl)

  const mailDir = join(projectRoot, 'tests/.reports/mail', databaseName)
  sink = await startSmtpSink(mailDir)
  const appPort = await freePort()
  const context: TestContext = {
    databaseUrl,
    databaseName,
    redisUrl: redisBase,
    queuePrefix: `rt${process.pid}${Date.now().toString(36)}`,
    appUrl: `http://127.0.0.1:${appPort}`,
    smtpPort: sink.port,
  }
  queuePrefix = context.queuePrefix
  project.provide('testContext', context)
  project.provide('mailDir', mailDir)

  // Each run builds into a folder of its own; TEST_SKIP_BUILD=1 serves the existing ./build instead (faster reruns).
  buildDir = process.env.TEST_SKIP_BUILD ? join(projectRoot, 'build') : join(projectRoot, 'tests/.reports/build', databaseName)
  if (!process.env.TEST_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [join(projectRoot, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir },
      encoding: 'utf8',
    })
    if (build.status !== 0) throw new Error(`remix vite:build failed:\n${build.stdout}\n${build.stderr}`)
  }
  project.provide('buildDir', buildDir)
  web = startProcess('app/server.ts', { ...envFor(context), NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir })
  await waitFor(
    async () => (await fetch(`${context.appUrl}/`)).status === 200,
    60_000,
    `web server on ${context.appUrl} (${web.output()})`,
  )
}

/** The test Redis outlives the run: remove every key under the run's prefix (its queues, limits, heartbeats). */
async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisBase, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      if (keys.length) await redis.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

export async function teardown(): Promise<void> {
  await web?.stop()
  await sink?.close()
  if (queuePrefix) await removeRedisKeys(queuePrefix)
  if (databaseName && !process.env.TEST_KEEP_DATABASE) {
    await dropScratchDatabase(databaseName)
    rmSync(join(projectRoot, 'tests/.reports/mail', databaseName), { recursive: true, force: true })
    if (!process.env.TEST_SKIP_BUILD) rmSync(buildDir, { recursive: true, force: true })
  }
}
