// Fails when prisma/schema.prisma and the database the migrations build disagree: models, columns, types,
// nullability, defaults, enums, keys, uniques and indexes. The expected side is what Prisma's own schema engine
// generates from schema.prisma into an empty database; the actual side is the test run's migrated database.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { applyMigrations, diffDatamodels, migrationsDir, schemaPath } from '../../prisma/migrations.ts'
import { createScratchDatabase, databaseUrlFor, dropScratchDatabase, runSql } from '#tests/helpers/postgres.ts'
import { catalogDifferences, readCatalog } from '#tests/helpers/schema-catalog.ts'

const { databaseUrl, databaseName } = inject('testContext')
const scratch = { expected: `${databaseName}_expected`, tampered: `${databaseName}_tampered` }
let expectedCatalog: string[] = []

beforeAll(async () => {
  for (const name of Object.values(scratch)) await createScratchDatabase(name)
  const ddl = await diffDatamodels(databaseUrl, null, readFileSync(schemaPath, 'utf8'))
  await runSql(databaseUrlFor(scratch.expected), ddl)
  expectedCatalog = await readCatalog(databaseUrlFor(scratch.expected))
})

afterAll(async () => {
  for (const name of Object.values(scratch)) await dropScratchDatabase(name)
})

describe('schema drift', () => {
  it('the migrated database matches schema.prisma exactly', async () => {
    expect(expectedCatalog.length).toBeGreaterThan(200)
    expect(catalogDifferences(expectedCatalog, await readCatalog(databaseUrl))).toEqual([])
  })

  it('notices a missing index, a changed nullability and an extra column', async () => {
    const url = databaseUrlFor(scratch.tampered)
    await applyMigrations(url)
    await runSql(
      url,
      `DROP INDEX "Delivery_campaignId_status_id_idx";
       ALTER TABLE "Event" ALTER COLUMN "joinUrl" SET NOT NULL;
       ALTER TABLE "Contact" ADD COLUMN "nickname" TEXT;`,
    )
    const differences = catalogDifferences(expectedCatalog, await readCatalog(url))
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^- index CREATE INDEX "Delivery_campaignId_status_id_idx"/),
        '- column Event.joinUrl text null=YES default=-',
        '+ column Event.joinUrl text null=NO default=-',
        '+ column Contact.nickname text null=YES default=-',
      ]),
    )
  })

  it('records the migrations as prisma migrate deploy does', async () => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null; checksum: string }>(
        'SELECT migration_name, finished_at, rolled_back_at, checksum FROM _prisma_migrations ORDER BY migration_name',
      )
      const onDisk = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
      expect(onDisk[0]).toBe('20261122000000_init')
      expect(rows.map((row) => row.migration_name)).toEqual(onDisk)
      for (const row of rows) {
        expect(row.finished_at).not.toBeNull()
        expect(row.rolled_back_at).toBeNull()
        // Prisma's checksum is the SHA-256 of the migration file: an edited, already-applied migration shows.
        const file = readFileSync(join(migrationsDir, row.migration_name, 'migration.sql'))
        expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'))
      }
    } finally {
      await client.end()
    }
  })
})
