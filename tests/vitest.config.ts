import { fileURLToPath } from 'node:url'
import tsconfigPaths from 'vite-tsconfig-paths'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))

export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root })],
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', 'app/**/*.test.ts', 'jobs/**/*.test.ts', 'emails/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup-env.ts'],
    pool: 'forks',
    // Files share one database and one app server; they keep to their own rows, so a few may run at once.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 90_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
})
