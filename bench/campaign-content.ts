// The newsletter of the campaign benchmark: a believable monthly letter of a network of local actors (editorial,
// ten article cards, a calendar, buttons, dividers), personalised with merge fields in the subject, headings and
// texts. Rendered by MJML it weighs some 30 to 60 KB per message, the size of a real newsletter.
import type { CampaignBlock } from '#emails/campaign/blocks.ts'

const topics = [
  ['Mobilités rurales', 'Trois communautés de communes ont ouvert un service de transport à la demande mutualisé. Premier bilan après six mois : 4 200 trajets, un coût par passager divisé par deux et des horaires choisis avec les habitants lors de quatre ateliers publics.'],
  ['Rénovation des écoles', 'Le programme régional finance désormais les audits énergétiques des bâtiments scolaires des communes de moins de 3 500 habitants. Les dossiers se déposent jusqu’à la fin du trimestre ; une permanence téléphonique aide à les monter.'],
  ['Alimentation locale', 'Cantines, épiceries solidaires et producteurs se retrouvent dans un projet alimentaire territorial qui fixe un objectif de 40 % de produits locaux dans la restauration collective d’ici deux ans. Retour sur la méthode.'],
  ['Numérique et inclusion', 'Les conseillers numériques du réseau ont accompagné plus de 9 000 personnes cette année. Ce qui marche : les permanences dans les mairies et les médiathèques, les ateliers courts et le suivi individuel sur rendez-vous.'],
  ['Eau et sécheresse', 'Face aux arrêtés sécheresse répétés, des syndicats d’eau testent la réutilisation des eaux usées traitées pour l’arrosage des espaces verts. Les premiers résultats et les limites réglementaires à connaître avant de se lancer.'],
  ['Jeunesse et engagement', 'Le service civique dans les petites communes reste rare. Une association propose un portage administratif qui permet à plusieurs communes de partager un ou une volontaire. Mode d’emploi et témoignages.'],
  ['Santé de proximité', 'Une maison de santé pluriprofessionnelle a ouvert dans un bourg de 1 800 habitants après trois ans de travail avec l’agence régionale de santé et les professionnels du territoire. Les étapes et les financements mobilisés.'],
  ['Commerce de centre-bourg', 'Boutiques à l’essai, loyers progressifs, vitrines partagées : cinq communes racontent comment elles ont fait revenir des commerces dans leur centre. Avec les chiffres de fréquentation un an après.'],
  ['Culture itinérante', 'Un camion-scène parcourt les villages de la vallée tout l’été : concerts, cinéma en plein air et lectures. Le modèle économique repose sur une cotisation des communes et sur le mécénat d’entreprises locales.'],
  ['Biodiversité', 'Les atlas de la biodiversité communale mobilisent les habitants pour recenser la faune et la flore. Comment en lancer un, avec quels partenaires, et ce que les données changent pour les documents d’urbanisme.'],
] as const

const paragraph = (text: string) => `<p>${text}</p>`

/** The blocks of the benchmark's newsletter (no image upload: article cards without image). */
export function benchNewsletterBlocks(): CampaignBlock[] {
  const blocks: CampaignBlock[] = [
    { id: 'hello', type: 'heading', text: 'Bonjour {{prenom|chère lectrice, cher lecteur}}', level: 1 },
    {
      id: 'edito',
      type: 'text',
      html: [
        paragraph('Ce mois-ci, {{prenom|chère lectrice, cher lecteur}}, la lettre du réseau revient sur dix initiatives repérées dans les territoires, sur <strong>le calendrier des rencontres</strong> de la rentrée et sur les appels à projets ouverts.'),
        paragraph('Vous recevez cette lettre en tant que membre de {{structure|votre structure}}. Comme toujours, vos retours sont les bienvenus : répondez simplement à ce message.'),
        '<ul><li>Dix initiatives à découvrir</li><li>Trois appels à projets ouverts</li><li>Les rencontres régionales de l’automne</li></ul>',
      ].join(''),
    },
    { id: 'd0', type: 'divider' },
  ]
  topics.forEach(([title, summary], index) => {
    blocks.push({
      id: `a${index}`,
      type: 'article',
      assetId: null,
      imageAlt: '',
      title,
      summary: `${summary} ${index % 3 === 0 ? 'Pour {{structure|votre structure}}, les contacts des porteurs de projet sont à la fin de l’article.' : ''}`.trim(),
      url: `https://relais.example/articles/${index + 1}-${title.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '-')}`,
      linkLabel: 'Lire l’article',
    })
    if (index % 3 === 2) blocks.push({ id: `d${index + 1}`, type: 'divider' })
  })
  blocks.push(
    { id: 'agenda', type: 'heading', text: 'Agenda', level: 2 },
    {
      id: 'agenda-text',
      type: 'text',
      html: [
        paragraph('<strong>12 septembre</strong> — Rencontre régionale des élus à Lyon : ateliers sur la sobriété foncière et la revitalisation des centres-bourgs.'),
        paragraph('<strong>26 septembre</strong> — Webinaire « Monter un dossier de subvention européenne », de 11 h à 12 h 30.'),
        paragraph('<strong>10 octobre</strong> — Journée des associations du réseau à Tours : tables rondes, forum des projets et soirée conviviale.'),
        paragraph('<strong>7 novembre</strong> — Assemblée générale annuelle, en ligne et à Paris.'),
      ].join(''),
    },
    { id: 'register', type: 'button', label: 'S’inscrire aux rencontres', url: 'https://relais.example/agenda' },
    { id: 'd-agenda', type: 'divider' },
    { id: 'calls', type: 'heading', text: 'Appels à projets', level: 2 },
    {
      id: 'calls-text',
      type: 'text',
      html: [
        paragraph('<a href="https://relais.example/appels/mobilite">Mobilités du quotidien</a> : jusqu’au 30 octobre, pour les collectivités et les associations.'),
        paragraph('<a href="https://relais.example/appels/alimentation">Alimentation durable</a> : jusqu’au 15 novembre, pour les projets alimentaires territoriaux.'),
        paragraph('<a href="https://relais.example/appels/numerique">Inclusion numérique</a> : au fil de l’eau, pour les lieux de médiation.'),
      ].join(''),
    },
    { id: 'more', type: 'button', label: 'Tous les appels à projets', url: 'https://relais.example/appels' },
    { id: 'bye', type: 'text', html: paragraph('Bonne lecture, {{prenom|et à bientôt}} !<br>L’équipe du réseau') },
  )
  return blocks
}

export const benchSubject = 'La lettre du réseau — {{prenom|à vous}}, dix initiatives pour la rentrée'
