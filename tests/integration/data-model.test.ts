// The constraints later features rely on hold in the database itself, whatever the code above them does.
import { describe, expect, it } from 'vitest'
import { prisma } from '~/utils/db.server.ts'
import { uniqueAddress } from '#tests/helpers/mailbox.ts'

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

async function makeEvent() {
  const slug = `dm-event-${stamp()}`
  return prisma.event.create({
    data: {
      slug,
      kind: 'ONLINE',
      title: 'Jeudi de test',
      startsAt: new Date('2030-01-10T11:15:00Z'),
      endsAt: new Date('2030-01-10T12:00:00Z'),
      icalUid: `${slug}@relais.test`,
    },
  })
}

describe('data model constraints', () => {
  it('keeps one contact per address whatever the case, and refuses a non-normalised address', async () => {
    const email = uniqueAddress('dm')
    await prisma.contact.create({ data: { email } })
    await expect(prisma.contact.create({ data: { email } })).rejects.toThrow(/Unique constraint/)
    await expect(prisma.contact.create({ data: { email: email.toUpperCase() } })).rejects.toThrow(/Contact_email_normalised/)
  })

  it('keeps one delivery per campaign and contact', async () => {
    const contact = await prisma.contact.create({ data: { email: uniqueAddress('dm') } })
    const campaign = await prisma.campaign.create({ data: { name: `Campagne ${stamp()}` } })
    await prisma.delivery.create({ data: { campaignId: campaign.id, contactId: contact.id } })
    await expect(prisma.delivery.create({ data: { campaignId: campaign.id, contactId: contact.id } })).rejects.toThrow(/Unique constraint/)
    const inserted = await prisma.delivery.createMany({ data: [{ campaignId: campaign.id, contactId: contact.id }], skipDuplicates: true })
    expect(inserted.count).toBe(0)
  })

  it('keeps one registration per event and address, and one subscription per contact and list', async () => {
    const event = await makeEvent()
    const email = uniqueAddress('dm')
    const registration = { eventId: event.id, email, firstName: 'Camille', lastName: 'Durand', status: 'CONFIRMED' as const }
    await prisma.registration.create({ data: { ...registration, token: stamp() } })
    await expect(prisma.registration.create({ data: { ...registration, token: stamp() } })).rejects.toThrow(/Unique constraint/)

    const contact = await prisma.contact.create({ data: { email: uniqueAddress('dm') } })
    const list = await prisma.mailingList.create({ data: { slug: `dm-list-${stamp()}`, name: 'Liste de test' } })
    await prisma.subscription.create({ data: { contactId: contact.id, listId: list.id } })
    await expect(prisma.subscription.create({ data: { contactId: contact.id, listId: list.id } })).rejects.toThrow(/Unique constraint/)
  })

  it('sends one message per idempotency key and keeps one organisation row', async () => {
    const key = `dm:${stamp()}`
    const row = { idempotencyKey: key, template: 'test-message', subject: 'Test' }
    await prisma.outboundEmail.create({ data: row })
    await expect(prisma.outboundEmail.create({ data: row })).rejects.toThrow(/Unique constraint/)
    await expect(
      prisma.organization.create({ data: { id: 2, name: 'Autre', postalAddress: '', replyTo: '' } }),
    ).rejects.toThrow(/Organization_single_row/)
  })

  it('keeps consent records when a contact is deleted, without the link to the person', async () => {
    const contact = await prisma.contact.create({ data: { email: uniqueAddress('dm') } })
    const record = await prisma.consentRecord.create({
      data: { contactId: contact.id, action: 'SUBSCRIBE', listIds: [1], source: 'FORM', channel: 'web' },
    })
    await prisma.contact.delete({ where: { id: contact.id } })
    const kept = await prisma.consentRecord.findUniqueOrThrow({ where: { id: record.id } })
    expect(kept.contactId).toBeNull()
    expect(kept.action).toBe('SUBSCRIBE')
  })
})
