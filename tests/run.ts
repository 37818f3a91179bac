// `npm test`: generates the Prisma client, runs every vitest suite (integration, end-to-end, unit) and ends with
// the plain summary line "N passed, N failed" read from vitest's JSON report.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const reportDir = join(root, 'tests/.reports')
const reportFile = join(reportDir, 'vitest.json')
mkdirSync(reportDir, { recursive: true })
rmSync(reportFile, { force: true })

const generate = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'prisma/generate.ts')], { cwd: root, stdio: 'inherit' })
if (generate.status !== 0) process.exit(generate.status ?? 1)

const vitest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'tests/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
)

let passed = 0
let failed = 0
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; success: boolean }
  passed = report.numPassedTests
  failed = report.numFailedTests
}
// A run that failed before any test (setup error) counts as one failure, never as a silent success.
if (vitest.status !== 0 && failed === 0) failed = 1
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exit(vitest.status ?? 1)
