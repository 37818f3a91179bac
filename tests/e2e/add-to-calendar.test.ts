// In Chromium (fr-FR) without JavaScript: a visitor registers, finds on the thank-you page a titled list of three
// links named in words (Google Agenda, Outlook.com, the .ics file), and the .ics link downloads the event's public
// file (read by ical.js and node-ical: the event's UID, no join link). From the management link, the attendee
// downloads their own file: their invite's UID and their personal /j/ link. Both pages are then opened with
// JavaScript (axe runs as a script) and have no serious or critical axe violation.
import type { Browser, Page } from 'playwright-core'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '#tests/helpers/axe.ts'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { parseInvite } from '#tests/helpers/ical.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { createPublicEvent, joinUrlOf } from '#tests/helpers/public-events.ts'
import { personalJoinUrl, registrationInviteUid } from '~/models/event-invite.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { registrationManageUrl } from '~/utils/links.server.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await prisma.$disconnect()
})

/** Clicks the link and returns the text of the file it downloads. */
async function downloadFrom(page: Page, name: RegExp | string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()])
  return readFile((await download.path())!, 'utf8')
}

describe('add to calendar in a browser', () => {
  it('offers Google, Outlook.com and the .ics file after registering without JavaScript, then the attendee’s own file', async () => {
    const event = await createPublicEvent({ title: 'Atelier agenda partagé', kind: 'ONLINE', questions: [] })
    const email = uniqueAddress('e2e-agenda')
    const { context, page } = await newPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto(`/events/${event.slug}`)
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Prénom').fill('Lou')
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Agenda')
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('heading', { name: 'Merci !' }).waitFor()

      const section = page.getByRole('region', { name: 'Ajouter à mon agenda' })
      await section.waitFor()
      const links = section.getByRole('listitem').getByRole('link')
      expect(await links.allTextContents()).toEqual([
        'Ajouter à Google Agenda',
        'Ajouter à Outlook.com',
        'Télécharger le fichier .ics (Apple Calendrier, Outlook, Thunderbird…)',
      ])
      expect(await section.getByRole('link', { name: 'Ajouter à Google Agenda' }).getAttribute('href')).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&/)
      expect(await section.getByRole('link', { name: 'Ajouter à Outlook.com' }).getAttribute('href')).toMatch(/^https:\/\/outlook\.live\.com\/calendar\/0\/deeplink\/compose\?/)
      expect(await page.content()).not.toContain(joinUrlOf(event.slug))
      await page.screenshot({ path: screenshotPath('add-to-calendar-thanks'), fullPage: true })

      const publicFile = await downloadFrom(page, /^Télécharger le fichier \.ics/)
      const parsed = parseInvite(publicFile)
      expect(parsed.method).toBe('PUBLISH')
      expect(parsed.events.map((item) => item.uid)).toEqual([event.icalUid])
      expect(publicFile).not.toContain(joinUrlOf(event.slug))

      const registration = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })
      expect(registration.status).toBe('CONFIRMED')
      await page.goto(registrationManageUrl(registration.id))
      const own = page.getByRole('region', { name: 'Ajouter à mon agenda' })
      await own.waitFor()
      const ownFile = await downloadFrom(page, /avec mon lien personnel/)
      const ownEvent = parseInvite(ownFile).events[0]!
      expect(ownEvent.uid).toBe(registrationInviteUid(event, registration.id))
      expect(ownEvent.description).toContain(personalJoinUrl(registration.token))
      expect(ownFile).not.toContain(joinUrlOf(event.slug))
    } finally {
      await context.close()
    }

    const registration = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email } })
    const withScript = await newPage(browser)
    try {
      for (const path of [`/events/${event.slug}/merci`, registrationManageUrl(registration.id)]) {
        await withScript.page.goto(path)
        await withScript.page.getByRole('region', { name: 'Ajouter à mon agenda' }).waitFor()
        expect(await seriousViolations(withScript.page), path).toEqual([])
      }
    } finally {
      await withScript.context.close()
    }
  })
})
