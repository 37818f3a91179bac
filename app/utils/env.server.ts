// Owns the process configuration: validated once at start, with one clear line naming what is wrong.
import { z } from 'zod'

const url = (protocols: string[], example: string) =>
  z
    .string({ required_error: `manquante (exemple : ${example})` })
    .trim()
    .min(1, `vide (exemple : ${example})`)
    .refine((value) => {
      // An empty value is already reported as "vide": one line per variable.
      if (value === '') return true
      try {
        return protocols.includes(new URL(value).protocol)
      } catch {
        return false
      }
    }, `doit être une URL ${protocols.map((p) => p.replace(':', '://')).join(' ou ')} (exemple : ${example})`)

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url(['postgresql:', 'postgres:'], 'postgresql://postgres@127.0.0.1:5432/relais'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379/0'),
  APP_URL: url(['http:', 'https:'], 'https://relais.example.org').transform((value) => value.replace(/\/+$/, '')),
  SESSION_SECRET: z
    .string({ required_error: 'manquante (au moins 32 caractères aléatoires, par exemple : openssl rand -hex 32)' })
    .min(32, 'trop courte : au moins 32 caractères aléatoires (openssl rand -hex 32)'),
  SMTP_URL: z.preprocess(emptyToUndefined, url(['smtp:', 'smtps:'], 'smtp://user:pass@smtp.example.org:587').optional()),
  MAIL_FROM: z
    .string({ required_error: 'manquante (exemple : "Relais <lettres@example.org>")' })
    .trim()
    .regex(/^(?:[^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, 'doit être une adresse (exemple : "Relais <lettres@example.org>")'),
  PORT: z.coerce.number({ invalid_type_error: 'doit être un nombre' }).int().min(1).max(65535).default(3000),
  /** Prefix of every BullMQ key, so that several instances or test runs can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'lettres, chiffres, - ou _ seulement').default('relais'),
  DKIM_DOMAIN: z.preprocess(emptyToUndefined, z.string().optional()),
  DKIM_SELECTOR: z.preprocess(emptyToUndefined, z.string().optional()),
  DKIM_PRIVATE_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  /** Shared secret of the bounce/complaint webhook (/api/webhooks/bounces); the endpoint is off without it. */
  BOUNCE_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().min(24, 'trop court : au moins 24 caractères aléatoires').optional()),
  /** SMTP connections the worker keeps open for campaigns (each one has at most one message in flight). */
  CAMPAIGN_SMTP_CONNECTIONS: z.coerce.number({ invalid_type_error: 'doit être un nombre' }).int().min(1).max(64).default(8),
  /** Recipients per campaign job. */
  CAMPAIGN_BATCH_SIZE: z.coerce.number({ invalid_type_error: 'doit être un nombre' }).int().min(10).max(5000).default(250),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Env = z.infer<typeof envSchema>

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace NodeJS {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augments ProcessEnv with our names
    interface ProcessEnv extends Partial<Record<keyof z.input<typeof envSchema>, string>> {}
  }
}

export class EnvError extends Error {}

/** Parses the environment; throws an EnvError whose message is one line per problem, naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `Configuration invalide : ${issue.path.join('.')} ${issue.message}`)
  throw new EnvError(lines.join('\n'))
}

let cached: Env | undefined

/** The validated environment; the first call validates it and stops the process with a clear line if it is wrong. */
export function getEnv(): Env {
  if (cached) return cached
  try {
    cached = parseEnv(process.env)
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  return cached
}
