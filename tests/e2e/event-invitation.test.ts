// The one-click registration page (/inscription/:token) in Chromium (fr-FR): axe finds no serious or critical
// violation on the page with its button, with the names and answers it asks for and their errors, and on the result;
// a contact registers with JavaScript (a click on the single button) and without it (the form posts natively), and
// the registration is read back from the database with source INVITATION. The staff invitation page is checked with
// axe too, and creates the draft when its form is sent.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeQueues } from '#jobs/queues.ts'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath, signedInPage } from '#tests/helpers/browser.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createPublicEvent } from '#tests/helpers/public-events.ts'
import { createTestList } from '#tests/helpers/signup.ts'
import { createTestStaff } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'
import { eventInviteUrl } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

const pathOf = (url: string) => new URL(url).pathname

describe('the one-click registration page in a browser', () => {
  it('registers with one click (JavaScript on), the page and its result free of serious axe violations', async () => {
    const event = await createPublicEvent({ title: 'Rencontre des communes invitées' })
    const contact = await prisma.contact.create({ data: { email: uniqueAddress('e2e-invite'), firstName: 'Camille', lastName: 'Invitée' } })
    const { context, page } = await newPage(browser)
    try {
      await page.goto(pathOf(eventInviteUrl(contact.id, event.id)))
      await page.getByRole('heading', { level: 2, name: 'Rencontre des communes invitées' }).waitFor()
      expect(await page.getByText(`Vous serez inscrit·e avec l’adresse ${contact.email}.`).count()).toBe(1)
      expect(await page.getByRole('button').count()).toBe(1)
      expect(await seriousViolations(page)).toEqual([])
      expect(await prisma.registration.count({ where: { eventId: event.id } })).toBe(0)

      await page.getByRole('button', { name: 'Je confirme mon inscription' }).click()
      await page.getByText('C’est fait : votre inscription est confirmée.').waitFor()
      await page.screenshot({ path: screenshotPath('event-invitation-done'), fullPage: true })
      expect(await seriousViolations(page)).toEqual([])
      const rows = await prisma.registration.findMany({ where: { eventId: event.id } })
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ email: contact.email, source: 'INVITATION', status: 'CONFIRMED' })
    } finally {
      await context.close()
    }
  })

  it('asks the missing names without JavaScript, shows the errors tied to their fields, then registers', async () => {
    const event = await createPublicEvent({
      title: 'Atelier sans script',
      questions: [{ id: 'attentes', label: 'Qu’attendez-vous de cet atelier ?', type: 'short_text', required: true, options: [] }],
    })
    const contact = await prisma.contact.create({ data: { email: uniqueAddress('e2e-invite-nojs') } })
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto(pathOf(eventInviteUrl(contact.id, event.id)))
      await page.getByLabel('Prénom').fill('Sacha')
      await page.getByRole('button', { name: 'Je confirme mon inscription' }).click()
      const summary = page.getByRole('alert')
      await summary.waitFor()
      const text = await summary.textContent()
      expect(text).toContain('Indiquez votre nom.')
      expect(text).toContain('Cette question est obligatoire.')
      expect(await page.getByLabel('Prénom').inputValue()).toBe('Sacha')
      expect(await page.getByRole('textbox', { name: 'Nom', exact: true }).getAttribute('aria-invalid')).toBe('true')
      await page.screenshot({ path: screenshotPath('event-invitation-errors'), fullPage: true })

      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Sansscript')
      await page.getByLabel('Qu’attendez-vous de cet atelier ?').fill('Des exemples.')
      await page.getByRole('button', { name: 'Je confirme mon inscription' }).click()
      await page.getByText('C’est fait : votre inscription est confirmée.').waitFor()
      const [row] = await prisma.registration.findMany({ where: { eventId: event.id } })
      expect(row).toMatchObject({ firstName: 'Sacha', lastName: 'Sansscript', source: 'INVITATION', answers: { attentes: 'Des exemples.' } })
    } finally {
      await context.close()
    }

    // The same fields and errors, checked by axe (which needs JavaScript to run in the page).
    const other = await prisma.contact.create({ data: { email: uniqueAddress('e2e-invite-axe') } })
    const withScript = await newPage(browser)
    try {
      await withScript.page.goto(pathOf(eventInviteUrl(other.id, event.id)))
      await withScript.page.getByLabel('Prénom').waitFor()
      expect(await seriousViolations(withScript.page)).toEqual([])
      await withScript.page.getByRole('button', { name: 'Je confirme mon inscription' }).click()
      await withScript.page.getByText('Indiquez votre prénom.').first().waitFor()
      expect(await seriousViolations(withScript.page)).toEqual([])
    } finally {
      await withScript.context.close()
    }
  })

  it('the staff invitation page has no serious axe violation and creates the draft', async () => {
    const event = await createPublicEvent({ title: 'Forum des invitations' })
    const list = await createTestList('e2e-invite-list')
    const staff = await createTestStaff('EDITOR')
    const { context, page, problems } = await signedInPage(browser, staff.cookie)
    try {
      await page.goto(`/admin/events/${event.id}/invite`)
      await page.getByRole('heading', { level: 1, name: 'Inviter à l’événement' }).waitFor()
      expect(await page.getByLabel('Objet du message').inputValue()).toBe('Invitation : Forum des invitations')
      expect(await seriousViolations(page)).toEqual([])
      await page.getByLabel(list.name).check()
      await page.getByLabel('Texte d’introduction (facultatif)').fill('Bonjour {{prenom|à vous}}, rejoignez-nous.')
      await page.getByRole('button', { name: 'Créer la campagne d’invitation' }).click()
      await page.waitForURL(/\/admin\/campaigns\/\d+$/)
      const campaignId = Number(/\/admin\/campaigns\/(\d+)$/.exec(page.url())![1])
      const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, include: { lists: true } })
      expect(campaign.lists.map((entry) => entry.listId)).toEqual([list.id])
      expect((campaign.content as Array<{ type: string }>).map((block) => block.type)).toEqual(['heading', 'text', 'event'])
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})
