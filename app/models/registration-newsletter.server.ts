// Owns the registration form's separate newsletter box: after the registration is committed, the person's request
// goes through the sign-up path of the newsletters (consent recorded with the hash of the text shown, double
// opt-in, suppressions respected), and the registration is then linked to the contact that path found or made.
import { prisma } from '~/utils/db.server.ts'
import { logger } from '~/utils/logger.server.ts'
import type { AttendeeInput } from './event-schema.ts'
import { currentConsentText } from './signup.server.ts'
import { requestSubscription } from './subscription.server.ts'

/**
 * Asks for `listId` (public, not archived lists only) for the attendee. A failure is logged, never thrown: the
 * registration it follows is already stored and must not be reported as failed.
 */
export async function subscribeFromRegistration(input: {
  listId: number
  email: string
  attendee: AttendeeInput
  registrationIds?: number[]
  seriesRegistrationId?: number
}): Promise<void> {
  try {
    const list = await prisma.mailingList.findFirst({ where: { id: input.listId, isPublic: true, archivedAt: null }, select: { id: true } })
    if (!list) return
    const { email: _email, locale, ...rest } = input.attendee
    await requestSubscription({
      email: input.email,
      profile: { ...rest, locale },
      listIds: [list.id],
      consentTextHash: (await currentConsentText(locale)).hash,
      channel: 'web',
      source: 'EVENT_REGISTRATION',
    })
    const contact = await prisma.contact.findUnique({ where: { email: input.email }, select: { id: true } })
    if (!contact) return
    if (input.registrationIds?.length) {
      await prisma.registration.updateMany({ where: { id: { in: input.registrationIds }, contactId: null }, data: { contactId: contact.id } })
    }
    if (input.seriesRegistrationId) {
      await prisma.seriesRegistration.updateMany({ where: { id: input.seriesRegistrationId, contactId: null }, data: { contactId: contact.id } })
    }
  } catch (error) {
    logger.error({ listId: input.listId, err: error instanceof Error ? error.message : String(error) }, 'newsletter request after a registration failed')
  }
}
