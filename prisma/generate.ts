// `npm run db:generate`: generates the Prisma client into app/generated/prisma (git-ignored).
// `prisma generate` needs no schema engine, but the CLI insists on finding one and would download it from Prisma's
// servers; when no engine is installed, point it at a stand-in that explains itself if it is ever run.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const env = { ...process.env }
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const standIn = join(root, 'node_modules/.cache/relais/schema-engine-unavailable')
  if (!existsSync(standIn)) {
    mkdirSync(join(standIn, '..'), { recursive: true })
    writeFileSync(standIn, '#!/bin/sh\necho "Relais applies migrations with npm run db:migrate (Prisma schema engine, wasm build)." >&2\nexit 1\n')
    chmodSync(standIn, 0o755)
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = standIn
}
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules/prisma/build/index.js'), 'generate', '--config', 'prisma/prisma.config.ts'],
  { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] },
)
process.exit(result.status ?? 1)
