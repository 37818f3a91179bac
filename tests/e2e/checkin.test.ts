// In Chromium at a phone viewport (390×844, touch, French): staff open an event's check-in page, search a name as
// they type, tap "Marquer présent(e)" and see the count change at once; a check-in made on another phone shows up
// by itself; "Annuler" takes it back; the in-page scanner reads a real QR code (the one the confirmation email
// carries) from a camera stream and checks the person in, and an unknown code gets a French sentence.
import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath, signedInPage } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createTestStaff, type TestStaff } from '#tests/helpers/staff.ts'
import { checkIn } from '~/models/checkin.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { checkinQrDataUrl } from '~/utils/qr.server.ts'

let browser: Browser
let staff: TestStaff
const tag = randomUUID().slice(0, 8)

beforeAll(async () => {
  browser = await launchBrowser()
  staff = await createTestStaff('EDITOR', { label: 'checkin-e2e' })
})

afterAll(async () => {
  await browser?.close()
})

async function seedEvent() {
  const startsAt = new Date(Date.now() + 30 * 60 * 1000)
  const event = await prisma.event.create({
    data: {
      slug: `accueil-${tag}-${randomUUID().slice(0, 4)}`,
      kind: 'IN_PERSON',
      title: `Forum des tiers-lieux ${tag}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * 60 * 60 * 1000),
      status: 'PUBLISHED',
      venueName: 'Halle Simone-Veil',
      icalUid: `${randomUUID()}@relais.test`,
    },
    select: { id: true },
  })
  const people = ['Léa Martin', 'Louis Bernard', 'Sofia Durand', 'Hugo Petit']
  const rows = []
  for (const name of people) {
    const [firstName, lastName] = name.split(' ') as [string, string]
    rows.push(
      await prisma.registration.create({
        data: { eventId: event.id, email: uniqueAddress('accueil'), firstName, lastName, status: 'CONFIRMED', token: randomUUID(), ...(name === 'Hugo Petit' ? { attendance: 'PRESENT', checkedInAt: new Date() } : {}) },
        select: { id: true, firstName: true, lastName: true },
      }),
    )
  }
  return { eventId: event.id, rows }
}

/** A phone: 390×844, touch, French, signed in as staff; what would show as broken in the console is collected. */
async function phonePage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' })
  const appUrl = inject('testContext').appUrl
  await context.addCookies(staff.cookie.split('; ').map((pair) => ({ name: pair.split('=')[0]!, value: pair.slice(pair.indexOf('=') + 1), url: appUrl })))
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text())
  })
  page.on('response', (response) => {
    // 422 is the page's own answer to an unknown QR code (shown as a sentence), not a breakage.
    if (response.status() >= 400 && response.status() !== 422 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`)
  })
  return { context, page, problems }
}

describe('check-in on a phone', () => {
  it('searches a name as one types, taps present, and the count updates on the page (and from another phone)', async () => {
    const { eventId, rows } = await seedEvent()
    const louis = rows.find((row) => row.lastName === 'Bernard')!
    const sofia = rows.find((row) => row.lastName === 'Durand')!
    const { context, page, problems } = await phonePage()
    try {
      await page.goto(`/admin/events/${eventId}/checkin`)
      const counts = page.getByTestId('checkin-counts')
      expect(await counts.textContent()).toBe('Présent·es / confirmé·es : 1 / 4')
      // Hydrated once the scanner button (JavaScript only) is there.
      await page.getByRole('button', { name: 'Scanner un QR code' }).waitFor()

      await page.getByLabel('Rechercher un nom').pressSequentially('bern')
      const list = page.locator('.checkin-list > li')
      await expect.poll(() => list.count()).toBe(1)
      expect(await list.first().textContent()).toContain('Louis Bernard')

      const present = page.getByRole('button', { name: 'Marquer présent(e) — Louis Bernard' })
      const box = await present.boundingBox()
      expect(box!.height).toBeGreaterThanOrEqual(44)
      expect(box!.width).toBeGreaterThanOrEqual(280)
      await present.tap()
      await expect.poll(() => counts.textContent()).toBe('Présent·es / confirmé·es : 2 / 4')
      expect(await page.getByRole('status').filter({ hasText: 'Louis Bernard' }).textContent()).toContain('Louis Bernard est marqué·e présent·e.')
      await page.getByRole('button', { name: 'Annuler — Louis Bernard' }).waitFor()
      expect(await list.first().textContent()).toMatch(/Présent·e depuis \d{2}:\d{2}/)
      const stored = await prisma.registration.findUniqueOrThrow({ where: { id: louis.id } })
      expect(stored.attendance).toBe('PRESENT')
      expect(stored.checkedInAt).not.toBeNull()
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      await page.screenshot({ path: screenshotPath('checkin-phone-after-tap'), fullPage: true })

      // Another phone at the door checks Sofia in: this one follows without a reload.
      await checkIn({ registrationId: sofia.id, eventId }, staff)
      await expect.poll(() => counts.textContent(), { timeout: 20_000 }).toBe('Présent·es / confirmé·es : 3 / 4')

      await page.getByRole('button', { name: 'Annuler — Louis Bernard' }).tap()
      await expect.poll(() => counts.textContent()).toBe('Présent·es / confirmé·es : 2 / 4')
      await page.getByRole('button', { name: 'Marquer présent(e) — Louis Bernard' }).waitFor()
      expect((await prisma.registration.findUniqueOrThrow({ where: { id: louis.id } })).attendance).toBe('UNKNOWN')
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('reads the confirmation email’s QR code from the camera and checks the person in; an unknown code is refused in French', async () => {
    const { eventId, rows } = await seedEvent()
    const lea = rows.find((row) => row.firstName === 'Léa')!
    const { context, page, problems } = await phonePage()
    // The camera is a canvas showing a picture (the real QR code, then a code that is not ours): getUserMedia hands
    // its stream to the page, which decodes frames with BarcodeDetector or jsqr as it would on a phone.
    await page.addInitScript(() => {
      const canvas = document.createElement('canvas')
      canvas.width = 480
      canvas.height = 480
      const context = canvas.getContext('2d')!
      const show = (src: string) => {
        const image = new Image()
        image.onload = () => {
          context.fillStyle = '#fff'
          context.fillRect(0, 0, 480, 480)
          context.drawImage(image, 40, 40, 400, 400)
        }
        image.src = src
      }
      Object.assign(window, { showToCamera: show })
      const paint = () => {
        // Keeps frames coming even when the picture does not change.
        context.fillStyle = '#fff'
        context.fillRect(0, 0, 1, 1)
        requestAnimationFrame(paint)
      }
      paint()
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        Object.assign(window, { cameraConstraints: constraints })
        return canvas.captureStream(15)
      }
    })
    try {
      await page.goto(`/admin/events/${eventId}/checkin`)
      const counts = page.getByTestId('checkin-counts')
      expect(await counts.textContent()).toBe('Présent·es / confirmé·es : 1 / 4')
      await page.evaluate((src) => (window as unknown as { showToCamera: (src: string) => void }).showToCamera(src), await checkinQrDataUrl(lea.id))
      await page.getByRole('button', { name: 'Scanner un QR code' }).tap()
      await page.getByRole('button', { name: 'Arrêter la caméra' }).waitFor()
      expect(await page.evaluate(() => JSON.stringify((window as unknown as { cameraConstraints: unknown }).cameraConstraints))).toContain('environment')

      const message = page.locator('.checkin-message')
      await expect.poll(() => message.textContent(), { timeout: 20_000 }).toContain('Léa Martin est marqué·e présent·e.')
      await expect.poll(() => counts.textContent()).toBe('Présent·es / confirmé·es : 2 / 4')
      expect((await prisma.registration.findUniqueOrThrow({ where: { id: lea.id } })).attendance).toBe('PRESENT')

      const foreign = await (await import('qrcode')).toDataURL('https://exemple.org/billet/42', { margin: 2, width: 300 })
      await page.evaluate((src) => (window as unknown as { showToCamera: (src: string) => void }).showToCamera(src), foreign)
      await expect.poll(() => message.textContent(), { timeout: 20_000 }).toContain('QR code inconnu : ce n’est pas un billet de Relais')
      await page.screenshot({ path: screenshotPath('checkin-phone-unknown-code'), fullPage: true })
      await page.getByRole('button', { name: 'Arrêter la caméra' }).tap()
      await page.getByRole('button', { name: 'Scanner un QR code' }).waitFor()
      expect(await counts.textContent()).toBe('Présent·es / confirmé·es : 2 / 4')
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})

describe('the staff follow-up pages', () => {
  it('registrations (with answers and the message confirmation step), check-in and attendance have no serious accessibility violation', async () => {
    const { eventId, rows } = await seedEvent()
    await prisma.event.update({
      where: { id: eventId },
      data: { capacity: 10, questions: [{ id: 'repas', label: 'Restez-vous déjeuner ?', type: 'yes_no', required: true, options: [] }] },
    })
    await prisma.registration.update({ where: { id: rows[0]!.id }, data: { answers: { repas: true } } })
    await prisma.registration.create({ data: { eventId, email: uniqueAddress('attente'), firstName: 'Wassim', lastName: 'Attente', status: 'WAITLISTED', waitlistedAt: new Date(), token: randomUUID() } })
    const { context, page, problems } = await signedInPage(browser, staff.cookie)
    try {
      await page.goto(`/admin/events/${eventId}/registrations`)
      expect(await page.getByRole('columnheader', { name: 'Restez-vous déjeuner ?' }).count()).toBe(1)
      expect(await seriousViolations(page)).toEqual([])
      await page.getByLabel('Statut', { exact: true }).selectOption('WAITLISTED')
      await page.getByRole('button', { name: 'Filtrer' }).click()
      await page.waitForURL((url) => url.searchParams.get('status') === 'WAITLISTED')
      await page.getByLabel('Seulement la sélection affichée : Liste d’attente').check()
      await page.getByLabel('Objet').fill('Une place pourrait se libérer')
      await page.getByLabel('Message', { exact: true }).fill('Bonjour,\n\nNous vous tiendrons informé·e.')
      await page.getByRole('button', { name: 'Vérifier avant l’envoi' }).click()
      await page.getByRole('button', { name: 'Envoyer à 1 personne' }).waitFor()
      expect(await page.getByRole('heading', { name: 'Confirmer l’envoi' }).evaluate((element) => element === document.activeElement)).toBe(true)
      expect(await seriousViolations(page)).toEqual([])
      await page.screenshot({ path: screenshotPath('registrations-confirm-message'), fullPage: true })
      expect(await prisma.eventAnnouncement.count({ where: { eventId } })).toBe(0)

      for (const path of [`/admin/events/${eventId}/checkin`, `/admin/events/${eventId}/attendance`]) {
        await page.goto(path)
        expect(await seriousViolations(page), path).toEqual([])
      }
      await page.screenshot({ path: screenshotPath('registrations-attendance'), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
