// `npm run cli -- <command> [options]`: operator commands run from a shell. Today: user:create, which makes a
// staff account (the first admin of a fresh instance). Exit codes: 0 done, 1 refused (invalid value, address
// already taken), 2 wrong usage (unknown command or option, missing option).
import { parseArgs } from 'node:util'
import { createInstance, type TFunction } from 'i18next'
import { i18nConfig } from '~/i18n.ts'
import { programActor } from '~/models/audit.server.ts'
import { PASSWORD_MIN_LENGTH, type StaffRoleName } from '~/models/staff-schema.ts'
import { createStaffUser, StaffError } from '~/models/staff.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { getEnv } from '~/utils/env.server.ts'

class UsageError extends Error {}

const roles: Record<string, StaffRoleName> = { admin: 'ADMIN', editor: 'EDITOR' }

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

async function userCreate(args: string[], t: TFunction): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      // Keeps the password out of the shell history and the process list: `… --password-stdin < file`.
      'password-stdin': { type: 'boolean' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  })
  if (!values.email) throw new UsageError(t('cli.missingOption', { option: 'email' }))
  const password = values['password-stdin'] ? await readStdinLine() : values.password
  if (password === undefined) throw new UsageError(t('cli.missingOption', { option: 'password' }))
  if (!values.role) throw new UsageError(t('cli.missingOption', { option: 'role' }))
  const role = roles[values.role.toLowerCase()]
  if (!role) throw new UsageError(t('cli.badRole', { role: values.role }))
  const name = values.name ?? values.email.split('@')[0] ?? values.email
  try {
    const user = await createStaffUser({ email: values.email, name, password, role }, programActor('cli'))
    const roleLabel = t(`staff.roles.${user.role}`)
    process.stdout.write(`${t('cli.created', { email: user.email, role: roleLabel, id: user.id, url: `${getEnv().APP_URL}/login` })}\n`)
    return 0
  } catch (error) {
    if (!(error instanceof StaffError)) throw error
    process.stderr.write(`${t('cli.refused', { reason: t(error.messageKey, { min: PASSWORD_MIN_LENGTH }) })}\n`)
    return 1
  }
}

const commands: Record<string, (args: string[], t: TFunction) => Promise<number>> = { 'user:create': userCreate }

async function main(argv: string[]): Promise<number> {
  const i18n = createInstance()
  const t = await i18n.init({ ...i18nConfig, lng: 'fr' })
  const [command, ...args] = argv
  const run = command ? commands[command] : undefined
  try {
    if (!run) throw new UsageError(command ? t('cli.unknownCommand', { command }) : t('cli.noCommand'))
    return await run(args, t)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${t('cli.usage')}\n`)
      return 2
    }
    // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION for a mistyped option.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${t('cli.badOption', { detail: error.message })}\n${t('cli.usage')}\n`)
      return 2
    }
    process.stderr.write(`${t('cli.unexpected', { detail: error instanceof Error ? error.message : String(error) })}\n`)
    return 1
  }
}

const code = await main(process.argv.slice(2))
await prisma.$disconnect()
// Importing the staff model opens the shared Redis connection (for invitation emails): leave without waiting on it.
process.exit(code)
