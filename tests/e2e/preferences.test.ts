// In Chromium: the preference centre, its profile error state (without JavaScript, as the server answers it), the
// erase step, the unsubscribe page before and after its button, and a broken link's page; axe-core finds no
// serious or critical violation on any of them.
import { randomUUID } from 'node:crypto'
import { type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { prisma } from '~/utils/db.server.ts'
import { preferencesUrl, unsubscribeUrl } from '~/utils/links.server.ts'
import { seriousViolations } from '#tests/helpers/axe.ts'

let browser: Browser
let listId = 0

beforeAll(async () => {
  browser = await launchBrowser()
  listId = (await prisma.mailingList.create({ data: { slug: `e2e-pref-${randomUUID()}`, name: 'La lettre des essais', cadence: 'Chaque mois', isPublic: false } })).id
})

afterAll(async () => {
  await browser?.close()
})

async function person() {
  return prisma.contact.create({
    data: { email: uniqueAddress('e2e-pref'), firstName: 'Aude', subscriptions: { create: [{ listId, status: 'CONFIRMED', confirmedAt: new Date() }] } },
  })
}

function path(url: string): string {
  return new URL(url).pathname
}

describe('preference centre in a browser', () => {
  it('the page, its profile error state and the erase step pass axe', async () => {
    const contact = await person()
    const { context, page } = await newPage(browser)
    // The app's own scripts are blocked (the page works as without JavaScript: the server checks the form), while
    // axe-core can still be injected.
    await page.route(/\/assets\/.*\.js$/, (route) => route.abort())
    try {
      await page.goto(path(preferencesUrl(contact.id)))
      await page.getByRole('heading', { level: 1, name: 'Vos préférences' }).waitFor()
      expect(await page.getByLabel('La lettre des essais').isChecked()).toBe(true)
      await page.screenshot({ path: screenshotPath('preferences'), fullPage: true })
      expect(await seriousViolations(page)).toEqual([])

      // Without JavaScript the server checks the form: too long a name comes back with its error tied to the field.
      // The field's maxlength stops a keyboard; a hand-made request does not, and the server must say why.
      await page.getByLabel('Prénom (facultatif)').evaluate((input) => input.removeAttribute('maxlength'))
      await page.getByLabel('Prénom (facultatif)').fill('x'.repeat(120))
      await page.getByRole('button', { name: 'Enregistrer mon profil' }).click()
      await page.getByRole('alert').waitFor({ timeout: 5000 })
      expect(await page.getByRole('alert').textContent()).toContain('Le profil n’a pas été enregistré.')
      // The summary names the field and links to it.
      await page.getByRole('alert').getByRole('link', { name: 'Prénom (facultatif) : Ce texte est trop long' }).click()
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('firstName')
      const field = page.getByLabel('Prénom (facultatif)')
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('trop long')
      await page.screenshot({ path: screenshotPath('preferences-profile-error'), fullPage: true })
      expect(await seriousViolations(page)).toEqual([])

      await page.getByRole('link', { name: 'Effacer mes données' }).click()
      await page.getByRole('heading', { level: 1, name: 'Effacer mes données' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe('ACTIVE')
    } finally {
      await context.close()
    }
  })

  it('with JavaScript: saving the lists by keyboard works, and a profile error marks its field', async () => {
    const contact = await person()
    const { context, page } = await newPage(browser)
    try {
      await page.goto(path(preferencesUrl(contact.id)))
      await page.getByLabel('La lettre des essais').focus()
      await page.keyboard.press('Space')
      await page.getByRole('button', { name: 'Enregistrer mes abonnements' }).focus()
      await page.keyboard.press('Enter')
      await page.getByText('Vos abonnements sont enregistrés.').waitFor({ timeout: 5000 })
      const subscription = await prisma.subscription.findUniqueOrThrow({ where: { contactId_listId: { contactId: contact.id, listId } } })
      expect(subscription.status).toBe('UNSUBSCRIBED')

      await page.getByLabel('Territoire (facultatif)').evaluate((input) => input.removeAttribute('maxlength'))
      await page.getByLabel('Territoire (facultatif)').fill('t'.repeat(81))
      await page.getByRole('button', { name: 'Enregistrer mon profil' }).click()
      const field = page.getByLabel('Territoire (facultatif)')
      await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null, undefined, { timeout: 5000 })
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      expect(await seriousViolations(page)).toEqual([])
    } finally {
      await context.close()
    }
  })
})

describe('unsubscribe page in a browser', () => {
  it('asks, then says it is done; both pass axe', async () => {
    const contact = await person()
    const { context, page } = await newPage(browser)
    try {
      await page.goto(path(unsubscribeUrl({ contactId: contact.id, listIds: [listId] })))
      await page.getByRole('heading', { level: 1, name: 'Se désabonner' }).waitFor()
      expect(await page.getByText('Voulez-vous vraiment vous désabonner de la lettre « La lettre des essais » ?').count()).toBe(1)
      expect(await seriousViolations(page)).toEqual([])
      await page.screenshot({ path: screenshotPath('unsubscribe'), fullPage: true })

      await page.getByRole('button', { name: 'Confirmer le désabonnement' }).click()
      await page.getByRole('heading', { level: 1, name: 'C’est fait' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      await page.screenshot({ path: screenshotPath('unsubscribe-done'), fullPage: true })
      const subscription = await prisma.subscription.findUniqueOrThrow({ where: { contactId_listId: { contactId: contact.id, listId } } })
      expect(subscription.status).toBe('UNSUBSCRIBED')

      await page.getByRole('link', { name: 'Gérer toutes mes préférences' }).click()
      await page.getByRole('heading', { level: 1, name: 'Vos préférences' }).waitFor()
    } finally {
      await context.close()
    }
  })

  it('a broken link shows a French page that passes axe', async () => {
    const { context, page } = await newPage(browser)
    try {
      const response = await page.goto('/unsubscribe/1.pas-un.jeton')
      expect(response?.status()).toBe(404)
      await page.getByRole('heading', { level: 1, name: 'Ce lien ne fonctionne pas' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      const expired = await page.goto(path(preferencesUrl(1, new Date(Date.now() - 6 * 366 * 24 * 3600 * 1000))))
      expect(expired?.status()).toBe(410)
      await page.getByRole('heading', { level: 1, name: 'Ce lien a expiré' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      await page.screenshot({ path: screenshotPath('preferences-link-expired'), fullPage: true })
    } finally {
      await context.close()
    }
  })
})
