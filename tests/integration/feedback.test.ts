// The feedback form /avis/:token and what staff see on the attendance page, against the production server and the
// real database. How it proves its claims: the form is fetched and posted as a browser without JavaScript would
// (form-encoded, redirects not followed), the page a person gets back is read for the French messages tied to their
// field and the typed comment, and the Feedback rows are read back (one per registration, updated in place). Staff
// pages are fetched with a signed-in session and read for the average, the comments in order and the live joiners
// (a join made through the real /j/ link).
import { afterAll, describe, expect, it } from 'vitest'
import { eventAround, openJoinLink, registrationFor } from '#tests/helpers/join.ts'
import { postForm } from '#tests/helpers/signup.ts'
import { createTestStaff, staffGet } from '#tests/helpers/staff.ts'
import { prisma } from '~/utils/db.server.ts'
import { feedbackUrl } from '~/utils/links.server.ts'

afterAll(async () => {
  await prisma.$disconnect()
})

function feedbackPath(registrationId: number): string {
  return new URL(feedbackUrl(registrationId)).pathname
}

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await staffGet(null, path)
  return { status: response.status, html: await response.text() }
}

function answer(path: string, fields: Record<string, string>) {
  return postForm(path, new URLSearchParams(fields))
}

const feedbackOf = (registrationId: number) => prisma.feedback.findMany({ where: { registrationId } })

describe('/avis/:token', () => {
  it('shows the form: a rating 1 to 5 in a fieldset with its legend, labelled in words, and an optional comment', async () => {
    const event = await eventAround(-90)
    const registration = await registrationFor(event.id)
    const { status, html } = await page(feedbackPath(registration.id))
    expect(status).toBe(200)
    expect(html).toContain(`Votre avis sur « ${event.title} »`)
    // The same promise as the follow-up email's button (« Donnez votre avis en une minute »).
    expect(html).toContain('Dites-nous en une minute ce que vous avez pensé de cet événement')
    expect(html).toMatch(/<fieldset[^>]*><legend>Dans l’ensemble, êtes-vous satisfait·e de cet événement \?/)
    for (const rating of ['1', '2', '3', '4', '5']) expect(html).toMatch(new RegExp(`<input id="avis-rating-${rating}" type="radio" name="rating"[^>]*value="${rating}"`))
    expect(html).toContain('<label for="avis-rating-1" style="display:inline;margin-left:.5rem;font-weight:normal">1 – Pas du tout satisfait·e</label>')
    expect(html).toContain('5 – Très satisfait·e</label>')
    expect(html).toMatch(/<textarea[^>]*name="comment"[^>]*maxLength="2000"/i)
    expect(await feedbackOf(registration.id)).toHaveLength(0)
  })

  it('stores rating and comment, thanks, and a second answer updates the same row', async () => {
    const event = await eventAround(-90)
    const registration = await registrationFor(event.id)
    const path = feedbackPath(registration.id)
    const first = await answer(path, { rating: '4', comment: 'Très utile, merci.' })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe(`${path}?merci=1`)
    const [stored] = await feedbackOf(registration.id)
    expect(stored).toMatchObject({ rating: 4, comment: 'Très utile, merci.' })

    const thanks = await page(`${path}?merci=1`)
    expect(thanks.html).toContain('Merci pour votre avis !')
    expect(thanks.html).toMatch(/<input id="avis-rating-4"[^>]*checked=""/)
    expect(thanks.html).toContain('Très utile, merci.</textarea>')
    expect(thanks.html).toContain('Modifier mon avis')

    const second = await answer(path, { rating: '2', comment: '' })
    expect(second.status).toBe(303)
    const rows = await feedbackOf(registration.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: stored!.id, rating: 2, comment: null })
    expect(rows[0]!.updatedAt.getTime()).toBeGreaterThanOrEqual(stored!.updatedAt.getTime())
  })

  it('a bad or missing rating: French error tied to the field, the typed comment kept, nothing stored', async () => {
    const event = await eventAround(-90)
    const registration = await registrationFor(event.id)
    const path = feedbackPath(registration.id)
    for (const fields of [{ rating: '9', comment: 'Mon commentaire à garder' }, { comment: 'Mon commentaire à garder' }, { rating: 'abc', comment: 'Mon commentaire à garder' }] as Record<string, string>[]) {
      const response = await answer(path, fields)
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(html).toContain('Votre avis n’a pas été enregistré')
      expect(html).toContain('<p id="avis-rating-error" class="field-error">Choisissez une note de 1 à 5.</p>')
      expect(html).toMatch(/<fieldset aria-describedby="avis-rating-error">/)
      expect(html).toContain('href="#avis-rating-1"')
      expect(html).toContain('Mon commentaire à garder</textarea>')
    }
    const long = 'x'.repeat(2001)
    const tooLong = await answer(path, { rating: '3', comment: long })
    expect(tooLong.status).toBe(400)
    const html = await tooLong.text()
    expect(html).toContain('Votre commentaire dépasse 2 000 caractères : raccourcissez-le.')
    expect(html).toContain(`${long}</textarea>`)
    expect(html).toMatch(/<input id="avis-rating-3"[^>]*checked=""/)
    expect(await feedbackOf(registration.id)).toHaveLength(0)
  })

  it('a tampered token is refused (404) and stores nothing; before the start the form is not offered', async () => {
    const event = await eventAround(-90)
    const registration = await registrationFor(event.id)
    const path = feedbackPath(registration.id)
    const tampered = `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`
    const shown = await page(tampered)
    expect(shown.status).toBe(404)
    expect(shown.html).toContain('Lien invalide')
    expect(shown.html).not.toContain('name="rating"')
    expect((await answer(tampered, { rating: '5' })).status).toBe(404)
    expect(await feedbackOf(registration.id)).toHaveLength(0)

    const upcoming = await eventAround(24 * 60)
    const early = await registrationFor(upcoming.id)
    const earlyPage = await page(feedbackPath(early.id))
    expect(earlyPage.html).toContain('L’événement n’a pas encore eu lieu')
    expect(earlyPage.html).not.toContain('name="rating"')
    expect((await answer(feedbackPath(early.id), { rating: '5' })).status).toBe(409)
    expect(await feedbackOf(early.id)).toHaveLength(0)
  })
})

describe('staff attendance page', () => {
  it('shows the count, average, distribution and comments with names, most recent first', async () => {
    const staff = await createTestStaff()
    const event = await eventAround(-90)
    const older = await registrationFor(event.id, { firstName: 'Dominique', lastName: 'Premier-Avis' })
    const newer = await registrationFor(event.id, { firstName: 'Sacha', lastName: 'Second-Avis' })
    expect((await answer(feedbackPath(older.id), { rating: '5', comment: 'Intervenants passionnants.' })).status).toBe(303)
    expect((await answer(feedbackPath(newer.id), { rating: '2', comment: 'Trop court.' })).status).toBe(303)

    const response = await staffGet(staff, `/admin/events/${event.id}/attendance`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Avis des participant·es')
    expect(html).toContain('<dd data-count="feedback">2</dd>')
    expect(html).toContain('<dd data-testid="feedback-average">3,5 sur 5</dd>')
    expect(html).toMatch(/<tr data-rating="5"><th scope="row">5 sur 5<\/th><td>1<\/td><\/tr>/)
    expect(html).toMatch(/<tr data-rating="3"><th scope="row">3 sur 5<\/th><td>0<\/td><\/tr>/)
    const newest = html.indexOf('Sacha Second-Avis · note 2 sur 5')
    const oldest = html.indexOf('Dominique Premier-Avis · note 5 sur 5')
    expect(newest).toBeGreaterThan(-1)
    expect(oldest).toBeGreaterThan(newest)
    expect(html).toContain('Trop court.')
    expect(html).toContain('Intervenants passionnants.')
  })

  it('lists who joined live through their link, with the first join time', async () => {
    const staff = await createTestStaff()
    const event = await eventAround(-10)
    const joiner = await registrationFor(event.id, { firstName: 'Alix', lastName: 'Connectée' })
    const absent = await registrationFor(event.id, { firstName: 'Noa', lastName: 'Absente' })

    const before = await (await staffGet(staff, `/admin/events/${event.id}/attendance`)).text()
    expect(before).toContain('Connecté·es via leur lien')
    expect(before).toContain('<dd data-count="joined">0</dd>')
    expect(before).toContain('Personne ne s’est encore connecté par son lien.')

    expect((await openJoinLink(joiner.token)).status).toBe(302)
    const { joinedAt } = await prisma.registration.findUniqueOrThrow({ where: { id: joiner.id } })
    const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' }).format(joinedAt!)

    const html = await (await staffGet(staff, `/admin/events/${event.id}/attendance`)).text()
    expect(html).toContain('<dd data-count="joined">1</dd>')
    expect(html).toContain(`<tr data-registration-id="${joiner.id}"><th scope="row">Alix Connectée</th><td>${time}</td></tr>`)
    expect(html).not.toMatch(new RegExp(`<tr data-registration-id="${absent.id}"><th scope="row">Noa Absente</th><td>`))
    expect(html).toContain('L’événement est en cours : cette liste se met à jour toutes les 15 secondes.')
    expect(html).toContain(`href="/admin/events/${event.id}/attendance">Actualiser</a>`)
    // The attendance table counts the join as present.
    expect(html).toContain('<dd data-count="present">1</dd>')
    expect(html).toContain(`connecté·e par son lien à ${time}`)
  })
})
