// Reads what PostgreSQL itself says a database's schema is (tables, columns, enums, keys, indexes), as plain text
// lines that two databases can be compared on. CHECK constraints and pg_trgm
// search indexes (named *_trgm_idx) are left out: Prisma's schema cannot express them.
import pg from 'pg'

const queries = {
  columns: `
    SELECT format('column %s.%s %s%s null=%s default=%s', c.table_name, c.column_name,
                  CASE WHEN c.data_type = 'ARRAY' THEN c.udt_name ELSE c.data_type END,
                  CASE WHEN c.character_maximum_length IS NOT NULL THEN '(' || c.character_maximum_length || ')'
                       WHEN c.datetime_precision IS NOT NULL AND c.data_type LIKE 'timestamp%' THEN '(' || c.datetime_precision || ')'
                       ELSE '' END,
                  c.is_nullable, coalesce(c.column_default, '-')) AS line
    FROM information_schema.columns c
    WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`,
  enums: `
    SELECT format('enum %s (%s)', t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)) AS line
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`,
  constraints: `
    SELECT format('constraint %s on %s: %s', con.conname, rel.relname, pg_get_constraintdef(con.oid)) AS line
    FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
    WHERE n.nspname = 'public' AND con.contype IN ('p', 'f', 'u', 'x') AND rel.relname <> '_prisma_migrations'`,
  indexes: `
    SELECT format('index %s', indexdef) AS line FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      -- Trigram (pg_trgm) expression indexes for search are hand-written migrations Prisma cannot express.
      AND indexname NOT LIKE '%\\_trgm\\_idx'`,
}

export async function readCatalog(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const lines: string[] = []
    for (const sql of Object.values(queries)) {
      const result = await client.query<{ line: string }>(sql)
      lines.push(...result.rows.map((row) => row.line))
    }
    return lines.sort()
  } finally {
    await client.end()
  }
}

/** Lines present in one catalog and not the other, marked "-" (only expected) or "+" (only actual). */
export function catalogDifferences(expected: string[], actual: string[]): string[] {
  const inActual = new Set(actual)
  const inExpected = new Set(expected)
  return [
    ...expected.filter((line) => !inActual.has(line)).map((line) => `- ${line}`),
    ...actual.filter((line) => !inExpected.has(line)).map((line) => `+ ${line}`),
  ]
}
