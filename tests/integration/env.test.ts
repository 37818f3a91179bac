// Configuration is validated at start: a missing or malformed variable stops the process with one clear line.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/utils/env.server.ts'
import { projectRoot } from '#tests/helpers/processes.ts'

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/relais',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  APP_URL: 'https://relais.example.org/',
  SESSION_SECRET: 'x'.repeat(32),
  MAIL_FROM: 'Relais <relais@example.org>',
}

describe('environment validation', () => {
  it('accepts a complete configuration and applies defaults', () => {
    const env = parseEnv(valid)
    expect(env.PORT).toBe(3000)
    expect(env.APP_URL).toBe('https://relais.example.org')
    expect(env.SMTP_URL).toBeUndefined()
  })

  it.each([
    ['DATABASE_URL', undefined, /DATABASE_URL manquante/],
    ['DATABASE_URL', 'mysql://localhost/x', /DATABASE_URL doit être une URL postgresql/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL doit être une URL redis/],
    ['APP_URL', 'relais.example.org', /APP_URL doit être une URL http/],
    ['SESSION_SECRET', 'court', /SESSION_SECRET trop courte/],
    ['SMTP_URL', 'http://smtp.example.org', /SMTP_URL doit être une URL smtp/],
    ['MAIL_FROM', 'pas une adresse', /MAIL_FROM doit être une adresse/],
    ['PORT', 'abc', /PORT doit être un nombre/],
  ])('names %s when it is %s', (name, value, message) => {
    expect(() => parseEnv({ ...valid, [name]: value })).toThrow(message)
  })

  it('stops the worker process with one line naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', ...valid, REDIS_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe('Configuration invalide : REDIS_URL vide (exemple : redis://127.0.0.1:6379/0)')
  })
})
