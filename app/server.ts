// Production web server: Express serving the Remix build (`npm start`). Several of these can run side by side.
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { refuseCrossSiteWrites } from './utils/csrf.server.ts'
import { getEnv } from './utils/env.server.ts'
import { logger } from './utils/logger.server.ts'

const env = getEnv()
const buildDir = resolve(process.env.RELAIS_BUILD_DIR ?? 'build')
const build = (await import(pathToFileURL(join(buildDir, 'server/index.js')).href)) as ServerBuild

const app = express()
app.disable('x-powered-by')
// Forwarded headers are believed only from a reverse proxy on this machine or the private network.
app.set('trust proxy', 'loopback, linklocal, uniquelocal')
app.use(compression())
app.use('/assets', express.static(join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' }))
app.use(express.static(join(buildDir, 'client'), { maxAge: '1h' }))
// Cross-site form posts get a French 403 here (Remix's own origin check would answer an empty 500).
app.use(refuseCrossSiteWrites)
app.all('*', createRequestHandler({ build, mode: 'production', getLoadContext: (req) => ({ clientIp: req.ip ?? null }) }))

const server = app.listen(env.PORT, () => logger.info({ port: env.PORT }, 'web server listening'))
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
