// In Chromium (French): an attendee's personal join link and the feedback form, and staff watching joins live. How
// it proves its claims: a person clicking the /j/:token link in a browser with an ordinary User-Agent (a real click,
// so Chromium sends its Fetch Metadata for a user-activated navigation) is sent on to the meeting address in one click
// (its request for it is watched; the host does not resolve here, so nothing leaves the machine); headless Chromium,
// which isbot() flags like a mail scanner, gets the button page instead and joins only when the button is pressed;
// the rows are read back. (A request without the Fetch Metadata of a click is checked in join-link.test.ts: Chromium
// counts page.goto as typed in the address bar, a user-activated navigation.) Staff keep the attendance page open and a join made meanwhile appears without touching the page
// (the 15-second revalidation). The feedback form is answered with JavaScript off (native post) and on (the error
// summary of the browser-side check), and axe-core finds no serious violation on the pages a person sees.
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath, signedInPage } from '#tests/helpers/browser.ts'
import { attendanceOf, browserAgent, eventAround, openJoinLink, registrationFor } from '#tests/helpers/join.ts'
import { createTestStaff } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'
import { feedbackUrl } from '~/utils/links.server.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await prisma.$disconnect()
})

/** The browser's request for the meeting address (a redirect's target cannot be intercepted, only watched). */
function meetingRequest(page: Page, joinUrl: string): Promise<Request> {
  return page.waitForRequest((request) => request.url() === joinUrl)
}

describe('the personal join link in a browser', () => {
  it('a person’s click lands on the meeting in one click; headless Chromium (a bot to isbot) gets the button, which joins', async () => {
    const event = await eventAround(-5)
    const person = await registrationFor(event.id)
    const { context, page } = await newPage(browser, { userAgent: browserAgent })
    // A person clicks the link (as in a webmail): one click, and the browser is on its way to the meeting.
    // A page of the site that React does not render (/healthz is JSON), so hydration cannot sweep the link away on a
    // slow machine.
    await page.goto('/healthz')
    await page.evaluate((href) => {
      const link = document.createElement('a')
      link.href = href
      link.textContent = 'Rejoindre le webinaire'
      document.body.replaceChildren(link)
    }, `/j/${person.token}`)
    const sentOn = meetingRequest(page, event.joinUrl!)
    // The meeting host does not exist here: the navigation ends in a DNS error once the browser has been sent there.
    await page.getByRole('link', { name: 'Rejoindre le webinaire' }).click()
    const redirected = (await sentOn).redirectedFrom()
    expect(redirected?.url()).toMatch(new RegExp(`/j/${person.token}$`))
    expect(redirected?.method()).toBe('GET')
    expect((await attendanceOf(person.id)).attendance).toBe('PRESENT')
    await context.close()

    const scanned = await registrationFor(event.id)
    const headless = await newPage(browser)
    await headless.page.goto(`/j/${scanned.token}`)
    await expect(headless.page.locator('h1').textContent()).resolves.toBe('Rejoindre l’événement')
    expect(await headless.page.content()).not.toContain('visio.example')
    expect(await seriousViolations(headless.page)).toEqual([])
    expect(await attendanceOf(scanned.id)).toMatchObject({ joinedAt: null, attendance: 'UNKNOWN' })
    const pressed = meetingRequest(headless.page, event.joinUrl!)
    await headless.page.getByRole('button', { name: 'Rejoindre maintenant' }).click()
    expect((await pressed).redirectedFrom()?.method()).toBe('POST')
    expect((await attendanceOf(scanned.id)).attendance).toBe('PRESENT')
    await headless.context.close()
  })

  it('the waiting page is readable and accessible, and its self-reload can be turned off', async () => {
    const event = await eventAround(45)
    const person = await registrationFor(event.id)
    const { context, page } = await newPage(browser, { userAgent: browserAgent })
    await page.goto(`/j/${person.token}`)
    await expect(page.locator('h1').textContent()).resolves.toBe('Le lien ouvrira bientôt')
    await page.getByText('Cette page se rechargera d’elle-même à l’ouverture du lien.').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    // The reload can be turned off (a time limit one controls).
    await page.getByRole('button', { name: 'Ne pas recharger la page automatiquement' }).click()
    await page.getByRole('status').getByText('La page ne se rechargera pas d’elle-même').waitFor()
    await page.screenshot({ path: screenshotPath('join-waiting'), fullPage: true })
    await context.close()
  })
})

describe('staff watch joins live', () => {
  it('a join made while the attendance page is open appears by itself', async () => {
    const staff = await createTestStaff('EDITOR', { label: 'join-e2e' })
    const event = await eventAround(-5)
    const first = await registrationFor(event.id, { firstName: 'Inès', lastName: 'Première' })
    const later = await registrationFor(event.id, { firstName: 'Malo', lastName: 'Retardataire' })
    expect((await openJoinLink(first.token)).status).toBe(302)

    const { context, page, problems } = await signedInPage(browser, staff.cookie)
    await page.goto(`/admin/events/${event.id}/attendance`)
    const list = page.getByTestId('joined-list')
    await expect(list.textContent()).resolves.toContain('Inès Première')
    expect(await page.locator('[data-count="joined"]').textContent()).toBe('1')

    expect((await openJoinLink(later.token)).status).toBe(302)
    await page.getByTestId('joined-list').getByText('Malo Retardataire').waitFor({ timeout: 40_000 })
    expect(await page.locator('[data-count="joined"]').textContent()).toBe('2')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshotPath('attendance-live-joins'), fullPage: true })
    expect(problems).toEqual([])
    await context.close()
  })
})

describe('the feedback form in a browser', () => {
  it('works without JavaScript: choose a rating, write a comment, send, get the thanks', async () => {
    const event = await eventAround(-90)
    const person = await registrationFor(event.id)
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    await page.goto(new URL(feedbackUrl(person.id)).pathname)
    await page.getByLabel('4 – Satisfait·e').check()
    await page.getByLabel('Un commentaire ? (facultatif)').fill('Clair et concret.')
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click()
    await page.getByText('Merci pour votre avis !').waitFor()
    const stored = await prisma.feedback.findUniqueOrThrow({ where: { registrationId: person.id } })
    expect(stored).toMatchObject({ rating: 4, comment: 'Clair et concret.' })
    await context.close()
  })

  it('with JavaScript: a missing rating is said in French, tied to the field, the comment kept; axe finds nothing serious', async () => {
    const event = await eventAround(-90)
    const person = await registrationFor(event.id)
    const { context, page } = await newPage(browser)
    await page.goto(new URL(feedbackUrl(person.id)).pathname)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('Un commentaire ? (facultatif)').fill('Je garde ce texte.')
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click()
    const summary = page.getByRole('alert')
    await expect(summary.textContent()).resolves.toContain('Choisissez une note de 1 à 5.')
    expect(await page.locator('fieldset').getAttribute('aria-describedby')).toBe('avis-rating-error')
    expect(await page.getByLabel('Un commentaire ? (facultatif)').inputValue()).toBe('Je garde ce texte.')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshotPath('feedback-error'), fullPage: true })
    await page.getByLabel('5 – Très satisfait·e').check()
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click()
    await page.getByText('Merci pour votre avis !').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    expect(await prisma.feedback.findUniqueOrThrow({ where: { registrationId: person.id } })).toMatchObject({ rating: 5, comment: 'Je garde ce texte.' })
    await context.close()
  })
})
