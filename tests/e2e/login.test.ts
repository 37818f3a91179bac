// In Chromium: a staff member opens the sign-in page, mistypes, then types the right password and lands on the
// dashboard; signing out brings the sign-in page back.
import { type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { TEST_PASSWORD } from '#tests/helpers/staff.ts'
import { programActor } from '~/models/audit.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

describe('signing in with a browser', () => {
  it('signs in, sees the dashboard, and signs out', async () => {
    const email = uniqueAddress('e2e-login')
    await createStaffUser({ email, name: 'Nadia Navigatrice', password: TEST_PASSWORD, role: 'ADMIN' }, programActor('test'))
    const { context, page } = await newPage(browser)
    try {
      await page.goto('/admin')
      // Anonymous: sent to the sign-in page, which will come back to /admin.
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirectTo') === '/admin')
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connexion à l’espace équipe')
      await page.screenshot({ path: screenshotPath('login-page'), fullPage: true })

      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Mot de passe').fill('pas le bon mot de passe')
      await page.getByRole('button', { name: 'Se connecter' }).click()
      const alert = page.getByRole('alert')
      await alert.waitFor()
      expect(await alert.textContent()).toContain('Adresse électronique ou mot de passe incorrect.')
      await page.screenshot({ path: screenshotPath('login-wrong-password'), fullPage: true })

      await page.getByLabel('Mot de passe').fill(TEST_PASSWORD)
      await page.getByRole('button', { name: 'Se connecter' }).click()
      await page.waitForURL((url) => url.pathname === '/admin')
      const heading = page.getByRole('heading', { level: 1, name: 'Tableau de bord' })
      await heading.waitFor()
      expect(await page.getByRole('navigation', { name: 'Navigation de l’espace équipe' }).getByRole('link', { name: 'Équipe' }).count()).toBe(1)
      expect(await page.getByText('Connecté·e en tant que Nadia Navigatrice').count()).toBe(1)
      await page.screenshot({ path: screenshotPath('dashboard'), fullPage: true })

      await page.getByRole('button', { name: 'Se déconnecter' }).click()
      await page.waitForURL((url) => url.pathname === '/login')
      await page.goto('/admin')
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirectTo') === '/admin')
    } finally {
      await context.close()
    }
  })
})
