// French strings of the add-to-calendar links (Google, Outlook.com, .ics) on public pages, and of the words the
// calendar files themselves carry (DESCRIPTION lines, LOCATION; read by event-invite.server.ts for the emailed
// invites too), kept in their own file so that each area edits its own strings.
export const calendarLinks = {
  title: 'Ajouter à mon agenda',
  google: 'Ajouter à Google Agenda',
  outlook: 'Ajouter à Outlook.com',
  ics: 'Télécharger le fichier .ics (Apple Calendrier, Outlook, Thunderbird…)',
  icsPersonal: 'Télécharger le fichier .ics avec mon lien personnel (Apple Calendrier, Outlook, Thunderbird…)',
  thanksHint: 'Le courriel de confirmation contient aussi une invitation à ajouter à votre agenda : ajoutez l’événement une seule fois.',
  manageHint: 'Le fichier .ics contient votre lien personnel pour rejoindre l’événement ; les liens Google et Outlook ne contiennent que la page de l’événement.',
  seriesIcs: 'Télécharger toutes les séances du cycle (fichier .ics)',
  seriesHint: 'Le fichier contient chaque séance publiée du cycle. Vos courriels de confirmation contiennent aussi une invitation par séance : ajoutez chaque séance une seule fois.',
  sessionIcs: 'Ajouter « {{title}} » à mon agenda (fichier .ics)',
  eventIcs: 'Ajouter à mon agenda (fichier .ics)',
  feed: 'S’abonner au calendrier des événements (.ics)',
  feedHint: 'Copiez l’adresse de ce lien dans votre application d’agenda pour y voir chaque nouvel événement.',
  notFound: 'Aucun agenda à télécharger : cette inscription n’est pas confirmée, ou ce lien n’est plus valable. Ouvrez le lien de votre dernier courriel.',
  file: {
    online: 'En ligne',
    onlineAnd: '{{venue}} et en ligne',
    page: 'Page de l’événement',
    join: 'Rejoindre l’événement (lien personnel)',
    manage: 'Gérer mon inscription',
  },
} as const
