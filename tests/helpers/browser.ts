// Drives Debian's Chromium through playwright-core for end-to-end tests: one browser per test file, a fresh
// context (cookies, storage) per test, screenshots kept in tests/.reports/screenshots for a human to look at.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { projectRoot } from './processes.ts'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** A fresh context (nothing shared with other tests) opened on the app under test, in French. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: inject('testContext').appUrl, locale: 'fr-FR', viewport: { width: 1280, height: 800 }, ...options })
  return { context, page: await context.newPage() }
}

/** Where to save a screenshot named `name` (the folder is created). */
export function screenshotPath(name: string): string {
  const dir = join(projectRoot, 'tests/.reports/screenshots')
  mkdirSync(dir, { recursive: true })
  return join(dir, `${name}.png`)
}

/**
 * A fresh page signed in with `cookie` (a staff session, see tests/helpers/staff.ts) that collects what would show
 * in the browser's console as broken: script errors, console errors, and responses of 400 or more.
 */
export async function signedInPage(browser: Browser, cookie: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const { context, page } = await newPage(browser)
  const appUrl = inject('testContext').appUrl
  await context.addCookies(cookie.split('; ').map((pair) => ({ name: pair.split('=')[0]!, value: pair.slice(pair.indexOf('=') + 1), url: appUrl })))
  const problems: string[] = []
  // A missing resource is reported by its response below (with its address), not by the console's vague line.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text())
  })
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`)
  })
  page.on('pageerror', (error) => problems.push(error.message))
  return { context, page, problems }
}
