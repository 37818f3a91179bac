// What a newsletter's readers leave behind: /l/:ref (the link's id signed by the server) counts every click on a link
// (aggregate, no identity) and redirects to the link's stored address only, an unsigned or forged reference being
// a 404 that counts nothing; with the measurement token of a consenting contact it also records
// that delivery's first click; /o/:token records a consenting contact's first open and always answers the same
// image; a tampered, foreign or withdrawn-consent token records nothing personal. An unsubscribe through a
// campaign's link is counted on that campaign's delivery, only when it actually unsubscribed the contact.
import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { prisma } from '~/utils/db.server.ts'
import { measurementToken, trackedLinkRef, unsubscribeUrl } from '~/utils/links.server.ts'

const { appUrl } = inject('testContext')

async function campaignWithRecipient(input: { consent?: boolean; url?: string } = {}) {
  const list = await prisma.mailingList.create({ data: { slug: `measure-${randomUUID()}`, name: 'Lettre mesurée' } })
  const contact = await prisma.contact.create({
    data: {
      email: uniqueAddress('measure'),
      measurementConsent: input.consent ?? true,
      subscriptions: { create: [{ listId: list.id, status: 'CONFIRMED', confirmedAt: new Date() }] },
    },
  })
  const campaign = await prisma.campaign.create({ data: { name: 'Lettre mesurée', status: 'SENT', lists: { create: [{ listId: list.id }] } } })
  const link = await prisma.campaignLink.create({ data: { campaignId: campaign.id, url: input.url ?? `https://exemple.org/article?id=${randomUUID()}&utm_source=lettre` } })
  const delivery = await prisma.delivery.create({ data: { campaignId: campaign.id, contactId: contact.id, listId: list.id, status: 'SENT', sentAt: new Date() } })
  return { list, contact, campaign, link, delivery }
}

function click(path: string) {
  return fetch(`${appUrl}${path}`, { redirect: 'manual' })
}

/** The path a message carries for a tracked link. */
function tracked(linkId: number, query = ''): string {
  return `/l/${trackedLinkRef(linkId)}${query}`
}

async function clicksOf(linkId: number) {
  return (await prisma.campaignLink.findUniqueOrThrow({ where: { id: linkId } })).clicks
}

async function deliveryOf(id: bigint) {
  return prisma.delivery.findUniqueOrThrow({ where: { id } })
}

/** The same token with one character of its signature changed (a middle one: every bit of it counts). */
function tamper(token: string): string {
  const [version, body, signature] = token.split('.') as [string, string, string]
  return `${version}.${body}.${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`
}

describe('tracked links (/l/:ref)', () => {
  it('counts each click without identity and redirects (302) to the stored address only', async () => {
    const { link, delivery } = await campaignWithRecipient()
    const response = await click(tracked(link.id))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(link.url)
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await clicksOf(link.id)).toBe(1)
    await click(tracked(link.id, '?next=https://evil.example/'))
    expect(await clicksOf(link.id)).toBe(2)
    // Without a token nothing personal is recorded.
    expect((await deliveryOf(delivery.id)).clickedAt).toBeNull()
  })

  it('with a consenting contact’s token, records the delivery’s first click once', async () => {
    const { link, delivery } = await campaignWithRecipient()
    const token = measurementToken(delivery.id)
    const first = await click(tracked(link.id, `?r=${token}`))
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(link.url)
    const clickedAt = (await deliveryOf(delivery.id)).clickedAt
    expect(clickedAt).toBeInstanceOf(Date)
    await click(tracked(link.id, `?r=${token}`))
    expect((await deliveryOf(delivery.id)).clickedAt).toEqual(clickedAt)
    expect(await clicksOf(link.id)).toBe(2)
  })

  it('ignores a tampered token, another campaign’s token and a withdrawn consent (still counts and redirects)', async () => {
    const { link, delivery } = await campaignWithRecipient()
    const tampered = await click(tracked(link.id, `?r=${tamper(measurementToken(delivery.id))}`))
    expect(tampered.status).toBe(302)
    expect(tampered.headers.get('location')).toBe(link.url)
    expect(await clicksOf(link.id)).toBe(1)
    expect((await deliveryOf(delivery.id)).clickedAt).toBeNull()

    const other = await campaignWithRecipient()
    await click(tracked(link.id, `?r=${measurementToken(other.delivery.id)}`))
    expect((await deliveryOf(other.delivery.id)).clickedAt).toBeNull()

    const withdrawn = await campaignWithRecipient({ consent: false })
    const response = await click(tracked(withdrawn.link.id, `?r=${measurementToken(withdrawn.delivery.id)}`))
    expect(response.status).toBe(302)
    expect(await clicksOf(withdrawn.link.id)).toBe(1)
    expect((await deliveryOf(withdrawn.delivery.id)).clickedAt).toBeNull()
  })

  it('answers an unsigned or forged reference with a French 404 that counts nothing, even with a valid token', async () => {
    const { link, delivery } = await campaignWithRecipient()
    const next = await campaignWithRecipient()
    const signed = trackedLinkRef(link.id)
    const signature = signed.slice(String(link.id).length)
    const forged = [
      `/l/${link.id}`,
      `/l/${link.id}?r=${measurementToken(delivery.id)}`,
      // Another link's signature, or this one's with a digit changed.
      `/l/${next.link.id}${signature}`,
      `/l/${link.id}${signature.slice(0, 6)}${signature[6] === '0' ? '1' : '0'}${signature.slice(7)}`,
      `/l/${signed}0`,
      `/l/${signed.slice(0, -1)}`,
      `/l/${link.id}.${signature}`,
    ]
    for (const path of forged) {
      const response = await click(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('location'), path).toBeNull()
      expect(await response.text()).toContain('Ce lien n’existe pas')
    }
    expect(await clicksOf(link.id)).toBe(0)
    expect(await clicksOf(next.link.id)).toBe(0)
    expect((await deliveryOf(delivery.id)).clickedAt).toBeNull()
    // The signed reference of the same link works.
    expect((await click(tracked(link.id))).status).toBe(302)
    expect(await clicksOf(link.id)).toBe(1)
  })

  it('answers an unknown link, or a stored address that is not http(s), with a French 404 and no redirect', async () => {
    for (const path of [tracked(2_000_000_000), '/l/abc']) {
      const response = await click(path)
      expect(response.status).toBe(404)
      expect(response.headers.get('location')).toBeNull()
      expect(await response.text()).toContain('Ce lien n’existe pas')
    }
    const { link } = await campaignWithRecipient({ url: 'javascript:alert(1)' })
    const response = await click(tracked(link.id))
    expect(response.status).toBe(404)
    expect(response.headers.get('location')).toBeNull()
  })
})

describe('open pixel (/o/:token)', () => {
  it('answers a 1×1 GIF, records a consenting contact’s first open once, and the same image for any token', async () => {
    const { delivery } = await campaignWithRecipient()
    const token = measurementToken(delivery.id)
    const response = await fetch(`${appUrl}/o/${token}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/gif')
    expect(response.headers.get('cache-control')).toContain('no-store')
    const image = Buffer.from(await response.arrayBuffer())
    expect(image.subarray(0, 6).toString('latin1')).toBe('GIF89a')
    expect([image.readUInt16LE(6), image.readUInt16LE(8)]).toEqual([1, 1])
    const openedAt = (await deliveryOf(delivery.id)).openedAt
    expect(openedAt).toBeInstanceOf(Date)
    await fetch(`${appUrl}/o/${token}`)
    expect((await deliveryOf(delivery.id)).openedAt).toEqual(openedAt)

    const other = await campaignWithRecipient()
    const forged = await fetch(`${appUrl}/o/${tamper(measurementToken(other.delivery.id))}`)
    expect(forged.status).toBe(200)
    expect(Buffer.from(await forged.arrayBuffer())).toEqual(image)
    expect((await deliveryOf(other.delivery.id)).openedAt).toBeNull()

    const withdrawn = await campaignWithRecipient({ consent: false })
    await fetch(`${appUrl}/o/${measurementToken(withdrawn.delivery.id)}`)
    expect((await deliveryOf(withdrawn.delivery.id)).openedAt).toBeNull()
  })
})

describe('unsubscribes counted per campaign', () => {
  it('a one-click unsubscribe through a campaign’s link marks that campaign’s delivery once', async () => {
    const { contact, campaign, delivery } = await campaignWithRecipient()
    const url = new URL(unsubscribeUrl({ contactId: contact.id, campaignId: campaign.id }))
    const post = () => fetch(`${appUrl}${url.pathname}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })
    expect((await post()).status).toBe(200)
    const unsubscribedAt = (await deliveryOf(delivery.id)).unsubscribedAt
    expect(unsubscribedAt).toBeInstanceOf(Date)
    expect((await post()).status).toBe(200)
    expect((await deliveryOf(delivery.id)).unsubscribedAt).toEqual(unsubscribedAt)
  })

  it('a campaign’s link used by a contact already unsubscribed marks nothing on that campaign', async () => {
    const { contact, list, delivery } = await campaignWithRecipient()
    const later = await prisma.campaign.create({ data: { name: 'Lettre suivante', status: 'SENT', lists: { create: [{ listId: list.id }] } } })
    const laterDelivery = await prisma.delivery.create({ data: { campaignId: later.id, contactId: contact.id, listId: list.id, status: 'SENT', sentAt: new Date() } })
    const oneClick = (campaignId: number) =>
      fetch(`${appUrl}${new URL(unsubscribeUrl({ contactId: contact.id, campaignId, listIds: [list.id] })).pathname}`, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      })
    expect((await oneClick(delivery.campaignId)).status).toBe(200)
    expect((await deliveryOf(delivery.id)).unsubscribedAt).toBeInstanceOf(Date)
    // The second click (the link of the later issue) changes no subscription: that count stays the same.
    expect((await oneClick(later.id)).status).toBe(200)
    expect((await deliveryOf(laterDelivery.id)).unsubscribedAt).toBeNull()
  })

  it('an unsubscribe link without a campaign marks no delivery', async () => {
    const { contact, delivery } = await campaignWithRecipient()
    const url = new URL(unsubscribeUrl({ contactId: contact.id }))
    const response = await fetch(`${appUrl}${url.pathname}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })
    expect(response.status).toBe(200)
    expect((await deliveryOf(delivery.id)).unsubscribedAt).toBeNull()
  })
})
