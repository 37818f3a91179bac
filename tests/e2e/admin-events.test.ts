// In Chromium (fr-FR): a staff member sends the event form empty and gets French errors summarised and tied to
// their fields (axe finds no serious violation on the form with errors), then creates an in-person event at 12:15
// Paris with a rich description, a question, a speaker and a cover image, lands on its page with the time shown in
// the event's zone, and finds it on the dashboard; then, on an event's page, changes its reminder delays (a box
// unticked, one ticked, another delay in minutes) and reads them back in the "Messages aux inscrit·es" section and
// in the stored event.
import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath, signedInPage } from '#tests/helpers/browser.ts'
import { createTestStaff, type TestStaff } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'

let browser: Browser
let editor: TestStaff
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** A 1×1 PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

beforeAll(async () => {
  browser = await launchBrowser()
  editor = await createTestStaff('EDITOR', { label: 'events-e2e', name: 'Camille Organisatrice' })
})

afterAll(async () => {
  await browser?.close()
  await prisma.$disconnect()
})

describe('staff event form in the browser', () => {
  it('shows French errors an assistive technology can reach, then creates an event seen on the dashboard', async () => {
    const { context, page, problems } = await signedInPage(browser, editor.cookie)
    await page.goto('/admin/events/new')
    await page.getByRole('button', { name: 'Créer l’événement' }).click()
    const summary = page.getByRole('alert')
    await expect.poll(() => summary.textContent()).toContain('Indiquez le titre de l’événement.')
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true)
    expect(await page.locator('#event-title').getAttribute('aria-describedby')).toBe('event-title-error')
    expect(await page.locator('#event-title').getAttribute('aria-invalid')).toBe('true')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshotPath('admin-events-form-errors'), fullPage: true })

    const title = `Rencontre e2e ${tag}`
    await page.getByLabel('Sur place', { exact: true }).check()
    await page.locator('#event-title').fill(title)
    await page.locator('#event-summary').fill('Un déjeuner de travail.')
    await page.locator('#event-description').click()
    await page.keyboard.type('Ordre du jour à venir.')
    await page.locator('#event-startDate').fill('2027-11-04')
    await page.locator('#event-startTime').fill('12:15')
    await page.locator('#event-endTime').fill('13:30')
    await page.locator('#event-venueAddress').fill('12 rue de la République, 69001 Lyon')
    await page.locator('#event-capacity').fill('40')
    await page.locator('#event-questions-0-label').fill('Votre commune')
    await page.getByRole('button', { name: 'Ajouter une question' }).click()
    await page.locator('#event-questions-2-label').fill('Venez-vous en vélo ?')
    await page.locator('#event-questions-2-type').selectOption('yes_no')
    await page.locator('#event-speakers-0-name').fill('Awa Diallo')
    await page.locator('#event-coverImage').setInputFiles({ name: 'couverture.png', mimeType: 'image/png', buffer: png })
    await page.locator('#event-status').selectOption('PUBLISHED')
    await page.getByRole('button', { name: 'Créer l’événement' }).click()

    await page.waitForURL(/\/admin\/events\/\d+\?notice=created$/)
    await expect.poll(() => page.getByRole('status').textContent()).toContain('L’événement a été créé.')
    expect(await page.textContent('main')).toContain('jeudi 4 novembre 2027 à 12:15 (heure normale d’Europe centrale)')
    await page.screenshot({ path: screenshotPath('admin-events-page'), fullPage: true })
    const event = await prisma.event.findFirstOrThrow({ where: { title } })
    expect(event.startsAt.toISOString()).toBe('2027-11-04T11:15:00.000Z')
    expect(event.description).toContain('Ordre du jour à venir.')
    expect(event.coverImageUrl).toMatch(/\/assets\/\d+$/)
    expect(event.questions).toEqual([
      { id: 'votre-commune', label: 'Votre commune', type: 'short_text', required: false, options: [] },
      { id: 'venez-vous-en-velo', label: 'Venez-vous en vélo ?', type: 'yes_no', required: false, options: [] },
    ])

    await page.goto('/admin/events')
    const row = page.getByRole('row', { name: new RegExp(title) })
    await expect.poll(() => row.textContent()).toContain('0 / 40')
    expect(await row.textContent()).toContain('Publié')
    await page.screenshot({ path: screenshotPath('admin-events-dashboard'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    // The only failed response is the form sent empty on purpose.
    expect(problems.filter((problem) => !/^400 .*\/admin\/events\/new/.test(problem))).toEqual([])
    await context.close()
  })

  it('works without JavaScript: the description is a plain text area and the event is created', async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    const appUrl = inject('testContext').appUrl
    await context.addCookies(editor.cookie.split('; ').map((pair) => ({ name: pair.split('=')[0]!, value: pair.slice(pair.indexOf('=') + 1), url: appUrl })))
    await page.goto('/admin/events/new')
    const title = `Sans script ${tag}`
    await page.locator('#event-title').fill(title)
    await page.locator('#event-description').fill('Premier paragraphe.\n\nSecond paragraphe.')
    await page.locator('#event-startDate').fill('2027-11-04')
    await page.locator('#event-startTime').fill('12:15')
    await page.locator('#event-endTime').fill('13:00')
    await page.locator('#event-joinUrl').fill('https://visio.example.org/salle')
    await page.getByRole('button', { name: 'Créer l’événement' }).click()
    await page.waitForURL(/\/admin\/events\/\d+\?notice=created$/)
    const event = await prisma.event.findFirstOrThrow({ where: { title } })
    expect(event).toMatchObject({ kind: 'ONLINE', joinUrl: 'https://visio.example.org/salle', description: '<p>Premier paragraphe.</p><p>Second paragraphe.</p>' })
    expect(await page.textContent('main')).toContain('12:15 (heure normale d’Europe centrale)')
    await context.close()
  })

  it('changes the reminder delays of an event and reads them back on its page', async () => {
    const startsAt = new Date('2027-11-04T11:15:00Z')
    const event = await prisma.event.create({
      data: { slug: `rappels-${tag}`, kind: 'ONLINE', title: `Rappels e2e ${tag}`, startsAt, endsAt: new Date(startsAt.getTime() + 75 * 60_000), status: 'PUBLISHED', icalUid: `${randomUUID()}@relais.test` },
    })
    const { context, page, problems } = await signedInPage(browser, editor.cookie)
    await page.goto(`/admin/events/${event.id}`)
    const section = page.locator('section[aria-labelledby="event-messages-title"]')
    expect(await section.textContent()).toContain('1 jour, 1 heure avant le début')
    expect(await page.getByLabel('1 jour avant', { exact: true }).isChecked()).toBe(true)

    await page.getByLabel('1 jour avant', { exact: true }).uncheck()
    await page.getByLabel('3 heures avant', { exact: true }).check()
    await page.getByLabel('Autre délai avant le début').fill('30')
    await page.getByLabel('Unité de l’autre délai').selectOption('minutes')
    await page.getByLabel('Ouverture du lien (minutes avant le début)').fill('15')
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()

    await page.waitForURL(new RegExp(`/admin/events/${event.id}\\?notice=saved&updates=0$`))
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Personne n’est prévenu')
    await expect.poll(() => section.textContent()).toContain('3 heures, 1 heure, 30 minutes avant le début')
    expect(await section.textContent()).toContain('ouvert 15 minutes avant le début, jusqu’à la fin')
    expect(await page.getByLabel('30 minutes avant', { exact: true }).isChecked()).toBe(true)
    expect(await page.getByLabel('1 jour avant', { exact: true }).isChecked()).toBe(false)
    expect(await prisma.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ reminderOffsets: [180, 60, 30], joinOpensMinutes: 15 })
    await page.screenshot({ path: screenshotPath('admin-events-messages'), fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
    await context.close()
  })
})
