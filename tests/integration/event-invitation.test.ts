// One-click registration from a newsletter, end to end. A campaign with an event card is launched and sent by a real
// worker process to this file's SMTP listener; the messages are read back from the .eml files: each recipient's
// button carries a signed /inscription/ link naming that very contact (decoded with the server's own reader) and the
// archive version the event page. The links are then followed on a web server of this file's own (the production
// build, this file's database and queue prefix), as a browser without JavaScript would: a GET shows the page and
// stores nothing, a POST registers once (a second one says "already", one row), the row says INVITATION and its
// confirmation is written to the event ledger; a full event with a waitlist puts the person on it. Forged, other
// purposes', expired links and erased contacts are refused; missing names and required answers are asked with the
// public form's French errors, typed values kept. Posts sent at the same moment (a double click) make one
// registration, one confirmation and no "already registered" email, and every answer shows the person's real status
// even when the first post took the last seat of an event without waitlist (not "complet"). The staff page creates a
// draft with the event block (its button « Je m’inscris ») and the list; the same form posted twice at once makes one
// draft; a write refused by the database half-way (a trigger on the campaign's lists) leaves no draft behind; the
// registrations table names the source « Invitation (lettre d’information) ».
//
// Every address the app writes uses the run's APP_URL (the worker's and this server's too, so the click count
// compares like with like); the test sends those requests to this file's server by swapping the origin.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { CompiledCampaign } from '#emails/campaign/compiled.ts'
import { CampaignWorkers, closeFileServices, openFileDatabase, seedStaffId, uniqueTag, waitForCampaignStatus } from '#tests/helpers/campaign.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { attendee, createTestEvent } from '#tests/helpers/registration.ts'
import { startSmtpSink, type SmtpSink } from '#tests/helpers/smtp-sink.ts'
import { createTestStaff } from '#tests/helpers/staff.ts'
import { webServerEnv } from '#tests/helpers/test-env.ts'
import { launchCampaign } from '~/models/campaign-send.server.ts'
import { createInvitationCampaign } from '~/models/event-invitation.server.ts'
import { registerForEvent } from '~/models/registration.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { eventInviteUrl, feedbackUrl, preferencesUrl, readEventInviteToken } from '~/utils/links.server.ts'

const isolation = vi.hoisted(() => {
  const prefix = `${process.env.QUEUE_PREFIX ?? 'relais'}einv`
  const url = new URL(process.env.DATABASE_URL ?? '')
  url.pathname = `${url.pathname}_einv`
  process.env.QUEUE_PREFIX = prefix
  process.env.DATABASE_URL = url.toString()
  return { prefix }
})

const { appUrl } = inject('testContext')
const sinkDir = `${inject('mailDir')}-event-invitation`
let sink: SmtpSink
let workers: CampaignWorkers
let web: RunningProcess | undefined
let webUrl = ''

beforeAll(async () => {
  await openFileDatabase()
  const port = await freePort()
  webUrl = `http://127.0.0.1:${port}`
  web = startProcess('app/server.ts', webServerEnv(inject('testContext'), inject('buildDir'), { DATABASE_URL: process.env.DATABASE_URL ?? '', QUEUE_PREFIX: isolation.prefix, PORT: String(port) }))
  sink = await startSmtpSink(sinkDir)
  workers = new CampaignWorkers({ prefix: isolation.prefix, smtpPort: sink.port, env: { CAMPAIGN_BATCH_SIZE: '20' } })
  await waitFor(async () => (await fetch(`${webUrl}/`)).status === 200, 60_000, `web server on ${webUrl} (${web.output()})`)
  await workers.start()
})

afterAll(async () => {
  await closeFileServices({ prefix: isolation.prefix, workers, web, sink, sinkDir })
})

/** An address the app wrote (on the run's APP_URL), on this file's server. */
const onOurServer = (url: string) => `${webUrl}${url.startsWith(appUrl) ? url.slice(appUrl.length) : url}`
const pathOf = (url: string) => new URL(url).pathname

async function get(path: string): Promise<{ status: number; html: string; location: string | null }> {
  const response = await fetch(onOurServer(path), { redirect: 'manual' })
  return { status: response.status, html: await response.text(), location: response.headers.get('Location') }
}

/** A form post as the page's own form sends it (same origin, no JavaScript). */
async function post(path: string, fields: Record<string, string> = {}): Promise<{ status: number; html: string; location: string | null }> {
  const response = await fetch(onOurServer(path), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: webUrl },
  })
  return { status: response.status, html: await response.text(), location: response.headers.get('Location') }
}

/** React writes text with entities for quotes; the assertions read it as a person would. */
const readable = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

async function contact(email: string, data: { firstName?: string | null; lastName?: string | null; measurementConsent?: boolean; locale?: string } = {}) {
  return prisma.contact.create({ data: { email, firstName: 'firstName' in data ? data.firstName : 'Camille', lastName: 'lastName' in data ? data.lastName : 'Martin', measurementConsent: data.measurementConsent ?? false, locale: data.locale ?? 'fr' } })
}

const registrationsOf = (eventId: number, email: string) => prisma.registration.findMany({ where: { eventId, email } })

describe('the newsletter’s event card', () => {
  it('carries each recipient’s own one-click link (the archive: the event page); GET registers nobody, POST registers once', async () => {
    const tag = uniqueTag('inv')
    const event = await createTestEvent({ capacity: 10 })
    const list = await prisma.mailingList.create({ data: { slug: `${tag}-l`, name: `Lettre ${tag}`, doubleOptIn: false, inArchive: true } })
    const people = [await contact(`${tag}-a@invite.test`, { measurementConsent: true }), await contact(`${tag}-b@invite.test`, { firstName: 'Dominique', lastName: 'Durand' })]
    await prisma.subscription.createMany({ data: people.map((person) => ({ contactId: person.id, listId: list.id, status: 'CONFIRMED' as const, confirmedAt: new Date() })) })
    const sender = await prisma.senderIdentity.create({ data: { name: 'Relais essais', email: `${tag}-sender@relais.test`, ratePerSecond: 1000, ratePerHour: 1_000_000 } })
    const campaign = await prisma.campaign.create({
      data: {
        name: `Invitation ${tag}`,
        subject: 'Invitation : webinaire',
        senderIdentityId: sender.id,
        content: [
          { id: 'h', type: 'heading', text: 'Bonjour {{prenom|à vous}}', level: 1 },
          { id: 'e', type: 'event', eventId: event.id, buttonLabel: 'Je m’inscris' },
        ],
        lists: { create: [{ listId: list.id }] },
      },
    })
    expect(await launchCampaign(campaign.id, await seedStaffId(tag))).toEqual({ ok: true, recipients: 2 })
    await waitForCampaignStatus(campaign.id, ['SENT'], 60_000, () => workers.output())

    // Each message's button: that contact's own link (the token names them and the event), in both parts.
    const links = new Map<string, string>()
    for (const file of readdirSync(sinkDir).filter((name) => name.endsWith('.eml'))) {
      const parsed = await simpleParser(readFileSync(join(sinkDir, file)))
      const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined
      const person = people.find((candidate) => candidate.email === to)
      if (!person) continue
      const hrefs = [...String(parsed.html).matchAll(/href="([^"]*\/inscription\/[^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'))
      expect(hrefs, to).toHaveLength(1)
      const href = hrefs[0]!
      expect(href.startsWith(`${appUrl}/inscription/`)).toBe(true)
      expect(readEventInviteToken(pathOf(href).split('/').pop()!)).toEqual({ contactId: person.id, eventId: event.id })
      expect(parsed.text).toContain(href)
      expect(String(parsed.html)).not.toContain(`href="${appUrl}/events/${event.slug}"`)
      // Only the consenting contact's link carries a measurement token.
      expect(new URL(href).searchParams.has('r')).toBe(person.measurementConsent)
      links.set(person.email!, href)
    }
    expect([...links.keys()].sort()).toEqual(people.map((person) => person.email).sort())
    expect(new Set(links.values()).size).toBe(2)
    const stored = await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id }, select: { snapshot: true } })
    const archive = (stored.snapshot as unknown as CompiledCampaign).archive
    expect(archive.html).toContain(`href="${appUrl}/events/${event.slug}"`)
    expect(archive.html).not.toContain('/inscription/')

    // Following the link: the click is counted (aggregate, and the consenting person's first click), the address tidied.
    const [first, second] = people
    const opened = await get(links.get(first!.email!)!)
    expect(opened.status).toBe(303)
    expect(opened.location).toBe(pathOf(links.get(first!.email!)!))
    const pageLink = await prisma.campaignLink.findFirstOrThrow({ where: { campaignId: campaign.id, url: `${appUrl}/events/${event.slug}` } })
    expect(pageLink.clicks).toBe(1)
    expect((await prisma.delivery.findFirstOrThrow({ where: { campaignId: campaign.id, contactId: first!.id } })).clickedAt).not.toBeNull()

    // GET shows the event, the address and the single button; it registers nobody (a mail scanner may prefetch it).
    const page = `${appUrl}${opened.location!}`
    for (let index = 0; index < 2; index += 1) {
      const shown = await get(page)
      expect(shown.status).toBe(200)
      const html = readable(shown.html)
      expect(html).toContain('<html lang="fr"')
      expect(html).toContain(`Webinaire ${event.slug}`)
      expect(html).toContain(`Vous serez inscrit·e avec l’adresse ${first!.email}.`)
      expect(html.match(/<button[^>]*type="submit"[^>]*>/g)).toHaveLength(1)
      expect(html).toContain('Je confirme mon inscription</button>')
      expect(html).not.toContain('name="firstName"')
    }
    expect(await registrationsOf(event.id, first!.email!)).toHaveLength(0)

    // POST registers, source INVITATION, from the contact's profile; its confirmation is in the ledger.
    const confirmed = await post(page)
    expect(confirmed.status).toBe(303)
    expect(confirmed.location).toBe(`${pathOf(page)}?inscrit=1`)
    const [row] = await registrationsOf(event.id, first!.email!)
    expect(row).toMatchObject({ status: 'CONFIRMED', source: 'INVITATION', contactId: first!.id, firstName: 'Camille', lastName: 'Martin' })
    expect(await prisma.eventMessage.count({ where: { registrationId: row!.id, kind: 'CONFIRMATION' } })).toBe(1)
    const result = readable((await get(`${page}?inscrit=1`)).html)
    expect(result).toContain('C’est fait : votre inscription est confirmée. L’invitation calendrier arrive par courriel')
    expect(result).not.toContain('Je confirme mon inscription')

    // A second POST (a double click, the back button) changes nothing: one row, the page says "already".
    const again = await post(page)
    expect(again.status).toBe(303)
    expect(again.location).toBe(pathOf(page))
    expect(await registrationsOf(event.id, first!.email!)).toHaveLength(1)
    expect(readable((await get(page)).html)).toContain('Vous êtes déjà inscrit·e à cet événement : votre place est réservée.')
    // The page says it: no "already registered" email on top.
    expect(await prisma.eventMessage.count({ where: { registrationId: row!.id, kind: 'ALREADY_REGISTERED' } })).toBe(0)

    // The other recipient's link registers the other contact, never the first.
    const secondPage = onOurServer(links.get(second!.email!)!)
    const other = await post(pathOf(secondPage))
    expect(other.status).toBe(303)
    expect((await registrationsOf(event.id, second!.email!))[0]).toMatchObject({ source: 'INVITATION', firstName: 'Dominique' })
    expect(await prisma.registration.count({ where: { eventId: event.id } })).toBe(2)
  })
})

describe('/inscription/:token', () => {
  it('puts the contact on the waitlist of a full event with a waitlist, and says so before and after', async () => {
    const tag = uniqueTag('full')
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: true })
    expect((await registerForEvent({ eventId: event.id, attendee: attendee(`${tag}-first@invite.test`), answers: {}, source: 'PUBLIC' })).status).toBe('confirmed')
    const person = await contact(`${tag}@invite.test`)
    const page = pathOf(eventInviteUrl(person.id, event.id))
    expect(readable((await get(page)).html)).toContain('L’événement est complet : vous serez inscrit·e sur la liste d’attente')
    expect((await post(page)).status).toBe(303)
    expect((await registrationsOf(event.id, person.email!))[0]).toMatchObject({ status: 'WAITLISTED', source: 'INVITATION' })
    expect(readable((await get(`${page}?inscrit=1`)).html)).toContain('vous êtes sur la liste d’attente, en position 1.')
  })

  it('posts at the same moment register once, send one confirmation and no "already registered" email, and say the real status', async () => {
    const tag = uniqueTag('race')
    // Capacity 1 without waitlist: the first post takes the last seat; the others must not read "complet".
    const event = await createTestEvent({ capacity: 1, waitlistEnabled: false })
    const person = await contact(`${tag}@invite.test`)
    const page = pathOf(eventInviteUrl(person.id, event.id))
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(page)))
    expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303, 303])
    expect(answers.filter((answer) => answer.location === `${page}?inscrit=1`)).toHaveLength(1)
    expect(answers.filter((answer) => answer.location === page)).toHaveLength(3)
    const rows = await registrationsOf(event.id, person.email!)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'CONFIRMED', source: 'INVITATION' })
    const kinds = await prisma.eventMessage.groupBy({ by: ['kind'], where: { registrationId: rows[0]!.id, kind: { in: ['CONFIRMATION', 'ALREADY_REGISTERED'] } }, _count: { _all: true } })
    expect(kinds.map((row) => [row.kind, row._count._all])).toEqual([['CONFIRMATION', 1]])
    // Where the later posts land: the person's own registration, not the full event's refusal.
    const shown = readable((await get(page)).html)
    expect(shown).toContain('Vous êtes déjà inscrit·e à cet événement : votre place est réservée.')
    expect(shown).not.toContain('Cet événement est complet')
  })

  it('shows a full event without waitlist, a cancelled or a started one as closed, with no button, and refuses the post', async () => {
    const tag = uniqueTag('closed')
    const full = await createTestEvent({ capacity: 1, waitlistEnabled: false })
    await registerForEvent({ eventId: full.id, attendee: attendee(`${tag}-first@invite.test`), answers: {}, source: 'PUBLIC' })
    const cancelled = await createTestEvent({ status: 'CANCELLED' })
    const started = await createTestEvent({ startsAt: new Date(Date.now() - 10 * 60 * 1000) })
    const person = await contact(`${tag}@invite.test`)
    const cases = [
      [full, 'Cet événement est complet et n’a pas de liste d’attente'],
      [cancelled, 'Cet événement est annulé'],
      [started, 'Cet événement a déjà commencé : les inscriptions sont closes.'],
    ] as const
    for (const [event, sentence] of cases) {
      const page = pathOf(eventInviteUrl(person.id, event.id))
      const shown = await get(page)
      expect(shown.status).toBe(200)
      const html = readable(shown.html)
      expect(html).toContain(sentence)
      expect(html).toContain('href="/events"')
      expect(html).not.toContain('Je confirme mon inscription')
      const refused = await post(page)
      expect(refused.status).toBe(409)
      expect(readable(refused.html)).toContain(sentence)
      expect(await registrationsOf(event.id, person.email!)).toHaveLength(0)
    }
  })

  it('refuses forged links, links of another purpose, expired links and erased contacts, registering nobody', async () => {
    const tag = uniqueTag('bad')
    const event = await createTestEvent()
    const person = await contact(`${tag}@invite.test`)
    const good = pathOf(eventInviteUrl(person.id, event.id))
    const token = good.split('/').pop()!
    const forged = `/inscription/${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    const otherPurpose = `/inscription/${pathOf(preferencesUrl(person.id)).split('/').pop()}`
    const feedbackPurpose = `/inscription/${pathOf(feedbackUrl(person.id)).split('/').pop()}`
    for (const path of [forged, otherPurpose, feedbackPurpose, '/inscription/pas-un-jeton']) {
      const shown = await get(path)
      expect(shown.status, path).toBe(404)
      expect(readable(shown.html)).toContain('Lien d’inscription invalide')
      expect((await post(path)).status, path).toBe(404)
    }
    const expired = pathOf(eventInviteUrl(person.id, event.id, new Date(Date.now() - 401 * 24 * 60 * 60 * 1000)))
    const old = await get(expired)
    expect(old.status).toBe(410)
    expect(readable(old.html)).toContain('Lien d’inscription expiré')
    expect((await post(expired)).status).toBe(410)

    // An erased contact: the row stays without an address, its old links name nobody.
    const erased = await contact(`${tag}-erased@invite.test`)
    const erasedPage = pathOf(eventInviteUrl(erased.id, event.id))
    await prisma.contact.update({ where: { id: erased.id }, data: { email: null, firstName: null, lastName: null, status: 'ERASED', erasedAt: new Date() } })
    expect((await get(erasedPage)).status).toBe(404)
    expect((await post(erasedPage)).status).toBe(404)
    // A draft event does not exist for the public.
    const draft = await createTestEvent({ status: 'DRAFT' })
    expect((await get(pathOf(eventInviteUrl(person.id, draft.id)))).status).toBe(404)
    expect(await prisma.registration.count({ where: { eventId: { in: [event.id, draft.id] } } })).toBe(0)
  })

  it('asks for missing names and required answers with the public form’s French errors, keeping what was typed', async () => {
    const tag = uniqueTag('names')
    const event = await createTestEvent({ questions: [{ id: 'commune', label: 'Votre commune', type: 'short_text', required: true, options: [] }] })
    const person = await contact(`${tag}@invite.test`, { firstName: null, lastName: '' })
    const page = pathOf(eventInviteUrl(person.id, event.id))
    const shown = readable((await get(page)).html)
    expect(shown).toMatch(/<label for="invitation-firstName">Prénom/)
    expect(shown).toMatch(/<label for="invitation-lastName">Nom/)
    expect(shown).toContain('Votre commune')

    const empty = await post(page)
    expect(empty.status).toBe(400)
    const errors = readable(empty.html)
    expect(errors).toContain('Indiquez votre prénom.')
    expect(errors).toContain('Indiquez votre nom.')
    expect(errors).toContain('Cette question est obligatoire.')
    expect(errors).toMatch(/aria-describedby="invitation-firstName-error"/)

    const partial = await post(page, { firstName: 'Aïcha', lastName: '', 'q-commune': 'Pessac' })
    expect(partial.status).toBe(400)
    const kept = readable(partial.html)
    expect(kept).toContain('value="Aïcha"')
    expect(kept).toContain('value="Pessac"')
    expect(kept).toContain('Indiquez votre nom.')
    expect(kept).not.toContain('Indiquez votre prénom.')
    expect(await registrationsOf(event.id, person.email!)).toHaveLength(0)

    expect((await post(page, { firstName: 'Aïcha', lastName: 'Benali', 'q-commune': 'Pessac' })).status).toBe(303)
    expect((await registrationsOf(event.id, person.email!))[0]).toMatchObject({ firstName: 'Aïcha', lastName: 'Benali', answers: { commune: 'Pessac' }, source: 'INVITATION' })
  })

  it('shows the page in English to a contact whose language is English', async () => {
    const tag = uniqueTag('en')
    const event = await createTestEvent()
    const person = await contact(`${tag}@invite.test`, { locale: 'en' })
    const page = pathOf(eventInviteUrl(person.id, event.id))
    const first = await get(page)
    expect(first.status).toBe(303)
    expect(first.location).toBe(`${page}?lang=en`)
    const html = readable((await get(first.location!)).html)
    expect(html).toContain('<html lang="en"')
    expect(html).toContain(`You will be registered with the address ${person.email}.`)
    expect(html).toContain('I confirm my registration</button>')
  })
})

describe('/admin/events/:id/invite', () => {
  async function staffRequest(staff: { cookie: string; csrfToken: string }, path: string, fields?: URLSearchParams) {
    const response = await fetch(`${webUrl}${path}`, {
      method: fields ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { Cookie: staff.cookie, ...(fields ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: webUrl } : {}) },
      body: fields ? new URLSearchParams([...fields, ['csrf', staff.csrfToken]]) : undefined,
    })
    return { status: response.status, html: readable(await response.text()), location: response.headers.get('Location') }
  }

  it('creates a campaign draft with the event block and the chosen list, then goes to its page', async () => {
    const tag = uniqueTag('staff')
    const staff = await createTestStaff('EDITOR')
    const event = await createTestEvent()
    const list = await prisma.mailingList.create({ data: { slug: `${tag}-l`, name: `Lettre ${tag}` } })
    const path = `/admin/events/${event.id}/invite`
    const form = await staffRequest(staff, path)
    expect(form.status).toBe(200)
    expect(form.html).toContain(`value="Invitation : Webinaire ${event.slug}"`)
    expect(form.html).toContain(`Lettre ${tag}`)

    const noList = await staffRequest(staff, path, new URLSearchParams({ subject: 'Invitation', intro: '' }))
    expect(noList.status).toBe(400)
    expect(noList.html).toContain('Choisissez au moins une liste')

    const before = await prisma.campaign.count()
    const created = await staffRequest(
      staff,
      path,
      new URLSearchParams({ subject: `Invitation : Webinaire ${event.slug}`, intro: 'Bonjour {{prenom|à vous}},\n\nVenez <nombreux>.', listIds: String(list.id) }),
    )
    expect(created.status).toBe(303)
    const campaignId = Number(/^\/admin\/campaigns\/(\d+)$/.exec(created.location ?? '')?.[1])
    expect(await prisma.campaign.count()).toBe(before + 1)
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, include: { lists: true } })
    expect(campaign).toMatchObject({ status: 'DRAFT', subject: `Invitation : Webinaire ${event.slug}`, name: `Invitation : Webinaire ${event.slug}` })
    expect(campaign.lists.map((entry) => entry.listId)).toEqual([list.id])
    const blocks = campaign.content as Array<{ type: string; eventId?: number; html?: string; text?: string }>
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'text', 'event'])
    expect(blocks[0]!.text).toBe(`Webinaire ${event.slug}`)
    expect(blocks[1]!.html).toBe('<p>Bonjour {{prenom|à vous}},</p><p>Venez &lt;nombreux&gt;.</p>')
    expect(blocks[2]!.eventId).toBe(event.id)
    expect((await staffRequest(staff, created.location!)).status).toBe(200)
  })

  it('makes one draft when the same form is posted twice at once; a new form makes another', async () => {
    const tag = uniqueTag('twice')
    const staff = await createTestStaff('EDITOR')
    const event = await createTestEvent()
    const list = await prisma.mailingList.create({ data: { slug: `${tag}-l`, name: `Lettre ${tag}` } })
    const path = `/admin/events/${event.id}/invite`
    const keyOf = (html: string) => /name="requestKey" value="([0-9a-f-]{36})"/.exec(html)?.[1]
    const form = await staffRequest(staff, path)
    expect(form.html).toContain('chaque destinataire y trouvera un bouton « Je m’inscris »')
    const requestKey = keyOf(form.html)
    expect(requestKey).toBeDefined()
    const fields = { subject: `Invitation ${tag}`, intro: '', listIds: String(list.id), requestKey: requestKey! }
    const posts = await Promise.all([staffRequest(staff, path, new URLSearchParams(fields)), staffRequest(staff, path, new URLSearchParams(fields))])
    expect(posts.map((posted) => posted.status)).toEqual([303, 303])
    expect(posts[0]!.location).toMatch(/^\/admin\/campaigns\/\d+$/)
    expect(posts[1]!.location).toBe(posts[0]!.location)
    const drafts = await prisma.campaign.findMany({ where: { subject: `Invitation ${tag}` }, include: { lists: true } })
    expect(drafts).toHaveLength(1)
    // Written whole: settings, audience, blocks, the event it invites to; the card's button says « Je m’inscris ».
    expect(drafts[0]).toMatchObject({ status: 'DRAFT', name: `Invitation : Webinaire ${event.slug}`, eventId: event.id, locale: 'fr' })
    expect(drafts[0]!.lists.map((entry) => entry.listId)).toEqual([list.id])
    expect(drafts[0]!.content).toEqual([
      { id: 'titre', type: 'heading', text: `Webinaire ${event.slug}`, level: 1 },
      { id: 'evenement', type: 'event', eventId: event.id, buttonLabel: 'Je m’inscris' },
    ])
    // The same key later (the back button and send again): still that draft. A new form: a second invitation.
    expect((await staffRequest(staff, path, new URLSearchParams(fields))).location).toBe(posts[0]!.location)
    const again = await staffRequest(staff, path, new URLSearchParams({ ...fields, requestKey: keyOf((await staffRequest(staff, path)).html)! }))
    expect(again.status).toBe(303)
    expect(again.location).not.toBe(posts[0]!.location)
    expect(await prisma.campaign.count({ where: { subject: `Invitation ${tag}` } })).toBe(2)
  })

  it('leaves no draft behind when the database refuses a write half-way', async () => {
    const tag = uniqueTag('atomic')
    const staff = await createTestStaff('EDITOR')
    const event = await createTestEvent()
    const list = await prisma.mailingList.create({ data: { slug: `${tag}-l`, name: `Lettre ${tag}` } })
    // The campaign row is written, then its list: the database refuses that list (this file's own database).
    const trigger = `refuse_list_${list.id}`
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION ${trigger}() RETURNS trigger AS $$ BEGIN IF NEW."listId" = ${list.id} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    )
    await prisma.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "CampaignList" FOR EACH ROW EXECUTE FUNCTION ${trigger}()`)
    try {
      const input = { subject: `Invitation ${tag}`, intro: 'Bonjour', listIds: [list.id], segmentId: null, requestKey: null }
      await expect(createInvitationCampaign(event.id, input, staff)).rejects.toThrow()
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${trigger} ON "CampaignList"`)
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${trigger}()`)
    }
    expect(await prisma.campaign.count({ where: { name: `Invitation : Webinaire ${event.slug}` } })).toBe(0)
  })

  it('names the source of a one-click registration « Invitation (lettre d’information) » in the registrations table', async () => {
    const staff = await createTestStaff('EDITOR')
    const event = await createTestEvent()
    const email = `${uniqueTag('source')}@invite.test`
    expect((await registerForEvent({ eventId: event.id, attendee: attendee(email), answers: {}, source: 'INVITATION' })).status).toBe('confirmed')
    const table = await staffRequest(staff, `/admin/events/${event.id}/registrations`)
    expect(table.status).toBe(200)
    expect(table.html).toMatch(/<td>Invitation \(lettre d’information\)<\/td>/)
  })

  it('refuses a draft, a cancelled or a past event with a French sentence, creating nothing', async () => {
    const staff = await createTestStaff('EDITOR')
    const list = await prisma.mailingList.create({ data: { slug: `${uniqueTag('refuse')}-l`, name: 'Lettre refus' } })
    const cases = [
      [await createTestEvent({ status: 'DRAFT' }), 'Cet événement est un brouillon : publiez-le avant d’y inviter.'],
      [await createTestEvent({ status: 'CANCELLED' }), 'Cet événement est annulé : il n’est plus possible d’y inviter.'],
      [await createTestEvent({ startsAt: new Date(Date.now() - 2 * 60 * 60 * 1000) }), 'Cet événement a déjà commencé ou est terminé'],
    ] as const
    const before = await prisma.campaign.count()
    for (const [event, sentence] of cases) {
      const path = `/admin/events/${event.id}/invite`
      const shown = await staffRequest(staff, path)
      expect(shown.html).toContain(sentence)
      expect(shown.html).not.toContain('Créer la campagne d’invitation')
      const refused = await staffRequest(staff, path, new URLSearchParams({ subject: 'Invitation', listIds: String(list.id) }))
      expect(refused.status).toBe(400)
      expect(refused.html).toContain(sentence)
    }
    expect(await prisma.campaign.count()).toBe(before)
    expect((await staffRequest(staff, '/admin/events/999999999/invite')).status).toBe(404)
  })
})
