// In Chromium (fr-FR): axe finds no serious or critical violation on /events, an event page, its registration form
// with errors and the management page; a visitor registers without JavaScript and with it (the widget solving the
// proof-of-work), lands on the thank-you page, and the registration is stored with its answers.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createPublicEvent, joinUrlOf } from '#tests/helpers/public-events.ts'
import { createTestList } from '#tests/helpers/signup.ts'
import type { EventQuestion } from '~/models/event-schema.ts'
import { registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { registrationManageUrl } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'

let browser: Browser

const questions: EventQuestion[] = [
  { id: 'attentes', label: 'Qu’attendez-vous de cette rencontre ?', type: 'short_text', required: true, options: [] },
  { id: 'repas', label: 'Restez-vous déjeuner ?', type: 'yes_no', required: true, options: [] },
  { id: 'ateliers', label: 'Ateliers', type: 'multiple_choice', required: false, options: ['Mobilité', 'Énergie'] },
]

beforeAll(async () => {
  browser = await launchBrowser()
  await createTestList('e2e-evt-news')
})

afterAll(async () => {
  await browser?.close()
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

describe('public event pages in a browser', () => {
  it('has no serious or critical axe violation on /events, an event page and its form with errors', async () => {
    const event = await createPublicEvent({ title: 'Atelier mobilités rurales', questions, capacity: 30 })
    const { context, page } = await newPage(browser)
    try {
      await page.goto('/events')
      await page.getByRole('link', { name: 'Atelier mobilités rurales' }).first().waitFor()
      expect(await seriousViolations(page)).toEqual([])

      await page.goto(`/events/${event.slug}`)
      await page.getByRole('heading', { level: 1, name: 'Atelier mobilités rurales' }).waitFor()
      expect(await page.getByText('Il reste 30 places').count()).toBeGreaterThan(0)
      expect(await page.content()).not.toContain(joinUrlOf(event.slug))
      expect(await seriousViolations(page)).toEqual([])

      await page.getByRole('button', { name: 'M’inscrire' }).click()
      const summary = page.getByRole('alert')
      await summary.waitFor()
      const text = await summary.textContent()
      expect(text).toContain('Indiquez votre prénom.')
      expect(text).toContain('Cette question est obligatoire.')
      // Focus moved to the summary; each field says what is wrong, tied to it.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
      expect(await page.getByLabel('Prénom').getAttribute('aria-invalid')).toBe('true')
      await page.screenshot({ path: screenshotPath('event-registration-errors'), fullPage: true })
      expect(await seriousViolations(page)).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('registers without JavaScript', async () => {
    const event = await createPublicEvent({ title: 'Rencontre sans script', questions })
    const email = uniqueAddress('e2e-evt-nojs')
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto(`/events/${event.slug}`)
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Prénom').fill('Sacha')
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Sansscript')
      await page.getByLabel('Qu’attendez-vous de cette rencontre ?').fill('Des idées.')
      await page.getByRole('group', { name: 'Restez-vous déjeuner ?' }).getByLabel('Non').check()
      await page.getByLabel('Énergie').check()
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('heading', { name: 'Merci !' }).waitFor()
      expect(page.url()).toMatch(new RegExp(`/events/${event.slug}/merci$`))
      await page.screenshot({ path: screenshotPath('event-registration-thanks-nojs'), fullPage: true })
    } finally {
      await context.close()
    }
    const row = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })
    expect(row.status).toBe('CONFIRMED')
    expect(row.answers).toEqual({ attentes: 'Des idées.', repas: false, ateliers: ['Énergie'] })
  })

  it('registers with JavaScript, the widget solving the proof-of-work, and ticks the newsletter box', async () => {
    const event = await createPublicEvent({ title: 'Rencontre avec script', questions })
    const email = uniqueAddress('e2e-evt-js')
    const { context, page } = await newPage(browser)
    try {
      await page.goto(`/events/${event.slug}`)
      await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, undefined, { timeout: 20_000 })
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Prénom').fill('Ada')
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Avecscript')
      await page.getByLabel('Qu’attendez-vous de cette rencontre ?').fill('Rencontrer.')
      await page.getByRole('group', { name: 'Restez-vous déjeuner ?' }).getByLabel('Oui').check()
      expect(await page.getByLabel('Je souhaite aussi recevoir', { exact: false }).isChecked()).toBe(false)
      await page.getByLabel('Je souhaite aussi recevoir', { exact: false }).check()
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('heading', { name: 'Merci !' }).waitFor()
      // The heading takes the focus, so that a screen reader announces the outcome after the redirect.
      await page.waitForFunction(() => document.activeElement?.id === 'merci-titre')
    } finally {
      await context.close()
    }
    const row = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })
    expect(row.answers).toEqual({ attentes: 'Rencontrer.', repas: true })
    expect(await prisma.subscription.count({ where: { contact: { email }, status: 'PENDING' } })).toBe(1)
  })

  it('registers after a refusal: the widget solves a fresh proof-of-work instead of resending the spent one', async () => {
    const event = await createPublicEvent({ title: 'Rencontre après un refus', questions: [] })
    const email = uniqueAddress('e2e-evt-retry')
    const proof = () => document.querySelector<HTMLInputElement>('input[name="altcha"]')?.value ?? ''
    const { context, page } = await newPage(browser)
    try {
      await page.goto(`/events/${event.slug}`)
      await page.waitForFunction(proof, undefined, { timeout: 20_000 })
      // A field error first (checked in the browser, nothing posted), then the visitor corrects it.
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Refus')
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('alert').getByText('Indiquez votre prénom.').waitFor()
      await page.getByLabel('Prénom').fill('Noa')
      // Staff close registration meanwhile: the server spends the proof, then refuses (409), the form kept.
      await prisma.event.update({ where: { id: event.id }, data: { registrationClosesAt: new Date(Date.now() - 60_000) } })
      const spent = await page.evaluate(proof)
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('alert').getByText('Les inscriptions à cet événement sont closes', { exact: false }).waitFor()
      expect(await page.getByLabel('Prénom').inputValue()).toBe('Noa')
      // They reopen; the visitor submits again with a freshly solved proof (the spent one would be refused as replayed)
      // and is registered.
      await prisma.event.update({ where: { id: event.id }, data: { registrationClosesAt: null } })
      await page.waitForFunction((old) => {
        const value = document.querySelector<HTMLInputElement>('input[name="altcha"]')?.value ?? ''
        return value !== '' && value !== old
      }, spent, { timeout: 20_000 })
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('heading', { name: 'Merci !' }).waitFor()
    } finally {
      await context.close()
    }
    expect((await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })).status).toBe('CONFIRMED')
  })

  it('has no serious or critical axe violation on the management page, and cancels in two steps', async () => {
    const event = await createPublicEvent({ title: 'Rencontre à gérer', kind: 'IN_PERSON', questions })
    const outcome = await registerForEvent({
      eventId: event.id,
      attendee: { email: uniqueAddress('e2e-evt-manage'), firstName: 'Lou', lastName: 'Gestion', locale: 'fr' },
      answers: { attentes: 'Voir.', repas: true },
      source: 'PUBLIC',
    })
    if (outcome.status !== 'confirmed') throw new Error(`unexpected outcome ${outcome.status}`)
    const { context, page } = await newPage(browser)
    try {
      await page.goto(new URL(registrationManageUrl(outcome.registrationId)).pathname)
      await page.getByRole('heading', { level: 1, name: 'Votre inscription' }).waitFor()
      await page.getByRole('img', { name: 'QR code d’accueil de Lou Gestion pour « Rencontre à gérer »' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      await page.getByRole('link', { name: 'Annuler mon inscription' }).click()
      await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click()
      await page.getByText('Votre inscription est annulée.').waitFor()
      expect(await seriousViolations(page)).toEqual([])
    } finally {
      await context.close()
    }
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: outcome.registrationId } })).status).toBe('CANCELLED')
  })
})
