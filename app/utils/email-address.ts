// Owns how an email address is compared and remembered: normalised (trimmed, lower case) everywhere, and
// reduced to a SHA-256 hash where only the fact "this address" may be kept (suppressions after an erasure).
import { createHash } from 'node:crypto'

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function emailHash(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex')
}
