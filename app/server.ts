// Production web server: Express serving the Remix build (`npm start`). Several of these can run side by side.
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { getEnv } from './utils/env.server.ts'
import { logger } from './utils/logger.server.ts'

const env = getEnv()
const buildPath = new URL('../build/server/index.js', import.meta.url).href
const build = (await import(buildPath)) as ServerBuild

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', true)
app.use(compression())
app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
app.use(express.static('build/client', { maxAge: '1h' }))
app.all('*', createRequestHandler({ build, mode: 'production' }))

const server = app.listen(env.PORT, () => logger.info({ port: env.PORT }, 'web server listening'))
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
