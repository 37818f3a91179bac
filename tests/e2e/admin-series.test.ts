// In Chromium (fr-FR): a staff member creates a series from the "Cycles" menu, fills the generation form on the
// series page with an unreadable exception (French error summarised, focused, tied to its field; axe clean), fixes
// it, previews the Thursdays with the zone named and the holidays left out, confirms, and finds the sessions listed
// at 12:15 on the series page.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, screenshotPath, signedInPage } from '#tests/helpers/browser.ts'
import { createTestStaff, type TestStaff } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'

let browser: Browser
let editor: TestStaff
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

beforeAll(async () => {
  browser = await launchBrowser()
  editor = await createTestStaff('EDITOR', { label: 'series-e2e' })
})

afterAll(async () => {
  await browser?.close()
  await prisma.$disconnect()
})

describe('staff series in the browser', () => {
  it('creates a series, previews its Thursdays and creates them', async () => {
    const { context, page, problems } = await signedInPage(browser, editor.cookie)
    await page.goto('/admin')
    await page.getByRole('link', { name: 'Cycles' }).click()
    await page.getByRole('link', { name: 'Nouveau cycle' }).click()
    await page.getByLabel('Titre', { exact: true }).fill(`Les Jeudis de l’ODD 17 ${tag}`)
    await page.getByLabel('Identifiant dans l’adresse').fill(`jeudis-e2e-${tag}`)
    await page.getByLabel('Statut', { exact: true }).selectOption('PUBLISHED')
    await page.getByRole('button', { name: 'Créer le cycle' }).click()
    await page.waitForURL(/\/admin\/series\/\d+\?created=1$/)
    const seriesId = Number(/\/admin\/series\/(\d+)/.exec(page.url())?.[1])
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Le cycle a été créé.')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByLabel('jeudi', { exact: true }).check()
    await page.getByLabel('Première date').fill('2027-09-02')
    await page.getByLabel('Dernière date').fill('2027-11-25')
    await page.getByLabel('Heure de début').fill('12:15')
    await page.getByLabel('Heure de fin').fill('13:00')
    await page.getByLabel('Exceptions (dates sans séance)').fill('Toussaint : 16/10/2027 au 01/11/2027\nle 21 octobre')
    await page.getByLabel('Lien de connexion (en ligne ; jamais affiché publiquement)').fill('https://visio.example/odd17')
    await page.getByRole('button', { name: 'Prévisualiser les séances' }).click()

    await page.waitForURL(`**/admin/series/${seriesId}/generate`)
    const summary = page.locator('.error-summary')
    await expect.poll(() => summary.textContent()).toContain('Ligne 2 des exceptions (« le 21 octobre ») : illisible.')
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true)
    expect(await page.locator('#gen-exceptions').getAttribute('aria-describedby')).toBe('gen-exceptions-hint gen-exceptions-error')
    expect(await page.locator('#gen-exceptions').inputValue()).toBe('Toussaint : 16/10/2027 au 01/11/2027\nle 21 octobre')
    expect(await page.locator('#gen-startTime').inputValue()).toBe('12:15')
    expect(await seriousViolations(page)).toEqual([])

    await page.locator('#gen-exceptions').fill('Toussaint : 16/10/2027 au 01/11/2027')
    await page.getByRole('button', { name: 'Prévisualiser les séances' }).click()
    const preview = page.getByRole('region', { name: 'Aperçu' })
    await expect.poll(() => preview.textContent()).toContain('11 séances seront créées (fuseau Europe/Paris)')
    expect(await preview.textContent()).toContain('jeudi 4 novembre 2027, 12:15–13:00 (heure normale d’Europe centrale)')
    expect(await preview.textContent()).toContain('jeudi 28 octobre 2027')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshotPath('admin-series-preview'), fullPage: true })
    expect(await prisma.event.count({ where: { seriesId } })).toBe(0)

    await page.getByRole('button', { name: 'Créer les 11 séances' }).click()
    await page.waitForURL(new RegExp(`/admin/series/${seriesId}\\?generated=11&existing=0$`))
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('11 séances ont été créées.')
    const rows = page.locator('table.series-sessions tbody tr')
    expect(await rows.count()).toBe(11)
    expect(await rows.nth(8).textContent()).toContain('jeudi 11 novembre 2027, 12:15–13:00')
    expect((await prisma.event.findMany({ where: { seriesId }, orderBy: { startsAt: 'asc' } })).map((event) => event.startsAt.toISOString().slice(11, 16))).toEqual([
      '10:15', '10:15', '10:15', '10:15', '10:15', '10:15', '10:15', '11:15', '11:15', '11:15', '11:15',
    ])
    expect(await seriousViolations(page)).toEqual([])
    // The refused rule was answered 400 on purpose; nothing else may fail.
    expect(problems.filter((problem) => !/^400 .*\/generate/.test(problem))).toEqual([])
    expect(problems.length).toBeLessThanOrEqual(1)
    await context.close()
  })
})
