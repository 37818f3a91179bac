// The staff outbox: caught messages read back (parsing, keyset pages), and the pages and downloads as a signed-in
// staff member gets them from the production server; the HTML part only ever reaches a sandboxed, CSP-locked frame.
import { randomUUID } from 'node:crypto'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { renderEmail } from '#emails/render.ts'
import { uniqueAddress, waitForMessages } from '#tests/helpers/mailbox.ts'
import { freePort, startProcess, waitFor, type RunningProcess } from '#tests/helpers/processes.ts'
import { envFor } from '#tests/helpers/test-env.ts'
import { programActor } from '~/models/audit.server.ts'
import { createStaffUser } from '~/models/staff.server.ts'
import { createCatcherTransport, decodeHeaderValue, listCaughtEmails, parseOutboxId, readCaughtEmail } from '~/utils/mail-catcher.server.ts'
import { sendEmail, type OutgoingEmail } from '~/utils/mail.server.ts'
import { createStaffSession } from '~/utils/session.server.ts'

const context = inject('testContext')
const { appUrl } = context
const catcher = createCatcherTransport()
let cookie = ''

/** Sends a message through the catcher transport and returns the CaughtEmail id it landed in. */
async function catchMessage(overrides: Partial<OutgoingEmail> = {}): Promise<number> {
  const rendered = await renderEmail('test-message', { organizationName: 'Centre Test', postalAddress: '1 place du Test', body: 'Corps du test' }, 'fr')
  const result = await sendEmail(
    { idempotencyKey: `outbox-test:${randomUUID()}`, template: 'test-message', to: uniqueAddress('outbox'), kind: 'transactional', ...rendered, ...overrides },
    catcher,
  )
  const id = parseOutboxId(/#(\d+)\)$/.exec(result.smtpResponse ?? '')?.[1])
  if (!id) throw new Error(`no catcher id in ${result.smtpResponse}`)
  return id
}

function get(path: string, withCookie = true): Promise<Response> {
  return fetch(`${appUrl}${path}`, { redirect: 'manual', headers: withCookie ? { Cookie: cookie } : {} })
}

beforeAll(async () => {
  const staff = await createStaffUser(
    { email: uniqueAddress('outbox-staff'), name: 'Équipe Outbox', password: 'un mot de passe assez long', role: 'EDITOR' },
    programActor('test'),
  )
  cookie = (await createStaffSession(staff.id)).split(';')[0]!
})

describe('reading caught messages', () => {
  it('accepts only positive integer ids from URLs', () => {
    expect(parseOutboxId('42')).toBe(42)
    for (const value of ['0', '-1', '1.5', '1e3', 'abc', '', null, undefined, '99999999999', '07']) expect(parseOutboxId(value)).toBeNull()
  })

  it('decodes encoded words in header values, and leaves the rest alone', () => {
    expect(decodeHeaderValue('=?UTF-8?Q?Aper=C3=A7u_isol=C3=A9?= =?UTF-8?B?IOKAkyDDqXTDqQ==?=')).toBe('Aperçu isolé – été')
    expect(decodeHeaderValue('=?ISO-8859-1?Q?caf=E9?= noir')).toBe('café noir')
    expect(decodeHeaderValue('plain =?bogus?Q?x?=')).toBe('plain =?bogus?Q?x?=')
  })

  it('parses a caught message: headers, text, HTML and attachments', async () => {
    const id = await catchMessage({
      subject: 'Programme de la journée',
      attachments: [{ filename: 'programme été.txt', contentType: 'text/plain', content: Buffer.from('Ordre du jour').toString('base64') }],
    })
    const email = await readCaughtEmail(id)
    expect(email?.subject).toBe('Programme de la journée')
    expect(email?.text).toContain('Corps du test')
    expect(email?.html).toContain('Corps du test')
    expect(email?.headers).toContainEqual({ name: 'Auto-Submitted', value: 'auto-generated' })
    expect(email?.headers).toContainEqual({ name: 'Subject', value: 'Programme de la journée' })
    expect(email?.attachments).toHaveLength(1)
    expect(email?.attachments[0]).toMatchObject({ index: 0, filename: 'programme été.txt', contentType: 'text/plain' })
    expect(email?.attachments[0]?.content.toString()).toBe('Ordre du jour')
    expect(await readCaughtEmail(2_000_000_000)).toBeNull()
  })

  it('pages newest first with a keyset cursor, each message exactly once', async () => {
    const ids = [await catchMessage(), await catchMessage(), await catchMessage()]
    const seen: number[] = []
    let before: number | undefined = ids[2]! + 1
    // Other test files catch messages at the same time; walk pages of two until past our first one.
    while (before !== undefined && before > ids[0]!) {
      const page = await listCaughtEmails({ before, take: 2 })
      seen.push(...page.items.map((item) => item.id))
      before = page.nextBefore ?? undefined
    }
    const ours = seen.filter((id) => ids.includes(id))
    expect(ours).toEqual([...ids].reverse())
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
  })
})

describe('outbox pages', () => {
  let id = 0
  beforeAll(async () => {
    id = await catchMessage({
      subject: 'Aperçu isolé',
      html: '<html><body><p>marqueur-html-unique</p><script>parent.document.title = "pwned"</script></body></html>',
      text: 'marqueur-texte-unique',
      attachments: [{ filename: 'note.html', contentType: 'text/html', content: Buffer.from('<script>alert(1)</script>').toString('base64') }],
    })
  })

  it('sends visitors without a session to the sign-in page', async () => {
    for (const path of ['/admin/outbox', `/admin/outbox/${id}`, `/admin/outbox/${id}/html`, `/admin/outbox/${id}/raw`]) {
      const response = await get(path, false)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/login\?redirectTo=/)
    }
  })

  it('lists caught messages, says the catcher is off when SMTP_URL is set, and shows the sending log', async () => {
    const to = uniqueAddress('outbox-log')
    const rendered = await renderEmail('test-message', { organizationName: 'Centre Test', postalAddress: '', body: 'Journal' }, 'fr')
    await sendEmail({ idempotencyKey: `outbox-test:${randomUUID()}`, template: 'test-message', to, kind: 'transactional', ...rendered })
    await waitForMessages(to)

    const response = await get('/admin/outbox')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('la boîte de réception intégrée est désactivée')
    expect(html).toContain(`href="/admin/outbox/${id}"`)
    expect(html).toContain('Aperçu isolé')
    expect(html).toContain('Journal d’envoi')
    expect(html).toContain(to)
    expect(await (await get('/admin/outbox?before=nimporte')).text()).toContain('Courriels retenus par Relais')
  })

  it('shows one message with its text part, headers and attachments, its HTML only in a sandboxed frame', async () => {
    const response = await get(`/admin/outbox/${id}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`<iframe sandbox="" src="/admin/outbox/${id}/html"`)
    expect(html).toContain('marqueur-texte-unique')
    expect(html).not.toContain('marqueur-html-unique')
    expect(html).toContain('Auto-Submitted')
    expect(html).toContain(`href="/admin/outbox/${id}/attachments/0"`)
    expect(html).toContain(`href="/admin/outbox/${id}/raw"`)
  })

  it('serves the HTML part under a sandboxing Content-Security-Policy', async () => {
    const response = await get(`/admin/outbox/${id}/html`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const policy = response.headers.get('content-security-policy') ?? ''
    expect(policy).toContain("default-src 'none'")
    expect(policy).toMatch(/(^|; )sandbox(;|$)/)
    expect(policy).not.toContain('script-src')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('marqueur-html-unique')
  })

  it('downloads attachments and the raw message, never rendered inline', async () => {
    const attachment = await get(`/admin/outbox/${id}/attachments/0`)
    expect(attachment.status).toBe(200)
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment; filename="note\.html"/)
    expect(attachment.headers.get('content-security-policy')).toContain('sandbox')
    expect(await attachment.text()).toBe('<script>alert(1)</script>')
    expect((await get(`/admin/outbox/${id}/attachments/1`)).status).toBe(404)

    const raw = await get(`/admin/outbox/${id}/raw`)
    expect(raw.headers.get('content-type')).toBe('message/rfc822')
    const parsed = await simpleParser(Buffer.from(await raw.arrayBuffer()))
    expect(parsed.subject).toBe('Aperçu isolé')
  })

  it('answers an unknown message with the French 404 page', async () => {
    const response = await get('/admin/outbox/2000000000')
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('Page introuvable')
  })
})

describe('outbox with the catcher on (no SMTP_URL)', () => {
  let web: RunningProcess | undefined
  let url = ''

  beforeAll(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    web = startProcess('app/server.ts', {
      ...envFor(context),
      NODE_ENV: 'production',
      PORT: String(port),
      SMTP_URL: '',
      RELAIS_BUILD_DIR: inject('buildDir'),
    })
    await waitFor(async () => (await fetch(`${url}/`)).status === 200, 60_000, `second web server (${web.output()})`)
  })

  afterAll(async () => {
    await web?.stop()
  })

  it('says that mail is held here instead of being sent', async () => {
    const response = await fetch(`${url}/admin/outbox`, { headers: { Cookie: cookie } })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Relais garde ici chaque courriel au lieu de l’envoyer')
  })
})
