// Production web server: Express serving the Remix build (`npm start`). Several of these can run side by side.
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { getEnv } from './utils/env.server.ts'
import { logger } from './utils/logger.server.ts'

const env = getEnv()
const buildDir = resolve(process.env.RELAIS_BUILD_DIR ?? 'build')
const build = (await import(pathToFileURL(join(buildDir, 'server/index.js')).href)) as ServerBuild

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', true)
app.use(compression())
app.use('/assets', express.static(join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }))
app.use(express.static(join(buildDir, 'client'), { maxAge: '1h' }))
app.all('*', createRequestHandler({ build, mode: 'production' }))

const server = app.listen(env.PORT, () => logger.info({ port: env.PORT }, 'web server listening'))
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
