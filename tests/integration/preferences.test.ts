// The preference centre from its signed link: list changes (join public lists, leave any), profile, unsubscribe
// from all, each recorded as consent (EMAIL_LINK, web); the data download holds the person's data and nobody
// else's; forged, expired, foreign and erased-contact tokens get a French 4xx page and change nothing.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'
import { prisma } from '~/utils/db.server.ts'
import { preferencesUrl, unsubscribeUrl } from '~/utils/links.server.ts'

const { appUrl } = inject('testContext')
const listIds: number[] = []

async function list(name: string, isPublic: boolean) {
  const created = await prisma.mailingList.create({ data: { slug: `pref-${randomUUID()}`, name, isPublic, sortOrder: 9000 } })
  listIds.push(created.id)
  return created
}

let publicA: { id: number }
let publicB: { id: number }
let privateC: { id: number }

beforeAll(async () => {
  publicA = await list('Préférences A', true)
  publicB = await list('Préférences B', true)
  privateC = await list('Préférences C (privée)', false)
})

// Other files list the public lists: these leave the offer once done.
afterAll(async () => {
  await prisma.mailingList.updateMany({ where: { id: { in: listIds } }, data: { archivedAt: new Date() } })
})

async function person(label = 'pref') {
  return prisma.contact.create({
    data: {
      email: uniqueAddress(label),
      firstName: 'Paule',
      subscriptions: { create: [publicA, privateC].map((l) => ({ listId: l.id, status: 'CONFIRMED' as const, confirmedAt: new Date() })) },
    },
  })
}

function pagePath(contactId: number): string {
  return new URL(preferencesUrl(contactId)).pathname
}

function post(path: string, fields: [string, string][]) {
  return fetch(`${appUrl}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })
}

async function subscriptionOf(contactId: number, listId: number) {
  return (await prisma.subscription.findUnique({ where: { contactId_listId: { contactId, listId } } }))?.status ?? null
}

describe('preference centre', () => {
  it('shows the person’s lists and profile', async () => {
    const contact = await person()
    const response = await fetch(`${appUrl}${pagePath(contact.id)}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(contact.email!)
    expect(html).toContain('Préférences A')
    expect(html).toContain('Préférences C (privée)')
    expect(html).toMatch(new RegExp(`value="${publicA.id}" checked=""|checked="" [^>]*value="${publicA.id}"`))
    expect(html).toContain('Paule')
  })

  it('joins a public list, leaves others (private too), each change recorded as consent with the text shown', async () => {
    const contact = await person()
    const page = pagePath(contact.id)
    const saved = await post(page, [['intent', 'lists'], ['listId', String(publicB.id)], ['listId', String(privateC.id)]])
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Vos abonnements sont enregistrés.')
    expect(await subscriptionOf(contact.id, publicA.id)).toBe('UNSUBSCRIBED')
    expect(await subscriptionOf(contact.id, publicB.id)).toBe('CONFIRMED')
    expect(await subscriptionOf(contact.id, privateC.id)).toBe('CONFIRMED')
    const records = await prisma.consentRecord.findMany({ where: { contactId: contact.id }, orderBy: { id: 'asc' } })
    expect(records.map((r) => [r.action, r.listIds, r.source, r.channel])).toEqual([
      ['PREFERENCES', [publicB.id], 'EMAIL_LINK', 'web'],
      ['UNSUBSCRIBE', [publicA.id], 'EMAIL_LINK', 'web'],
    ])
    const text = await prisma.consentText.findUniqueOrThrow({ where: { hash: records[0]!.consentTextHash! } })
    expect(text.body).toContain('En enregistrant, vous acceptez de recevoir')

    await post(page, [['intent', 'lists'], ['listId', String(publicB.id)]])
    expect(await subscriptionOf(contact.id, privateC.id)).toBe('UNSUBSCRIBED')
    // A private list cannot be joined from here.
    await post(page, [['intent', 'lists'], ['listId', String(publicB.id)], ['listId', String(privateC.id)]])
    expect(await subscriptionOf(contact.id, privateC.id)).toBe('UNSUBSCRIBED')
  })

  it('saves the profile (consent recorded); an invalid field is refused with its error and changes nothing', async () => {
    const contact = await person()
    const page = pagePath(contact.id)
    const bad = await post(page, [['intent', 'profile'], ['firstName', 'x'.repeat(200)], ['locale', 'fr']])
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Le profil n’a pas été enregistré.')
    expect(html).toContain('aria-invalid="true"')
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).firstName).toBe('Paule')
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(0)

    const ok = await post(page, [
      ['intent', 'profile'], ['firstName', 'Pauline'], ['lastName', 'Prévert'], ['organization', 'Commune de Test'],
      ['actorType', 'PUBLIC_AGENT'], ['territory', '2a'], ['locale', 'en'],
    ])
    expect(ok.status).toBe(200)
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({
      firstName: 'Pauline', lastName: 'Prévert', organization: 'Commune de Test', actorType: 'PUBLIC_AGENT', territory: '2A', locale: 'en',
    })
    expect(await prisma.consentRecord.findFirst({ where: { contactId: contact.id } })).toMatchObject({ action: 'PREFERENCES', source: 'EMAIL_LINK', channel: 'web' })
  })

  it('unsubscribes from everything', async () => {
    const contact = await person()
    expect((await post(pagePath(contact.id), [['intent', 'unsubscribe-all']])).status).toBe(200)
    expect(await subscriptionOf(contact.id, publicA.id)).toBe('UNSUBSCRIBED')
    expect(await subscriptionOf(contact.id, privateC.id)).toBe('UNSUBSCRIBED')
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).status).toBe('UNSUBSCRIBED')
    expect(await prisma.consentRecord.findFirst({ where: { contactId: contact.id } })).toMatchObject({ action: 'UNSUBSCRIBE', source: 'EMAIL_LINK' })
  })
})

describe('download my data', () => {
  it('holds the person’s profile, subscriptions, consent, emails and registrations, and nobody else’s', async () => {
    const contact = await person('pref-data')
    const other = await person('pref-other')
    await prisma.consentRecord.create({ data: { contactId: contact.id, action: 'SUBSCRIBE', listIds: [publicA.id], source: 'FORM', channel: 'web' } })
    await prisma.outboundEmail.create({ data: { idempotencyKey: `pref:${randomUUID()}`, template: 'subscription-welcome', toAddress: contact.email, contactId: contact.id, subject: 'Bienvenue, Paule' } })
    await prisma.outboundEmail.create({ data: { idempotencyKey: `pref:${randomUUID()}`, template: 'subscription-welcome', toAddress: other.email, contactId: other.id, subject: 'Pour quelqu’un d’autre' } })
    const event = await prisma.event.create({
      data: { slug: `pref-${randomUUID()}`, kind: 'ONLINE', title: 'Atelier données', startsAt: new Date(), endsAt: new Date(), icalUid: randomUUID() },
    })
    for (const someone of [contact, other]) {
      await prisma.registration.create({
        data: { eventId: event.id, contactId: someone.id, email: someone.email!, firstName: someone === contact ? 'Paule' : 'Autre', lastName: 'X', status: 'CONFIRMED', token: randomUUID() },
      })
    }
    const response = await fetch(`${appUrl}${pagePath(contact.id)}/data`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('application/json')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="mes-donnees-/)
    const text = await response.text()
    const data = JSON.parse(text) as Record<string, unknown[]> & { profile: Record<string, unknown> }
    expect(data.profile).toMatchObject({ email: contact.email, firstName: 'Paule' })
    expect(data.subscriptions).toEqual(expect.arrayContaining([expect.objectContaining({ list: 'Préférences A', status: 'CONFIRMED' })]))
    expect(data.consentHistory).toEqual([expect.objectContaining({ action: 'SUBSCRIBE', lists: ['Préférences A'], source: 'FORM' })])
    expect(data.emailsReceived).toEqual([expect.objectContaining({ template: 'subscription-welcome', subject: 'Bienvenue, Paule' })])
    expect(data.registrations).toEqual([expect.objectContaining({ event: 'Atelier données', status: 'CONFIRMED' })])
    expect(text).not.toContain(other.email!)
    expect(text).not.toContain('Pour quelqu’un d’autre')
    expect(text).not.toContain('Autre')
  })
})

describe('links that do not work', () => {
  it('forged, expired, foreign and erased-contact tokens: French 4xx page, nothing changed', async () => {
    const contact = await person()
    const erased = await prisma.contact.create({ data: { email: null, status: 'ERASED', erasedAt: new Date() } })
    const token = pagePath(contact.id).slice('/preferences/'.length)
    const sixYearsAgo = new Date(Date.now() - 6 * 366 * 24 * 3600 * 1000)
    const cases = [
      { name: 'forged', token: `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`, status: 404 },
      { name: 'expired', token: new URL(preferencesUrl(contact.id, sixYearsAgo)).pathname.slice('/preferences/'.length), status: 410 },
      { name: 'unsubscribe token', token: new URL(unsubscribeUrl({ contactId: contact.id })).pathname.slice('/u/'.length), status: 404 },
      { name: 'erased contact', token: pagePath(erased.id).slice('/preferences/'.length), status: 404 },
    ]
    for (const { name, token: bad, status } of cases) {
      const page = await fetch(`${appUrl}/preferences/${bad}`)
      expect(page.status, name).toBe(status)
      const html = await page.text()
      expect(html, name).toContain(status === 410 ? 'Ce lien a expiré' : 'Ce lien ne fonctionne pas')
      expect(html, name).toContain('Gérer mes préférences')
      for (const fields of [[['intent', 'unsubscribe-all']], [['intent', 'profile'], ['firstName', 'Pirate'], ['locale', 'fr']]] as [string, string][][]) {
        expect((await post(`/preferences/${bad}`, fields)).status, name).toBe(status)
      }
      expect((await fetch(`${appUrl}/preferences/${bad}/data`)).status, name).toBe(status)
      expect((await fetch(`${appUrl}/preferences/${bad}/erase`)).status, name).toBe(status)
      expect((await post(`/preferences/${bad}/erase`, [])).status, name).toBe(status)
    }
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ status: 'ACTIVE', firstName: 'Paule' })
    expect(await subscriptionOf(contact.id, publicA.id)).toBe('CONFIRMED')
    expect(await prisma.consentRecord.count({ where: { contactId: contact.id } })).toBe(0)
  })
})
