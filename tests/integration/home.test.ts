// The public home page answers in French by default and in English when the browser asks for it.
import { describe, expect, it } from 'vitest'
import { inject } from 'vitest'

const { appUrl } = inject('testContext')

describe('home page', () => {
  it('is French by default', async () => {
    const response = await fetch(`${appUrl}/`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<html lang="fr"')
    expect(html).toContain('Prochains événements')
  })

  it('follows Accept-Language and the ?lang= switch, remembered by cookie', async () => {
    const english = await fetch(`${appUrl}/`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })
    expect(await english.text()).toContain('<html lang="en"')
    const switched = await fetch(`${appUrl}/?lang=en`)
    const cookie = switched.headers.get('set-cookie')
    expect(cookie).toMatch(/^lang=/)
    const next = await fetch(`${appUrl}/`, { headers: { Cookie: cookie!.split(';')[0]! } })
    expect(await next.text()).toContain('Upcoming events')
  })

  it('answers an unknown address with a French 404 page', async () => {
    const response = await fetch(`${appUrl}/nulle-part`)
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('Page introuvable')
  })
})
