// `npm run db:migrate`: applies pending migrations to DATABASE_URL (what `prisma migrate deploy` does).
// `npm run db:migrate -- new <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between the schema at the last commit (git HEAD) and the working copy of schema.prisma.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyMigrations, diffDatamodels, migrationsDir, schemaPath } from './migrations.ts'

async function main(args: string[]): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL manque : indiquez la base à migrer.')
  if (args[0] === 'new') {
    const name = args[1]
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('Donnez un nom en minuscules : npm run db:migrate -- new ajout_champ')
    const current = readFileSync(schemaPath, 'utf8')
    const previous = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' })
    const sql = await diffDatamodels(url, previous, current)
    if (!sql.trim()) {
      process.stdout.write('Aucune différence entre schema.prisma et le dernier commit.\n')
      return
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    const dir = join(migrationsDir, `${stamp}_${name}`)
    mkdirSync(dir)
    writeFileSync(join(dir, 'migration.sql'), sql)
    process.stdout.write(`Migration écrite : ${dir}/migration.sql\n`)
    return
  }
  const applied = await applyMigrations(url)
  process.stdout.write(applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'Base déjà à jour.\n')
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
