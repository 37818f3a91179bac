// A realistic newsletter with every block type, as plain render input: for unit tests, the build() speed script and
// the sending benchmark (bench/), so that they all measure the same kind of message (about 40 KB of HTML).
import type { CampaignBlock } from './blocks.ts'
import type { CampaignRenderInput } from './render.ts'

const paragraph =
  '<p>Bonjour {{prenom|à toutes et à tous}}, cette semaine la <strong>Maison des associations</strong> accueille les ' +
  'porteurs de projets du <em>territoire</em> pour une série d’ateliers pratiques : comptabilité, recherche de ' +
  'financements, communication. <a href="https://exemple.org/ateliers?source=lettre&amp;n=12">Découvrez le programme</a>.</p>'

/** `articles` article cards (with images), plus one of every other block type. */
export function sampleRenderInput(options: { articles?: number; appUrl?: string } = {}): CampaignRenderInput {
  const appUrl = options.appUrl ?? 'https://relais.example.org'
  const blocks: CampaignBlock[] = [
    { id: 'h1', type: 'heading', text: 'Les nouvelles de {{organisation}}', level: 1 },
    { id: 't1', type: 'text', html: `${paragraph}<ul><li>Lundi : accueil</li><li>Mardi : <u>atelier</u> {{structure|}}</li></ul>` },
    { id: 'i1', type: 'image', assetId: 1, alt: 'Des bénévoles autour d’une table', url: 'https://exemple.org/galerie' },
    { id: 'b1', type: 'button', label: 'Je participe, {{prenom|moi aussi}} !', url: 'https://exemple.org/participer' },
    { id: 'd1', type: 'divider' },
    { id: 'e1', type: 'event', eventId: 1, buttonLabel: '' },
    { id: 'e2', type: 'event', eventId: 2, buttonLabel: 'Je m’inscris' },
  ]
  for (let index = 0; index < (options.articles ?? 6); index++) {
    blocks.push({
      id: `a${index}`,
      type: 'article',
      assetId: 1,
      imageAlt: `Illustration de l’article ${index + 1}`,
      title: `Article ${index + 1} : la vie associative à {{territoire|Lyon}}`,
      summary: 'Un résumé de quelques lignes qui donne envie de lire la suite, avec des accents : é, è, à, ç, œ. '.repeat(3).trim(),
      url: `https://exemple.org/articles/${index + 1}`,
      linkLabel: '',
    })
    blocks.push({ id: `t${index + 2}`, type: 'text', html: paragraph })
  }
  return {
    campaignId: 1,
    subject: '{{prenom|Bonjour}}, les nouvelles de la semaine à {{territoire|Lyon}}',
    preheader: 'Ateliers, rencontres et appels à projets',
    locale: 'fr',
    blocks,
    organization: { name: 'Maison des associations', postalAddress: '12 rue de la République, 69002 Lyon', website: 'https://exemple.org', brandColor: '#1d4e89', logoUrl: null },
    listNames: ['La quotidienne'],
    events: {
      1: {
        id: 1,
        title: 'Atelier financements',
        startsAt: '2026-12-03T17:30:00.000Z',
        endsAt: '2026-12-03T19:00:00.000Z',
        timeZone: 'Europe/Paris',
        kind: 'IN_PERSON',
        venue: 'Salle Jean Moulin',
        pageUrl: `${appUrl}/events/atelier-financements`,
      },
      2: {
        id: 2,
        title: 'Webinaire bénévolat',
        startsAt: '2026-12-10T12:00:00.000Z',
        endsAt: '2026-12-10T13:00:00.000Z',
        timeZone: 'America/Montreal',
        kind: 'ONLINE',
        venue: null,
        pageUrl: `${appUrl}/events/webinaire`,
      },
    },
    assetUrls: { 1: `${appUrl}/assets/1` },
    webVersionUrl: `${appUrl}/archive/les-nouvelles`,
  }
}
