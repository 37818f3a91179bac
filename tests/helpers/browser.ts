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
