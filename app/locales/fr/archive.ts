// French strings of the archive pages (kept in their own file so that each area edits its own strings).
export const archive = {
  title: 'Archives des lettres d’information',
  intro: 'Les lettres déjà envoyées, en version web. Elles ne contiennent aucune donnée personnelle.',
  filter: {
    legend: 'Filtrer les numéros',
    list: 'Lettre d’information',
    all: 'Toutes les lettres',
    submit: 'Afficher',
  },
  empty: 'Aucun numéro n’est encore publié dans les archives.',
  emptyForList: 'Aucun numéro de cette lettre n’est publié dans les archives.',
  issuesLabel: 'Numéros publiés',
  sentOn: 'Envoyée le {{date}}',
  lists: 'Lettre : {{names}}',
  older: 'Numéros plus anciens',
  newest: 'Revenir aux numéros les plus récents',
  pagination: 'Pages des archives',
  rss: 'Suivre les archives par flux RSS',
  rssTitle: 'Archives des lettres d’information (RSS)',
  subscribe: 'S’abonner',
  subscribeIntro: 'Vous aimeriez recevoir les prochains numéros ?',
  back: 'Toutes les archives',
  issue: {
    frameTitle: 'Version web de la lettre « {{subject}} »',
    fullPage: 'Ouvrir la version web en pleine page',
    textVersion: 'Version texte',
  },
  feed: {
    title: '{{organization}} — archives des lettres d’information',
    description: 'Les derniers numéros des lettres d’information de {{organization}}, en version web.',
  },
  link: {
    notFound: 'Ce lien n’existe pas ou plus. Vérifiez l’adresse ou ouvrez la lettre dans les archives.',
  },
  webhook: {
    methodNotAllowed: 'Méthode refusée : le webhook n’accepte que des requêtes POST.',
    malformed:
      'Requête refusée : le corps doit être du JSON au format générique ({"events": [...]}), Brevo ou Mailjet. Vérifiez la configuration du webhook.',
    tooLarge: 'Requête refusée : le corps dépasse 1 Mo. Envoyez les événements par lots plus petits.',
    unauthorized: 'Secret du webhook absent ou incorrect.',
  },
}
