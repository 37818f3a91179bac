// RFC 8058 one-click unsubscribe at the List-Unsubscribe address (/u/:token): a cookie-less POST from anywhere,
// urlencoded or multipart, answers 200 without redirect and unsubscribes from the link's lists (campaign lists,
// named lists, else all), with a consent record; a GET changes nothing and leads to a confirmation page whose
// button unsubscribes; forged, expired and foreign tokens are refused and change nothing.
import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { prisma } from '~/utils/db.server.ts'
import { confirmUrl, preferencesUrl, unsubscribeUrl } from '~/utils/links.server.ts'

const { appUrl } = inject('testContext')

async function person() {
  // One after the other: the tests read statuses in list id order (A, then B).
  const a = await prisma.mailingList.create({ data: { slug: `unsub-${randomUUID()}`, name: 'Lettre A', isPublic: false } })
  const b = await prisma.mailingList.create({ data: { slug: `unsub-${randomUUID()}`, name: 'Lettre B', isPublic: false } })
  const contact = await prisma.contact.create({
    data: { email: uniqueAddress('unsub'), subscriptions: { create: [a, b].map((list) => ({ listId: list.id, status: 'CONFIRMED' as const, confirmedAt: new Date() })) } },
  })
  const campaign = await prisma.campaign.create({ data: { name: 'Lettre de test', lists: { create: [{ listId: a.id }] } } })
  return { contact, a, b, campaign }
}

async function statuses(contactId: number) {
  const rows = await prisma.subscription.findMany({ where: { contactId }, orderBy: { listId: 'asc' } })
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })
  return { lists: rows.map((row) => row.status), contact: contact.status }
}

function path(url: string): string {
  return new URL(url).pathname
}

function oneClick(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(`${appUrl}${path(url)}`, { method: 'POST', body, redirect: 'manual', headers })
}

describe('one-click unsubscribe (RFC 8058)', () => {
  it('urlencoded POST without cookies: 200, no Location, the campaign’s lists left, consent recorded; again: 200', async () => {
    const { contact, a, campaign } = await person()
    const url = unsubscribeUrl({ contactId: contact.id, campaignId: campaign.id })
    const response = await oneClick(url, new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }))
    expect(response.status).toBe(200)
    expect(response.headers.get('Location')).toBeNull()
    expect(response.headers.get('Set-Cookie')).toBeNull()
    expect(await statuses(contact.id)).toEqual({ lists: ['UNSUBSCRIBED', 'CONFIRMED'], contact: 'ACTIVE' })
    const records = await prisma.consentRecord.findMany({ where: { contactId: contact.id } })
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ action: 'UNSUBSCRIBE', listIds: [a.id], source: 'ONE_CLICK', channel: 'one-click', sourceRef: `campaign:${campaign.id}` })

    const again = await oneClick(url, new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }))
    expect(again.status).toBe(200)
    expect(again.headers.get('Location')).toBeNull()
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(1)
  })

  it('multipart POST from another site (Origin, Sec-Fetch-Site) is accepted too', async () => {
    const { contact, b } = await person()
    const form = new FormData()
    form.set('List-Unsubscribe', 'One-Click')
    const response = await oneClick(unsubscribeUrl({ contactId: contact.id, listIds: [b.id] }), form, {
      Origin: 'https://mail.example.net',
      'Sec-Fetch-Site': 'cross-site',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('Location')).toBeNull()
    expect(await statuses(contact.id)).toEqual({ lists: ['CONFIRMED', 'UNSUBSCRIBED'], contact: 'ACTIVE' })
  })

  it('a link naming no list unsubscribes from all', async () => {
    const { contact } = await person()
    const response = await oneClick(unsubscribeUrl({ contactId: contact.id }), new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }))
    expect(response.status).toBe(200)
    expect(await statuses(contact.id)).toEqual({ lists: ['UNSUBSCRIBED', 'UNSUBSCRIBED'], contact: 'UNSUBSCRIBED' })
  })

  it('a POST without List-Unsubscribe=One-Click is refused and changes nothing', async () => {
    const { contact } = await person()
    const response = await oneClick(unsubscribeUrl({ contactId: contact.id }), new URLSearchParams({ autre: 'chose' }))
    expect(response.status).toBe(400)
    expect(await statuses(contact.id)).toEqual({ lists: ['CONFIRMED', 'CONFIRMED'], contact: 'ACTIVE' })
  })
})

describe('the unsubscribe page', () => {
  it('GET (as a mail scanner would) changes nothing; the page’s button unsubscribes and says it is done', async () => {
    const { contact, campaign } = await person()
    const url = unsubscribeUrl({ contactId: contact.id, campaignId: campaign.id })
    const redirect = await fetch(`${appUrl}${path(url)}`, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const page = await fetch(`${appUrl}${path(url)}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Voulez-vous vraiment vous désabonner de la lettre « Lettre A » ?')
    expect(html).toContain('Confirmer le désabonnement')
    expect(await statuses(contact.id)).toEqual({ lists: ['CONFIRMED', 'CONFIRMED'], contact: 'ACTIVE' })
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(0)

    const done = await fetch(page.url, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })
    expect(done.status).toBe(200)
    const doneHtml = await done.text()
    expect(doneHtml).toContain('C’est fait')
    expect(doneHtml).toContain('href="/preferences/1.')
    expect(await statuses(contact.id)).toEqual({ lists: ['UNSUBSCRIBED', 'CONFIRMED'], contact: 'ACTIVE' })
    expect(await prisma.consentRecord.findFirst({ where: { contactId: contact.id } })).toMatchObject({ source: 'EMAIL_LINK', channel: 'web' })
  })
})

describe('tokens that do not work', () => {
  it('forged, expired and foreign tokens: 4xx on POST and on the page, nothing changed', async () => {
    const { contact } = await person()
    const good = path(unsubscribeUrl({ contactId: contact.id }))
    const token = good.slice('/u/'.length)
    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`
    const otherSubject = `${token.split('.')[0]}.${Buffer.from(`${contact.id + 1}~zzzzzz`).toString('base64url')}.${token.split('.')[2]}`
    const sixYearsAgo = new Date(Date.now() - 6 * 366 * 24 * 3600 * 1000)
    const cases = [
      { name: 'forged signature', token: forged, status: 404 },
      { name: 'another subject', token: otherSubject, status: 404 },
      { name: 'expired', token: path(unsubscribeUrl({ contactId: contact.id }, sixYearsAgo)).slice('/u/'.length), status: 410 },
      { name: 'preferences token', token: path(preferencesUrl(contact.id)).slice('/preferences/'.length), status: 404 },
      { name: 'confirmation token', token: path(confirmUrl(contact.id, [1])).slice('/newsletters/confirm/'.length), status: 404 },
      { name: 'garbage', token: 'pas-un-jeton', status: 404 },
    ]
    for (const { name, token: bad, status } of cases) {
      const post = await fetch(`${appUrl}/u/${bad}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), redirect: 'manual' })
      expect(post.status, name).toBe(status)
      const page = await fetch(`${appUrl}/unsubscribe/${bad}`)
      expect(page.status, name).toBe(status)
      expect(await page.text(), name).toContain(status === 410 ? 'Ce lien a expiré' : 'Ce lien ne fonctionne pas')
      const form = await fetch(`${appUrl}/unsubscribe/${bad}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })
      expect(form.status, name).toBe(status)
    }
    expect(await statuses(contact.id)).toEqual({ lists: ['CONFIRMED', 'CONFIRMED'], contact: 'ACTIVE' })
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(0)
  })
})
