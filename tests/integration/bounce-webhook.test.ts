// The bounce/complaint webhook (POST /api/webhooks/bounces), on a web server of its own started with
// BOUNCE_WEBHOOK_SECRET set (the run's shared server has none, so there it is off: 404). Authenticated by the shared
// secret (Bearer, X-Relais-Webhook-Secret, Basic auth or ?secret=); the generic, Brevo and Mailjet payloads each
// suppress and mark; a replay changes nothing more; a soft bounce suppresses nothing; a malformed body is a 400 with
// a French sentence, but one bad event in a batch is skipped and counted as ignored (a 400 would make the relay
// retry the whole batch forever); another method is a 405 with its own sentence.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { webServerEnv } from '#tests/helpers/test-env.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'

const context = inject('testContext')
const secret = `webhook-secret-${randomUUID()}`

let web: RunningProcess | undefined
let url = ''

beforeAll(async () => {
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  web = startProcess('app/server.ts', webServerEnv(context, inject('buildDir'), { PORT: String(port), BOUNCE_WEBHOOK_SECRET: secret }))
  let lastStatus = 0
  await waitFor(
    async () => {
      lastStatus = (await fetch(`${url}/`)).status
      return lastStatus === 200
    },
    // Generous: the machine is shared with other test runs (the hook itself may take 120 s).
    90_000,
    'web server with the webhook secret',
  ).catch((error: Error) => {
    throw new Error(`${error.message} (last status ${lastStatus}, exit code ${web?.child.exitCode}): ${web?.output()}`)
  })
})

afterAll(async () => {
  await web?.stop()
})

function post(body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${secret}` }, query = '') {
  return fetch(`${url}/api/webhooks/bounces${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A subscribed contact who got one campaign (its delivery SENT with a Message-ID). */
async function recipient() {
  const list = await prisma.mailingList.create({ data: { slug: `bounce-${randomUUID()}`, name: 'Lettre' } })
  const email = uniqueAddress('bounce')
  const contact = await prisma.contact.create({
    data: { email, subscriptions: { create: [{ listId: list.id, status: 'CONFIRMED', confirmedAt: new Date() }] } },
  })
  const campaign = await prisma.campaign.create({ data: { name: 'Lettre', status: 'SENT', lists: { create: [{ listId: list.id }] } } })
  const messageId = `<${randomUUID()}@relais.test.example>`
  const delivery = await prisma.delivery.create({
    data: { campaignId: campaign.id, contactId: contact.id, listId: list.id, status: 'SENT', sentAt: new Date(), messageId, smtpResponse: '250 OK' },
  })
  return { email, contact, campaign, delivery, messageId }
}

async function state(person: Awaited<ReturnType<typeof recipient>>) {
  const [contact, suppressions, delivery, subscriptions, consents] = await Promise.all([
    prisma.contact.findUniqueOrThrow({ where: { id: person.contact.id } }),
    prisma.suppression.findMany({ where: { emailHash: emailHash(person.email) } }),
    prisma.delivery.findUniqueOrThrow({ where: { id: person.delivery.id } }),
    prisma.subscription.findMany({ where: { contactId: person.contact.id } }),
    prisma.consentRecord.count({ where: { contactId: person.contact.id } }),
  ])
  return {
    contact: contact.status,
    suppressions: suppressions.map((row) => row.reason),
    delivery: { status: delivery.status, error: delivery.error, unsubscribed: delivery.unsubscribedAt !== null },
    subscriptions: subscriptions.map((row) => row.status),
    consents,
  }
}

describe('bounce webhook: access', () => {
  it('is off (404) on a server without BOUNCE_WEBHOOK_SECRET', async () => {
    const response = await fetch(`${context.appUrl}/api/webhooks/bounces`, { method: 'POST', body: '{"events":[]}', headers: { Authorization: `Bearer ${secret}` } })
    expect(response.status).toBe(404)
  })

  it('refuses (401) a request without the secret or with a wrong one, and changes nothing', async () => {
    const person = await recipient()
    const body = { events: [{ type: 'hard_bounce', email: person.email }] }
    const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-secret-wrong-secret-1234' }, { 'X-Relais-Webhook-Secret': `${secret}x` }, { Authorization: secret }]
    for (const headers of attempts) {
      const response = await post(body, headers)
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: string }).error).toContain('Secret du webhook')
    }
    expect((await post(body, {}, '?secret=nope')).status).toBe(401)
    expect((await state(person)).suppressions).toEqual([])
  })

  it('accepts the secret in X-Relais-Webhook-Secret, in ?secret= and as the Basic auth password', async () => {
    const [a, b, c] = [await recipient(), await recipient(), await recipient()]
    const generic = (email: string) => ({ events: [{ type: 'soft_bounce', email }] })
    expect((await post(generic(a.email), { 'X-Relais-Webhook-Secret': secret })).status).toBe(200)
    expect((await post(generic(b.email), {}, `?secret=${encodeURIComponent(secret)}`)).status).toBe(200)
    expect((await post(generic(c.email), { Authorization: `Basic ${Buffer.from(`relais:${secret}`).toString('base64')}` })).status).toBe(200)
    // A relay's request comes from another site: the CSRF checks of staff forms do not apply here.
    const crossSite = await post(generic(a.email), { Authorization: `Bearer ${secret}`, Origin: 'https://webhooks.relay.example', 'Sec-Fetch-Site': 'cross-site' })
    expect(crossSite.status).toBe(200)
  })
})

describe('bounce webhook: methods', () => {
  it('answers another method than POST with 405, Allow: POST and its own French sentence', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${url}/api/webhooks/bounces`, { method, headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: '{"events":[]}' })
      expect(response.status, method).toBe(405)
      expect(response.headers.get('allow')).toBe('POST')
      const { error } = (await response.json()) as { error: string }
      expect(error).toBe('Méthode refusée : le webhook n’accepte que des requêtes POST.')
    }
  })
})

describe('bounce webhook: generic format', () => {
  it('a hard bounce suppresses the address, marks the contact BOUNCED and the matching delivery BOUNCED with the reason; a replay changes nothing', async () => {
    const person = await recipient()
    const body = { events: [{ type: 'hard_bounce', email: person.email.toUpperCase(), reason: '550 5.1.1 mailbox unknown', message_id: person.messageId }] }
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 1, ignored: 0 })
    const after = await state(person)
    expect(after).toMatchObject({
      contact: 'BOUNCED',
      suppressions: ['HARD_BOUNCE'],
      delivery: { status: 'BOUNCED', error: '550 5.1.1 mailbox unknown', unsubscribed: false },
      subscriptions: ['CONFIRMED'],
    })
    expect((await post(body)).status).toBe(200)
    expect(await state(person)).toEqual(after)
  })

  it('a complaint unsubscribes from every list (consent recorded, counted on the campaign), suppresses and marks COMPLAINED; a replay changes nothing', async () => {
    const person = await recipient()
    // The Message-ID without its angle brackets, as some relays send it.
    const body = { events: [{ type: 'complaint', email: person.email, message_id: person.messageId.slice(1, -1) }] }
    expect(await (await post(body)).json()).toEqual({ accepted: 1, ignored: 0 })
    const after = await state(person)
    expect(after).toEqual({
      contact: 'COMPLAINED',
      suppressions: ['COMPLAINT'],
      delivery: { status: 'SENT', error: null, unsubscribed: true },
      subscriptions: ['UNSUBSCRIBED'],
      consents: 1,
    })
    expect((await post(body)).status).toBe(200)
    expect(await state(person)).toEqual(after)
  })

  it('a soft bounce is recorded only: no suppression, the contact and delivery unchanged', async () => {
    const person = await recipient()
    const before = await state(person)
    const response = await post({ events: [{ type: 'soft_bounce', email: person.email, reason: '452 mailbox full', message_id: person.messageId }] })
    expect(await response.json()).toEqual({ accepted: 1, ignored: 0 })
    expect(await state(person)).toEqual(before)
  })

  it('never touches another person’s delivery through a Message-ID', async () => {
    const [owner, stranger] = [await recipient(), await recipient()]
    await post({ events: [{ type: 'hard_bounce', email: stranger.email, message_id: owner.messageId }] })
    expect((await state(owner)).delivery.status).toBe('SENT')
    expect((await state(stranger)).suppressions).toEqual(['HARD_BOUNCE'])
  })

  it('accepts a batch with a malformed event: the good ones are acted upon, the bad one counted as ignored', async () => {
    const [good, other] = [await recipient(), await recipient()]
    const body = {
      events: [
        { type: 'hard_bounce', email: good.email, message_id: good.messageId },
        { type: 'bogus', email: other.email },
        { type: 'complaint', email: 'pas-une-adresse' },
        'pas un objet',
      ],
    }
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 1, ignored: 3 })
    expect(await state(good)).toMatchObject({ contact: 'BOUNCED', suppressions: ['HARD_BOUNCE'], delivery: { status: 'BOUNCED' } })
    expect((await state(other)).suppressions).toEqual([])
  })

  it('answers 400 with a French sentence to a malformed body, and 413 past 1 MB', async () => {
    const person = await recipient()
    for (const body of ['pas du JSON', '42', '[]', { events: [] }, { events: [{ type: 'bogus', email: person.email }] }, { events: [{ type: 'hard_bounce', email: 'pas-une-adresse' }] }, { event: 'hard_bounce' }]) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(((await response.json()) as { error: string }).error).toContain('Requête refusée')
    }
    expect((await state(person)).suppressions).toEqual([])
    const huge = await post({ events: [{ type: 'hard_bounce', email: person.email, reason: 'x'.repeat(1024 * 1024) }] })
    expect(huge.status).toBe(413)
    expect((await state(person)).suppressions).toEqual([])
  })
})

describe('bounce webhook: Brevo and Mailjet payloads', () => {
  it('Brevo: hard_bounce suppresses and marks the delivery, spam is a complaint, soft_bounce and delivered change nothing', async () => {
    const [hard, spam, soft] = [await recipient(), await recipient(), await recipient()]
    const brevo = (event: string, person: Awaited<ReturnType<typeof recipient>>) => ({
      event,
      email: person.email,
      id: 26224,
      date: '2026-11-22 06:00:00',
      ts: 1795330800,
      'message-id': person.messageId,
      ts_event: 1795330800,
      subject: 'La quotidienne',
      tag: '',
      sending_ip: '185.41.28.109',
      ts_epoch: 1795330800123,
      reason: event === 'hard_bounce' ? 'Recipient address rejected: user unknown' : undefined,
    })
    expect(await (await post(brevo('hard_bounce', hard))).json()).toEqual({ accepted: 1, ignored: 0 })
    expect(await state(hard)).toMatchObject({ contact: 'BOUNCED', suppressions: ['HARD_BOUNCE'], delivery: { status: 'BOUNCED', error: 'Recipient address rejected: user unknown' } })
    expect(await (await post(brevo('spam', spam))).json()).toEqual({ accepted: 1, ignored: 0 })
    expect(await state(spam)).toMatchObject({ contact: 'COMPLAINED', suppressions: ['COMPLAINT'], subscriptions: ['UNSUBSCRIBED'] })
    expect(await (await post(brevo('soft_bounce', soft))).json()).toEqual({ accepted: 1, ignored: 0 })
    expect(await (await post(brevo('delivered', soft))).json()).toEqual({ accepted: 0, ignored: 1 })
    expect(await state(soft)).toMatchObject({ contact: 'ACTIVE', suppressions: [], delivery: { status: 'SENT' } })
  })

  it('Mailjet: a single hard bounce suppresses; a grouped array handles each event (soft bounce recorded, spam a complaint, open ignored)', async () => {
    const [hard, soft, spam] = [await recipient(), await recipient(), await recipient()]
    const mailjet = (event: string, person: Awaited<ReturnType<typeof recipient>>, extra: Record<string, unknown> = {}) => ({
      event,
      time: 1795330800,
      MessageID: 13792286917004336,
      Message_GUID: '1ab23cd4-e567-8901-2345-6789f0gh1i2j',
      email: person.email,
      mj_campaign_id: 0,
      mj_contact_id: 0,
      customcampaign: '',
      CustomID: person.messageId,
      Payload: '',
      ...extra,
    })
    const single = mailjet('bounce', hard, { blocked: true, hard_bounce: true, error_related_to: 'recipient', error: 'user unknown' })
    expect(await (await post(single)).json()).toEqual({ accepted: 1, ignored: 0 })
    expect(await state(hard)).toMatchObject({ contact: 'BOUNCED', suppressions: ['HARD_BOUNCE'], delivery: { status: 'BOUNCED', error: 'recipient: user unknown' } })

    const grouped = [
      mailjet('bounce', soft, { blocked: false, hard_bounce: false, error_related_to: 'recipient', error: 'quota exceeded' }),
      mailjet('spam', spam, { source: 'JMRPP' }),
      mailjet('open', soft, { ip: '127.0.0.1', geo: 'FR', agent: 'Mozilla/5.0' }),
    ]
    expect(await (await post(grouped)).json()).toEqual({ accepted: 2, ignored: 1 })
    expect(await state(soft)).toMatchObject({ contact: 'ACTIVE', suppressions: [], delivery: { status: 'SENT' } })
    expect(await state(spam)).toMatchObject({ contact: 'COMPLAINED', suppressions: ['COMPLAINT'], subscriptions: ['UNSUBSCRIBED'], delivery: { unsubscribed: true } })
    // A grouped array with a broken item (no address) is still handled: the item is counted as ignored.
    const late = await recipient()
    const withBroken = [mailjet('bounce', late, { hard_bounce: true, error_related_to: 'recipient', error: 'user unknown' }), { event: 'bounce', time: 1795330800 }]
    expect(await (await post(withBroken)).json()).toEqual({ accepted: 1, ignored: 1 })
    expect(await state(late)).toMatchObject({ contact: 'BOUNCED', delivery: { status: 'BOUNCED' } })
    // Replayed (Mailjet retries on anything but 200): nothing more happens.
    const before = await state(spam)
    expect((await post(grouped)).status).toBe(200)
    expect(await state(spam)).toEqual(before)
  })
})
