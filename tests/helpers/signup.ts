// Helpers for the public sign-up tests: lists of their own, a solved ALTCHA proof-of-work as the widget would post
// it, a form post from a chosen client address (the server believes X-Forwarded-For from a local proxy).
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { solveChallenge, type Challenge } from 'altcha-lib'
import { deriveKey } from 'altcha-lib/algorithms/sha'
import { inject } from 'vitest'
import { workerHeartbeatKey } from '#jobs/heartbeat.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { envFor } from './test-env.ts'
import { startProcess, waitFor, type RunningProcess } from './processes.ts'

const { appUrl } = inject('testContext')

export async function createTestList(label: string, options: { doubleOptIn?: boolean; isPublic?: boolean } = {}) {
  const suffix = randomBytes(4).toString('hex')
  return prisma.mailingList.create({
    data: { slug: `${label}-${suffix}`, name: `Lettre ${label} ${suffix}`, description: `Tout sur ${label}.`, doubleOptIn: options.doubleOptIn ?? true, isPublic: options.isPublic ?? true },
  })
}

/** A random client address, so that each scenario has its own per-address budget. */
export function randomIp(): string {
  const bytes = randomBytes(3)
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

/** What the widget posts in the `altcha` field: a fresh challenge from the server, solved. */
export async function solvedPow(): Promise<string> {
  const challenge = (await (await fetch(`${appUrl}/newsletters/challenge`)).json()) as Challenge
  const solution = await solveChallenge({ challenge, deriveKey })
  if (!solution) throw new Error('could not solve the challenge')
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64')
}

export function signupFields(email: string, slugs: string[], extra: Record<string, string> = {}): URLSearchParams {
  const body = new URLSearchParams({ email, firstName: 'Camille', lastName: 'Test', organization: 'Commune de Test', actorType: 'PUBLIC_AGENT', territory: '33', locale: 'fr', ...extra })
  for (const slug of slugs) body.append('lists', slug)
  return body
}

export function postForm(path: string, body: URLSearchParams, options: { ip?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${appUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': options.ip ?? randomIp(), ...options.headers },
    body,
  })
}

/** Starts jobs/worker.ts on the run's queues (the web server enqueues there) and waits for its heartbeat. */
export async function startWorker(): Promise<RunningProcess> {
  // Warnings and errors reach the output, so that a worker that cannot start says why.
  const worker = startProcess('jobs/worker.ts', { ...envFor(inject('testContext')), LOG_LEVEL: 'warn' })
  const key = workerHeartbeatKey(`${hostname()}-${worker.child.pid}`)
  await waitFor(
    async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited with ${worker.child.exitCode}: ${worker.output()}`)
      return (await redis.exists(key)) === 1
    },
    60_000,
    'worker heartbeat',
  )
  return worker
}

export function confirmLinkIn(text: string | undefined): string {
  const match = /https?:\/\/[^\s\]]+\/newsletters\/confirm\/[A-Za-z0-9._-]+/.exec(text ?? '')
  if (!match) throw new Error('no confirmation link in the message')
  return match[0]
}
