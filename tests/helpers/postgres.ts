// Scratch databases for tests: created beside the run's database on the same server, dropped afterwards.
import pg from 'pg'

/** The server's maintenance database, from which test databases are created and dropped. */
export const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** The URL of database `name` on the same server as `url` (query string kept). */
export function databaseUrlFor(name: string, url = adminUrl): string {
  return url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`)
}

/** Runs one SQL script (several statements allowed) on `url` over a short-lived connection. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Creates an empty database `name` (dropping a leftover of the same name first) and returns its URL. */
export async function createScratchDatabase(name: string): Promise<string> {
  await dropScratchDatabase(name)
  await runSql(adminUrl, `CREATE DATABASE "${name}"`)
  return databaseUrlFor(name)
}

export async function dropScratchDatabase(name: string): Promise<void> {
  await runSql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
