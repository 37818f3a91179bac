// The configuration every test process shares: its own database, Redis DB and prefix, app and SMTP ports.
export interface TestContext {
  databaseUrl: string
  databaseName: string
  redisUrl: string
  queuePrefix: string
  appUrl: string
  /** Port of the SMTP listener the app and worker send to during tests (tests/helpers/smtp.ts reads it). */
  smtpPort: number
}

export const SESSION_SECRET = 'test-secret-0123456789abcdef0123456789abcdef'
export const MAIL_FROM = 'Relais test <relais@test.example>'

export function envFor(context: TestContext): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: context.databaseUrl,
    REDIS_URL: context.redisUrl,
    QUEUE_PREFIX: context.queuePrefix,
    APP_URL: context.appUrl,
    SESSION_SECRET,
    MAIL_FROM,
    SMTP_URL: `smtp://127.0.0.1:${context.smtpPort}`,
    PORT: new URL(context.appUrl).port,
    LOG_LEVEL: 'silent',
  }
}

/** Environment for a second web server of the run (e.g. pointed at another Redis): it serves the run's build. */
export function webServerEnv(context: TestContext, buildDir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { ...envFor(context), NODE_ENV: 'production', RELAIS_BUILD_DIR: buildDir, ...overrides }
}
