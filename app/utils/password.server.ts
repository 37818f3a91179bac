// Owns password hashing: argon2id with OWASP's recommended parameters, and a dummy verification that keeps
// "no such account" as slow as "wrong password".
import { hash, verify, type Algorithm } from '@node-rs/argon2'

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 passes, 1 lane. */
const options = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, which isolatedModules cannot read)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    // A malformed stored hash must not open the door nor crash the login page.
    return false
  }
}

let dummyHash: Promise<string> | undefined

/** Burns the same time as a real verification, for unknown or disabled accounts; always false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('relais-dummy-password-never-matches')
  await verifyPassword(await dummyHash, password)
  return false
}
