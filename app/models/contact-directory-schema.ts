// Owns the choices of the staff contacts table's filters (contact and subscription statuses, actor types), shared
// by the page (menus) and the directory model (checks), and kept out of *.server.ts so that the page may use them.
import type { ContactStatus, SubscriptionStatus } from '~/generated/prisma/enums.ts'

export { actorTypes } from '~/models/contact-schema.ts'
export const contactStatuses = ['ACTIVE', 'UNSUBSCRIBED', 'BOUNCED', 'COMPLAINED', 'ERASED'] as const satisfies readonly ContactStatus[]
export const subscriptionStatuses = ['PENDING', 'CONFIRMED', 'UNSUBSCRIBED'] as const satisfies readonly SubscriptionStatus[]
