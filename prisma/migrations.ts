// Applies and authors migrations with Prisma's own schema engine (prisma/engine.ts), keeping the
// `_prisma_migrations` table exactly as `prisma migrate deploy` keeps it.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MigrationList } from '@prisma/schema-engine-wasm'
import { noFilter, openSchemaEngine } from './engine.ts'

export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url))
export const schemaPath = fileURLToPath(new URL('./schema.prisma', import.meta.url))

function readMigrations(): MigrationList {
  const directories = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  }
}

/** Applies every pending migration; returns the names applied. Safe to run concurrently and repeatedly. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const engine = await openSchemaEngine(databaseUrl)
  try {
    const result = await engine.applyMigrations({ migrationsList: readMigrations(), filters: noFilter })
    return result.appliedMigrationNames
  } finally {
    engine.free()
  }
}

/** The SQL that turns the datamodel `from` (or an empty database) into `to`, as `prisma migrate diff` writes it. */
export async function diffDatamodels(databaseUrl: string, from: string | null, to: string): Promise<string> {
  // The engine connects to `databaseUrl` but reads and changes nothing there for a datamodel-to-datamodel diff.
  const engine = await openSchemaEngine(databaseUrl, to)
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    })
    return result.stdout ?? ''
  } finally {
    engine.free()
  }
}
