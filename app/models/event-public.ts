// Owns what the public event pages share between server and browser: the formats an event can take, in the order
// the /events filter offers them.
import type { EventKind } from '~/generated/prisma/enums.ts'

export const eventKinds = ['ONLINE', 'IN_PERSON', 'HYBRID'] as const satisfies readonly EventKind[]
