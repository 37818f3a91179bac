// The public sign-up against the production server, a real worker and SMTP: double opt-in by email, one
// confirmation for several lists, welcome messages, consent records, no enumeration, anti-abuse (honeypot,
// proof-of-work, replay, rate limits, daily mail cap), signed links (tampered, expired, foreign), embed and snippet.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeQueues, getQueue } from '#jobs/queues.ts'
import { messagesTo, uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { confirmLinkIn, createTestList, postForm, randomIp, signupFields, solvedPow, startWorker } from '#tests/helpers/signup.ts'
import { signupMailLimit } from '~/models/subscription-mail.server.ts'
import { suppressAddress } from '~/models/suppression.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { emailHash } from '~/utils/email-address.ts'
import { confirmUrl, preferencesUrl } from '~/utils/links.server.ts'
import { redis } from '~/utils/redis.server.ts'
import { signToken } from '~/utils/token.server.ts'

const { appUrl } = inject('testContext')
let worker: RunningProcess
let listA: Awaited<ReturnType<typeof createTestList>>
let listB: Awaited<ReturnType<typeof createTestList>>
let listSingle: Awaited<ReturnType<typeof createTestList>>

beforeAll(async () => {
  worker = await startWorker()
  listA = await createTestList('signup-a')
  listB = await createTestList('signup-b')
  listSingle = await createTestList('signup-simple', { doubleOptIn: false })
})

afterAll(async () => {
  await worker?.stop()
  await closeQueues()
  await redis.quit()
  await prisma.$disconnect()
})

async function signUp(email: string, slugs: string[], extra: Record<string, string> = {}, ip = randomIp()) {
  return postForm('/newsletters', signupFields(email, slugs, { altcha: await solvedPow(), ...extra }), { ip })
}

const subscriptionsOf = (email: string) => prisma.subscription.findMany({ where: { contact: { email } }, orderBy: { listId: 'asc' } })
const confirmPost = (link: string) => postForm(new URL(link).pathname, new URLSearchParams({ intent: 'confirm' }))
const resendPost = (link: string) => postForm('/newsletters/resend', new URLSearchParams({ token: link.split('/').pop()! }))

/** Waits until the run's email queue has nothing waiting or running (every message enqueued so far is out). */
async function emailQueueDrained(): Promise<void> {
  await waitFor(async () => {
    const counts = await getQueue('email').getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    return Object.values(counts).every((count) => count === 0)
  }, 30_000, 'the email queue to drain')
}

describe('sign-up with double opt-in', () => {
  it('subscribes, confirms by the emailed link, records consent and sends the welcome message', async () => {
    const email = uniqueAddress('signup-one')
    const response = await signUp(email, [listA.slug])
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Vérifiez votre messagerie')
    expect((await subscriptionsOf(email)).map((row) => row.status)).toEqual(['PENDING'])

    const [confirmation] = await waitForMessages(email)
    expect(confirmation!.parsed.subject).toContain('Confirmez votre inscription')
    expect(confirmation!.parsed.text).toContain(listA.name)
    expect(confirmation!.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    const link = confirmLinkIn(confirmation!.parsed.text)
    expect(link).not.toContain(encodeURIComponent(email))
    expect(link).not.toContain(email)

    // Opening the link (as a mail scanner would) changes nothing; the button does.
    const page = await fetch(link)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(listA.name)
    expect((await subscriptionsOf(email))[0]!.status).toBe('PENDING')
    const confirmed = await confirmPost(link)
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('Inscription confirmée')
    const [subscription] = await subscriptionsOf(email)
    expect(subscription!.status).toBe('CONFIRMED')

    const contact = await prisma.contact.findUniqueOrThrow({ where: { email } })
    expect(contact).toMatchObject({ firstName: 'Camille', organization: 'Commune de Test', actorType: 'PUBLIC_AGENT', territory: '33', locale: 'fr' })
    const records = await prisma.consentRecord.findMany({ where: { contactId: contact.id }, orderBy: { id: 'asc' } })
    expect(records.map((record) => [record.action, record.source, record.channel, record.listIds])).toEqual([
      ['SUBSCRIBE', 'FORM', 'web', [listA.id]],
      ['CONFIRM', 'EMAIL_LINK', 'email', [listA.id]],
    ])
    const text = await prisma.consentText.findUniqueOrThrow({ where: { hash: records[0]!.consentTextHash! } })
    expect(text.body).toContain('désinscrire')
    expect(records[1]!.consentTextHash).toBe(text.hash)

    const messages = await waitForMessages(email, 2)
    const welcome = messages.find((message) => message.parsed.subject?.startsWith('Bienvenue'))!
    expect(welcome.parsed.subject).toBe(`Bienvenue dans « ${listA.name} »`)
    expect(welcome.raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m)
    expect(welcome.parsed.text).toMatch(/\/preferences\//)

    // Confirming twice is harmless: same page, no second welcome.
    const again = await confirmPost(link)
    expect(again.status).toBe(200)
    await emailQueueDrained()
    expect(await prisma.outboundEmail.count({ where: { contactId: contact.id, template: 'subscription-welcome' } })).toBe(1)
  })

  it('sends one confirmation for two lists, then one welcome per list', async () => {
    const email = uniqueAddress('signup-two')
    expect((await signUp(email, [listA.slug, listB.slug])).status).toBe(200)
    const [confirmation] = await waitForMessages(email)
    expect(confirmation!.parsed.text).toContain(listA.name)
    expect(confirmation!.parsed.text).toContain(listB.name)
    expect((await confirmPost(confirmLinkIn(confirmation!.parsed.text))).status).toBe(200)
    const messages = await waitForMessages(email, 3)
    await emailQueueDrained()
    const all = await messagesTo(email)
    expect(all.filter((message) => message.parsed.subject?.includes('Confirmez'))).toHaveLength(1)
    expect(all.map((message) => message.parsed.subject).filter((subject) => subject?.startsWith('Bienvenue')).sort()).toEqual(
      [`Bienvenue dans « ${listA.name} »`, `Bienvenue dans « ${listB.name} »`].sort(),
    )
    expect(messages).toHaveLength(3)
    expect((await subscriptionsOf(email)).map((row) => row.status)).toEqual(['CONFIRMED', 'CONFIRMED'])
  })

  it('writes in English to someone who chose English', async () => {
    const email = uniqueAddress('signup-en')
    expect((await signUp(email, [listA.slug], { locale: 'en' })).status).toBe(200)
    const [confirmation] = await waitForMessages(email)
    expect(confirmation!.parsed.subject).toContain('Confirm your subscription')
    expect(confirmation!.parsed.text).toContain('Confirm my subscription')
  })

  it('confirms a list without double opt-in at once, with its welcome', async () => {
    const email = uniqueAddress('signup-single')
    expect((await signUp(email, [listSingle.slug])).status).toBe(200)
    expect((await subscriptionsOf(email)).map((row) => row.status)).toEqual(['CONFIRMED'])
    const [welcome] = await waitForMessages(email)
    expect(welcome!.parsed.subject).toBe(`Bienvenue dans « ${listSingle.name} »`)
  })
})

describe('no enumeration', () => {
  it('answers byte for byte the same for a new, a confirmed and an unsubscribed address, and tells each by email', async () => {
    // The page lists every public list: a list another test file creates meanwhile changes it for reasons that have
    // nothing to do with the address. Such a disturbed round is detected (the public lists changed) and run again.
    const publicLists = async () => JSON.stringify(await prisma.mailingList.findMany({ where: { isPublic: true }, select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }))
    for (let round = 1; ; round += 1) {
      const fresh = uniqueAddress('enum-new')
      const known = uniqueAddress('enum-confirmed')
      const left = uniqueAddress('enum-unsubscribed')
      await prisma.contact.create({ data: { email: known, subscriptions: { create: { listId: listA.id, status: 'CONFIRMED', confirmedAt: new Date() } } } })
      await prisma.contact.create({ data: { email: left, status: 'UNSUBSCRIBED', subscriptions: { create: { listId: listA.id, status: 'UNSUBSCRIBED', unsubscribedAt: new Date() } } } })

      const before = await publicLists()
      const answers = []
      for (const email of [fresh, known, left]) {
        const response = await signUp(email, [listA.slug])
        answers.push({ status: response.status, type: response.headers.get('content-type'), cookie: response.headers.get('set-cookie'), body: await response.text() })
      }
      if ((await publicLists()) !== before && round < 3) continue
      expect(answers[0]!.status).toBe(200)
      expect(answers[1]).toEqual(answers[0])
      expect(answers[2]).toEqual(answers[0])

      const [toKnown] = await waitForMessages(known)
      expect(toKnown!.parsed.subject).toContain('Vous êtes déjà inscrit·e')
      expect(toKnown!.parsed.text).toMatch(/\/preferences\//)
      expect((await waitForMessages(left))[0]!.parsed.subject).toContain('Confirmez')
      expect((await waitForMessages(fresh))[0]!.parsed.subject).toContain('Confirmez')
      // The unsubscribed address is not re-subscribed by the form alone.
      expect((await subscriptionsOf(left))[0]!.status).toBe('PENDING')
      return
    }
  })
})

describe('anti-abuse', () => {
  it('drops a submission whose honeypot is filled, answering like a success', async () => {
    const email = uniqueAddress('honeypot')
    const response = await signUp(email, [listA.slug], { website: 'https://spam.example' })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Vérifiez votre messagerie')
    expect(await prisma.contact.count({ where: { email } })).toBe(0)
  })

  it('refuses a wrong proof-of-work and a replayed one', async () => {
    const email = uniqueAddress('pow')
    const pow = await solvedPow()
    const decoded = JSON.parse(Buffer.from(pow, 'base64').toString()) as { solution: { derivedKey: string } }
    decoded.solution.derivedKey = '00'.repeat(32)
    const forged = await postForm('/newsletters', signupFields(email, [listA.slug], { altcha: Buffer.from(JSON.stringify(decoded)).toString('base64') }))
    expect(forged.status).toBe(400)
    expect(await forged.text()).toContain('La vérification anti-robot a échoué')
    expect(await prisma.contact.count({ where: { email } })).toBe(0)

    expect((await postForm('/newsletters', signupFields(email, [listA.slug], { altcha: pow }))).status).toBe(200)
    const other = uniqueAddress('pow-replay')
    const replayed = await postForm('/newsletters', signupFields(other, [listA.slug], { altcha: pow }))
    expect(replayed.status).toBe(400)
    expect(await replayed.text()).toContain('a déjà servi')
    expect(await prisma.contact.count({ where: { email: other } })).toBe(0)
  })

  it('limits 30 requests a minute for one address and sends at most the daily number of confirmations', async () => {
    const email = uniqueAddress('flood')
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) statuses.push((await signUp(email, [listA.slug])).status)
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0)
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20)
    await waitForMessages(email, signupMailLimit.limit)
    await emailQueueDrained()
    expect((await messagesTo(email)).length).toBe(signupMailLimit.limit)
  })

  it('accepts a few submissions without proof-of-work (no JavaScript) per client address, then limits', async () => {
    const ip = randomIp()
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await postForm('/newsletters', signupFields(uniqueAddress('nojs'), [listA.slug]), { ip })).status)
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
    expect(statuses.slice(5)).toEqual([429, 429])
  })

  it('shows field errors in French without storing anything', async () => {
    const response = await postForm('/newsletters', new URLSearchParams({ email: 'pas-une-adresse', altcha: await solvedPow() }))
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Saisissez une adresse électronique valide')
    expect(html).toContain('Cochez au moins une lettre d’information.')
    expect(html).toContain('aria-invalid="true"')
  })
})

describe('confirmation links', () => {
  async function pendingContact(label: string) {
    const email = uniqueAddress(label)
    return prisma.contact.create({ data: { email, subscriptions: { create: { listId: listB.id, status: 'PENDING' } } } })
  }

  it('refuses tampered, expired and foreign tokens and changes nothing', async () => {
    const contact = await pendingContact('tokens')
    const good = confirmUrl(contact.id, [listB.id])
    const tampered = good.slice(0, -3) + (good.endsWith('A') ? 'BBB' : 'AAA')
    const expired = confirmUrl(contact.id, [listB.id], new Date(Date.now() - 8 * 24 * 3600 * 1000))
    const foreignToken = signToken({ purpose: 'unsubscribe', subject: `${contact.id}:l${listB.id}`, expiresInSeconds: 3600 })
    const foreign = `${appUrl}/newsletters/confirm/${foreignToken}`
    const preferences = preferencesUrl(contact.id).replace('/preferences/', '/newsletters/confirm/')
    for (const link of [tampered, expired, foreign, preferences]) {
      const page = await fetch(link)
      expect(page.status, link).toBeGreaterThanOrEqual(400)
      expect(page.status, link).toBeLessThan(500)
      const posted = await confirmPost(link)
      expect(posted.status, link).toBeGreaterThanOrEqual(400)
      expect(posted.status, link).toBeLessThan(500)
    }
    expect((await prisma.subscription.findFirstOrThrow({ where: { contactId: contact.id } })).status).toBe('PENDING')
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(0)
  })

  it('offers a new link on an expired one, which then confirms', async () => {
    const contact = await pendingContact('expired')
    const expired = confirmUrl(contact.id, [listB.id], new Date(Date.now() - 8 * 24 * 3600 * 1000))
    const page = await fetch(expired)
    expect(page.status).toBe(410)
    expect(await page.text()).toContain('Ce lien a expiré')
    const resent = await resendPost(expired)
    expect(resent.status).toBe(200)
    expect(await resent.text()).toContain('Nouveau lien demandé')
    const [message] = await waitForMessages(contact.email!)
    expect((await confirmPost(confirmLinkIn(message!.parsed.text))).status).toBe(200)
    expect((await prisma.subscription.findFirstOrThrow({ where: { contactId: contact.id } })).status).toBe('CONFIRMED')
  })
})

describe('suppressed addresses', () => {
  it('lets someone who erased their data sign up again by confirming, which lifts the erasure suppression', async () => {
    const email = uniqueAddress('erased')
    await suppressAddress({ email, reason: 'ERASURE' })
    // Even a list without double opt-in waits for the link: the address opted out before.
    expect((await signUp(email, [listSingle.slug])).status).toBe(200)
    expect((await subscriptionsOf(email))[0]!.status).toBe('PENDING')
    const [message] = await waitForMessages(email)
    expect((await confirmPost(confirmLinkIn(message!.parsed.text))).status).toBe(200)
    expect(await prisma.suppression.count({ where: { emailHash: emailHash(email) } })).toBe(0)
  })

  it('ignores a sign-up of a hard-bounced address, with the same answer', async () => {
    const email = uniqueAddress('bounced')
    await suppressAddress({ email, reason: 'HARD_BOUNCE' })
    const response = await signUp(email, [listA.slug])
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Vérifiez votre messagerie')
    expect(await prisma.contact.count({ where: { email } })).toBe(0)
  })
})

describe('embeddable sign-up', () => {
  it('serves the form without the site chrome, for the lists asked', async () => {
    const response = await fetch(`${appUrl}/newsletters/embed?lists=${listA.slug}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(listA.name)
    expect(html).not.toContain(listB.name)
    expect(html).not.toContain('site-header')
  })

  it('accepts the plain HTML snippet posted from another site', async () => {
    const email = uniqueAddress('snippet')
    const response = await postForm('/newsletters', new URLSearchParams({ lists: listA.slug, email }), {
      headers: { Origin: 'https://partenaire.example', 'Sec-Fetch-Site': 'cross-site' },
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Vérifiez votre messagerie')
    const [message] = await waitForMessages(email)
    expect(message!.parsed.subject).toContain('Confirmez')
    const contact = await prisma.contact.findUniqueOrThrow({ where: { email } })
    const record = await prisma.consentRecord.findFirstOrThrow({ where: { contactId: contact.id } })
    expect(record.consentTextHash).toMatch(/^[0-9a-f]{64}$/)
  })
})
