// Owns structured logging. Logs carry ids, never personal data (no email addresses, no names).
import { pino } from 'pino'

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
})
