// An attendee's journey in Chromium (fr-FR), against a web server, a worker process and an SMTP listener of this
// file's own (its own database and queue prefix, so the worker sends this file's messages only): a visitor registers
// on an online event's page (the widget solving the proof-of-work), sees the thank-you page and its add-to-calendar
// links, then opens the confirmation email the listener received. That email is read as a mail client would: its
// text/calendar alternative part and its .ics attachment, each parsed by ical.js and node-ical (tests/helpers/ical.ts
// throws when they disagree). The personal /j/ link taken from the invite shows the waiting page (the event is a week
// ahead) and never the real join address. The browser follows the management link of that email and cancels in two
// steps; the cancellation email that arrives carries METHOD:CANCEL for the same UID with a higher SEQUENCE and
// STATUS:CANCELLED. Everything asserted is what the visitor's browser or mailbox shows; the database is read only for
// the identifiers the invite must carry (registration id, token, the event's UID).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TZDate } from '@date-fns/tz'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { launchBrowser, newPage, screenshotPath } from '#tests/helpers/browser.ts'
import { faultFileHarness, uniqueTag } from '#tests/helpers/campaign.ts'
import { calendarParts, invitationPart, parseInvite, type ParsedInvite } from '#tests/helpers/ical.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { createPublicEvent, joinUrlOf } from '#tests/helpers/public-events.ts'
import { webServerEnv } from '#tests/helpers/test-env.ts'
import { prisma } from '~/utils/db.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}journey`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_journey`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

// The web server the browser talks to, on this file's database and prefix; the worker's links point at it.
let web: RunningProcess | undefined
let webUrl = ''
const { setUp } = faultFileHarness({ label: 'journey', prefix: isolation.prefix, workerEnv: () => ({ APP_URL: webUrl }) })
let browser: Browser

beforeAll(async () => {
  const port = await freePort()
  webUrl = `http://127.0.0.1:${port}`
  web = startProcess(
    'app/server.ts',
    webServerEnv(inject('testContext'), inject('buildDir'), { DATABASE_URL: process.env.DATABASE_URL ?? '', QUEUE_PREFIX: isolation.prefix, PORT: String(port), APP_URL: webUrl }),
  )
  await waitFor(async () => (await fetch(`${webUrl}/`)).status === 200, 60_000, `web server on ${webUrl} (${web.output()})`)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

/** A message as the listener kept it (`raw`, every part still encoded as sent) and as a mail client reads it. */
interface Mail {
  raw: string
  parsed: ParsedMail
}

/** Every message the listener kept for `to`, oldest first. */
async function mailsTo(dir: string, to: string): Promise<Mail[]> {
  const found: Mail[] = []
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const envelope = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { to: string[] }
    if (!envelope.to.includes(to)) continue
    const raw = readFileSync(join(dir, file.replace(/\.json$/, '.eml')))
    found.push({ raw: raw.toString('utf8'), parsed: await simpleParser(raw) })
  }
  return found
}

/** Waits for the `count`-th message to `to` and returns it. */
async function nthMail(dir: string, to: string, count: number, diagnostic: () => string): Promise<Mail> {
  const mails = await waitFor(async () => {
    const found = await mailsTo(dir, to)
    return found.length >= count ? found : undefined
  }, 60_000, `message ${count} to ${to} (${diagnostic().slice(-3000)})`)
  return mails[count - 1]!
}

/** The first link of the email's text that starts with `prefix` (the plain-text part every client can show). */
function linkIn(mail: ParsedMail, prefix: string): string {
  const match = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s<>"\\])]+`).exec(mail.text ?? '')
  if (!match) throw new Error(`no link starting with ${prefix} in « ${mail.subject ?? ''} »:\n${mail.text ?? ''}`)
  return match[0]
}

/** The invite of an email: its alternative part and every .ics attachment read by both parsers, and all the same. */
function inviteOf(mail: ParsedMail, method: 'REQUEST' | 'CANCEL'): ParsedInvite {
  const part = invitationPart(mail)
  expect(part.contentType).toBe('text/calendar')
  expect(part.methodParam).toBe(method)
  const invite = parseInvite(part.text)
  const attachments = calendarParts(mail).filter((candidate) => candidate.role === 'attachment')
  expect(attachments.length).toBeGreaterThan(0)
  for (const attachment of attachments) {
    expect(attachment.filename ?? '').toMatch(/\.ics$/)
    expect(parseInvite(attachment.text)).toEqual(invite)
  }
  return invite
}

describe('the attendee journey in a browser', () => {
  it('registers, gets the invite, waits at the /j/ link, cancels from the email and gets the CANCEL', async () => {
    const tag = uniqueTag('journey')
    const { sink, workers } = await setUp(tag, {})
    await workers.start()
    // A week ahead at 12:15 in Paris, online: the personal link is in the invite, the real one never shown.
    const day = new TZDate(Date.now() + 7 * 86_400_000, 'Europe/Paris')
    const startsAt = new Date(new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), 12, 15, 0, 'Europe/Paris').getTime())
    const event = await createPublicEvent({ title: `Jeudi du parcours ${tag}`, kind: 'ONLINE', startsAt, endsAt: new Date(startsAt.getTime() + 45 * 60_000), questions: [] })
    const email = `${tag}@parcours.test`
    const { context, page } = await newPage(browser, { baseURL: webUrl })
    try {
      // 1. Registration on the event's page; the widget solves the proof-of-work in the page.
      await page.goto(`/events/${event.slug}`)
      await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[name="altcha"]')?.value, undefined, { timeout: 20_000 })
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Prénom').fill('Maëlle')
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Parcours')
      await page.screenshot({ path: screenshotPath('journey-1-form'), fullPage: true })
      await page.getByRole('button', { name: 'M’inscrire' }).click()
      await page.getByRole('heading', { name: 'Merci !' }).waitFor()

      // 2. The thank-you page offers the event to calendars: Google, Outlook.com and the public .ics.
      const calendar = page.getByRole('region', { name: 'Ajouter à mon agenda' })
      await calendar.waitFor()
      expect(new URL((await calendar.getByRole('link', { name: 'Ajouter à Google Agenda' }).getAttribute('href'))!).hostname).toBe('calendar.google.com')
      expect(new URL((await calendar.getByRole('link', { name: 'Ajouter à Outlook.com' }).getAttribute('href'))!).hostname).toMatch(/^outlook\.(live|office)\.com$/)
      const icsHref = (await calendar.getByRole('link', { name: /fichier \.ics/ }).getAttribute('href'))!
      const ics = await page.request.get(icsHref)
      expect(ics.headers()['content-type']).toMatch(/^text\/calendar/)
      expect(parseInvite(await ics.text()).events.map((item) => item.summary)).toEqual([event.title])
      expect(await page.content()).not.toContain(joinUrlOf(event.slug))
      await page.screenshot({ path: screenshotPath('journey-2-thanks'), fullPage: true })

      // 3. The confirmation email: an invitation (REQUEST) with the .ics, for this attendee alone.
      const registration = await prisma.registration.findFirstOrThrow({ where: { eventId: event.id, email }, select: { id: true, token: true } })
      const eventRow = await prisma.event.findUniqueOrThrow({ where: { id: event.id }, select: { icalUid: true, icalSequence: true } })
      const { parsed: confirmation, raw: confirmationRaw } = await nthMail(sink.dir, email, 1, () => workers.output())
      expect(confirmation.subject).toBe(`Votre inscription est confirmée : ${event.title}`)
      const request = inviteOf(confirmation, 'REQUEST')
      expect(request.method).toBe('REQUEST')
      expect(request.events).toHaveLength(1)
      const invited = request.events[0]!
      expect(invited.uid).toBe(`r${registration.id}-${eventRow.icalUid}`)
      expect(invited.sequence).toBeGreaterThanOrEqual(eventRow.icalSequence)
      expect(invited.attendees).toEqual([email])
      expect(invited.organizer).toBe('contact@relais.test')
      expect(invited.summary).toBe(event.title)
      expect([invited.start.toISOString(), invited.end.toISOString()]).toEqual([event.startsAt.toISOString(), event.endsAt.toISOString()])
      expect(invited.startZone).toBe('Europe/Paris')
      expect(invited.location).toBe('En ligne')
      // The personal link is in the email's text (as the clients that ignore invites show it) and in the invite.
      const joinLink = linkIn(confirmation, `${webUrl}/j/`)
      expect(joinLink).toBe(`${webUrl}/j/${registration.token}`)
      expect(invited.description).toContain(joinLink)
      expect(invited.description).toContain(`${webUrl}/registrations/`)
      for (const text of [confirmationRaw, confirmation.text ?? '', confirmation.html || '', ...calendarParts(confirmation).map((part) => part.text)]) {
        expect(text).not.toContain(joinUrlOf(event.slug))
      }

      // 4. The personal link before its window (it opens 30 minutes before 12:15): a waiting page with the time,
      // never the real address.
      const waiting = await page.goto(joinLink)
      expect(waiting?.status()).toBe(200)
      await page.getByRole('heading', { name: 'Le lien ouvrira bientôt' }).waitFor()
      expect(new URL(page.url()).pathname).toBe(`/j/${registration.token}`)
      const waitingText = (await page.locator('main').textContent()) ?? ''
      expect(waitingText).toContain('à partir du')
      expect(waitingText).toMatch(/11 h 45|11:45/)
      expect(waitingText).toMatch(/12 h 15|12:15/)
      expect(waitingText).toContain(event.title)
      expect(await page.content()).not.toContain(joinUrlOf(event.slug))
      // Opening the link early is not attending.
      expect(await prisma.registration.findUniqueOrThrow({ where: { id: registration.id }, select: { attendance: true, joinedAt: true } })).toEqual({ attendance: 'UNKNOWN', joinedAt: null })
      await page.screenshot({ path: screenshotPath('journey-3-join-waiting'), fullPage: true })

      // 5. The management link of the email; cancelling takes two steps.
      await page.goto(linkIn(confirmation, `${webUrl}/registrations/`))
      await page.getByRole('heading', { level: 1, name: 'Votre inscription' }).waitFor()
      await page.screenshot({ path: screenshotPath('journey-4-manage'), fullPage: true })
      await page.getByRole('link', { name: 'Annuler mon inscription' }).click()
      await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).waitFor()
      await page.screenshot({ path: screenshotPath('journey-5-cancel-confirm'), fullPage: true })
      await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click()
      await page.getByText('Votre inscription est annulée.').waitFor()
      await page.screenshot({ path: screenshotPath('journey-6-cancelled'), fullPage: true })

      // 6. The cancellation email removes the event from the calendar: CANCEL, same UID, higher SEQUENCE.
      const { parsed: cancellation } = await nthMail(sink.dir, email, 2, () => workers.output())
      expect(cancellation.subject).toBe(`Votre inscription est annulée : ${event.title}`)
      const cancel = inviteOf(cancellation, 'CANCEL')
      expect(cancel.method).toBe('CANCEL')
      expect(cancel.events).toHaveLength(1)
      const removed = cancel.events[0]!
      expect(removed.uid).toBe(invited.uid)
      expect(removed.sequence).toBeGreaterThan(invited.sequence)
      expect(removed.status).toBe('CANCELLED')
      expect(removed.attendees).toEqual([email])
      expect(removed.start.toISOString()).toBe(invited.start.toISOString())

      // 7. The personal link now says the registration is cancelled, still without the real address.
      await page.goto(joinLink)
      await page.getByRole('heading', { name: 'Votre inscription n’est pas confirmée' }).waitFor()
      expect(await page.content()).not.toContain(joinUrlOf(event.slug))
    } finally {
      await context.close()
    }
    expect(await mailsTo(sink.dir, email)).toHaveLength(2)
  })
})
