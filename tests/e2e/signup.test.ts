// In Chromium: /newsletters has no serious or critical axe violation (blank, with errors, without JavaScript), and
// a visitor signs up and confirms with the keyboard only (Tab, Space, Enter), the proof-of-work solved by the widget.
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import type { RunningProcess } from '#tests/helpers/processes.ts'
import { confirmLinkIn, createTestList, startWorker } from '#tests/helpers/signup.ts'
import { prisma } from '~/utils/db.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { seriousViolations } from '#tests/helpers/axe.ts'

let browser: Browser
let worker: RunningProcess
let list: Awaited<ReturnType<typeof createTestList>>

beforeAll(async () => {
  browser = await launchBrowser()
  worker = await startWorker()
  list = await createTestList('e2e-signup')
})

afterAll(async () => {
  await browser?.close()
  await worker?.stop()
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

/** Presses Tab until the element matching `selector` has the focus (keyboard only, no clicks). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

describe('/newsletters in a browser', () => {
  it('has no serious or critical axe violation, blank and with errors', async () => {
    const { context, page } = await newPage(browser)
    try {
      await page.goto('/newsletters')
      expect(await seriousViolations(page)).toEqual([])
      await page.getByRole('button', { name: 'M’abonner' }).click()
      const summary = page.getByRole('alert')
      await summary.waitFor()
      expect(await summary.textContent()).toContain('Cochez au moins une lettre d’information.')
      // Focus moved to the summary, which names each problem.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
      await page.screenshot({ path: screenshotPath('signup-errors'), fullPage: true })
      expect(await seriousViolations(page)).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('shows server-side errors without JavaScript, also without violations', async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto('/newsletters')
      await page.getByLabel('Adresse électronique').fill('pas-une-adresse')
      await page.getByRole('button', { name: 'M’abonner' }).click()
      await page.getByText('Saisissez une adresse électronique valide').first().waitFor()
      expect(await page.getByLabel('Adresse électronique').getAttribute('aria-invalid')).toBe('true')
      await page.screenshot({ path: screenshotPath('signup-errors-nojs'), fullPage: true })
    } finally {
      await context.close()
    }
    // axe needs scripts: check the same server-rendered error page with JavaScript on but before any interaction.
    const withJs = await newPage(browser)
    try {
      await withJs.page.goto('/newsletters')
      await withJs.page.evaluate(() => document.querySelector('form.signup-form')?.setAttribute('novalidate', ''))
      await withJs.page.evaluate(() => (document.querySelector('form.signup-form') as HTMLFormElement).submit())
      await withJs.page.getByText('Cochez au moins une lettre d’information.').first().waitFor()
      expect(await seriousViolations(withJs.page)).toEqual([])
    } finally {
      await withJs.context.close()
    }
  })

  it('signs up and confirms with the keyboard only', async () => {
    const email = uniqueAddress('e2e-keyboard')
    const { context, page } = await newPage(browser)
    try {
      await page.goto('/newsletters')
      // The widget solves its challenge on load; its hidden field then carries the solution.
      await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, undefined, { timeout: 20_000 })
      await tabTo(page, `input[type="checkbox"][value="${list.slug}"]`)
      await page.keyboard.press('Space')
      await tabTo(page, 'input[name="email"]')
      await page.keyboard.type(email)
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor()
      await page.screenshot({ path: screenshotPath('signup-received'), fullPage: true })

      const [message] = await waitForMessages(email)
      await page.goto(confirmLinkIn(message!.parsed.text))
      await tabTo(page, 'button[type="submit"]')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: 'Inscription confirmée' }).waitFor()
      const subscription = await prisma.subscription.findFirstOrThrow({ where: { contact: { email }, listId: list.id } })
      expect(subscription.status).toBe('CONFIRMED')
      const records = await prisma.consentRecord.findMany({ where: { contactId: subscription.contactId }, orderBy: { id: 'asc' } })
      // The widget's proof-of-work went with the form: the first record is a web sign-up.
      expect(records.map((record) => record.action)).toEqual(['SUBSCRIBE', 'CONFIRM'])
    } finally {
      await context.close()
    }
  })
})
