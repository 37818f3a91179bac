// Owns the demo calendar: the weekly "Jeudis de l'ODD 17" webinars, a full-day in-person Session, an evening hybrid
// Intersession and a past webinar with its replay. Dates are derived from today's date in Paris so the demo always
// has events ahead; slugs carry the date (or the month) so a rerun the same day inserts nothing new.
import type { EventKind } from '~/generated/prisma/enums.ts'
import { demoDomain } from './catalog.ts'
import { addDays, nextWeekday, nthWeekdayOfMonth, zonedInstant, type CalendarDate } from './time.ts'

export const demoTimeZone = 'Europe/Paris'
const THURSDAY = 4
const TUESDAY = 2
const WEDNESDAY = 3

export interface DemoEvent {
  slug: string
  seriesSlug?: string
  kind: EventKind
  title: string
  summary: string
  description: string
  startsAt: Date
  endsAt: Date
  venueName?: string
  venueAddress?: string
  accessNotes?: string
  joinUrl?: string
  capacity: number
  questions: { id: string; label: string; type: 'text' | 'select'; required: boolean; options?: string[] }[]
  speakers: { name: string; role: string }[]
  tags: string[]
  replayUrl?: string
  resources: { label: string; url: string }[]
}

export const jeudisSeries = {
  slug: 'jeudis-odd-17',
  title: 'Les Jeudis de l’ODD 17',
  description:
    'Chaque jeudi, trois quarts d’heure à l’heure du déjeuner pour découvrir une donnée, un outil, un acteur ou une compétence qui aide à faire alliance en territoire. Inscrivez-vous une fois au cycle pour recevoir le lien de chaque séance.',
}

/** One flash topic per week of the year, so a given Thursday always has the same subject. */
const jeudiTopics: [string, string][] = [
  ['Un outil : cartographier les parties prenantes d’un projet', 'Rôles, compétences, degré d’implication : une grille simple pour voir qui mobiliser et ce qui manque.'],
  ['Une donnée : ce que les alliances changent dans les petits territoires', 'Les premiers enseignements d’une évaluation d’expérimentations locales, commentés par celles et ceux qui les ont menées.'],
  ['Un acteur : les catalyseurs territoriaux', 'Qui sont ces personnes qui mettent en relation élus, associations et entreprises, et comment les rejoindre ?'],
  ['Une compétence : animer une soirée de travail entre acteurs', 'Préparer, faciliter et conclure une intersession qui débouche sur des actions concrètes.'],
  ['Un outil : la charte d’engagement réciproque', 'Écrire à plusieurs ce que chacun apporte et attend : un modèle à adapter à votre projet.'],
  ['Une donnée : financer l’ingénierie de projet', 'Où trouver les moyens d’animer un projet de territoire quand on est une petite collectivité ?'],
  ['Un acteur : l’université comme partenaire du territoire', 'Recherche-action, projets tutorés, stages : travailler avec chercheurs et étudiants.'],
  ['Une compétence : raconter son projet pour mobiliser', 'Rendre visibles les étapes, les partenaires et les premières réussites d’un projet collectif.'],
]

const jeudiSpeakers = [
  { name: 'Hélène Vidal', role: 'chargée de mission, Territoires en Réseau' },
  { name: 'Karim Benali', role: 'animateur du réseau des catalyseurs' },
  { name: 'Mathilde Carrère', role: 'maîtresse de conférences, Université de Pau et des Pays de l’Adour' },
  { name: 'Olivier Puech', role: 'directeur du PETR du Pays de Figeac' },
]

function isoWeek(date: CalendarDate): number {
  const thursday = addDays(date, 3 - ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7))
  const firstThursday = nextWeekday(`${thursday.slice(0, 4)}-01-01`, THURSDAY)
  return 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000))
}

const at = (date: CalendarDate, time: string) => zonedInstant(date, time, demoTimeZone)

function jeudi(date: CalendarDate): DemoEvent {
  const week = isoWeek(date)
  const [topic, summary] = jeudiTopics[week % jeudiTopics.length]!
  return {
    slug: `jeudi-odd-17-${date}`,
    seriesSlug: jeudisSeries.slug,
    kind: 'ONLINE',
    title: `Jeudi de l’ODD 17 — ${topic}`,
    summary,
    description: `${summary}\n\nQuinze minutes de présentation, trente minutes d’échanges. La séance est enregistrée ; le replay et les ressources sont envoyés aux personnes inscrites.`,
    startsAt: at(date, '12:15'),
    endsAt: at(date, '13:00'),
    joinUrl: `https://visio.${demoDomain}/jeudis-odd-17?seance=${date}`,
    capacity: 300,
    questions: [],
    speakers: [jeudiSpeakers[week % jeudiSpeakers.length]!],
    tags: ['ODD 17', 'webinaire', 'faire alliance'],
    resources: [],
  }
}

/** Every demo event relative to `today`, the current date in Paris. */
export function demoEvents(today: CalendarDate): DemoEvent[] {
  const firstThursday = nextWeekday(addDays(today, 1), THURSDAY)
  const upcomingJeudis = Array.from({ length: 8 }, (_, week) => jeudi(addDays(firstThursday, 7 * week)))
  const lastJeudi = jeudi(addDays(firstThursday, -7))
  const pastJeudi: DemoEvent = {
    ...lastJeudi,
    replayUrl: `https://videos.${demoDomain}/jeudis-odd-17/${addDays(firstThursday, -7)}`,
    resources: [{ label: 'Support de présentation (PDF)', url: `https://www.${demoDomain}/ressources/jeudi-${addDays(firstThursday, -7)}.pdf` }],
  }

  // The Session and the Intersession follow the project's monthly rhythm: first Tuesday and second Wednesday of
  // next month, so they are always ahead and a rerun within the month finds them already there.
  const sessionDay = nthWeekdayOfMonth(today, 1, TUESDAY, 1)
  const intersessionDay = nthWeekdayOfMonth(today, 1, WEDNESDAY, 2)
  const month = sessionDay.slice(0, 7)
  const session: DemoEvent = {
    slug: `session-projet-de-territoire-${month}`,
    kind: 'IN_PERSON',
    title: 'Session de l’équipe-projet : projet de territoire',
    summary: 'Une journée en immersion pour l’équipe-projet : point d’étape des cinq chantiers et choix des prochaines actions.',
    description:
      'Journée de travail en immersion réservée à l’équipe-projet et aux pilotes de chantier.\n\nMatin : tour des chantiers (épargne locale, agriculture, mobilité, stages avec le lycée, indicateurs de bien-vivre).\nDéjeuner sur place.\nAprès-midi : ateliers en petits groupes et feuille de route des trois prochains mois.',
    startsAt: at(sessionDay, '09:30'),
    endsAt: at(sessionDay, '17:00'),
    venueName: 'Salle des fêtes de Cénac',
    venueAddress: '2 place de la Mairie, 24250 Cénac-et-Saint-Julien',
    accessNotes: 'Parking sur la place. Salle accessible de plain-pied. Covoiturage organisé depuis Sarlat : signalez-le dans le formulaire.',
    capacity: 20,
    questions: [
      { id: 'repas', label: 'Régime alimentaire pour le déjeuner', type: 'select', required: true, options: ['Sans restriction', 'Végétarien', 'Sans gluten', 'Autre'] },
      { id: 'covoiturage', label: 'Covoiturage depuis Sarlat', type: 'select', required: false, options: ['Je propose des places', 'Je cherche une place', 'Non merci'] },
    ],
    speakers: [{ name: 'Pauline Castagné', role: 'cheffe de projet, PETR du Périgord Noir' }],
    tags: ['projet de territoire', 'équipe-projet', 'session'],
    resources: [],
  }
  const intersession: DemoEvent = {
    slug: `intersession-chantiers-${month}`,
    kind: 'HYBRID',
    title: 'Intersession : les chantiers du projet de territoire',
    summary: 'Une soirée de travail ouverte aux acteurs qui portent les chantiers, sur place ou à distance.',
    description:
      'Élus, techniciens, associations, entreprises et habitants qui portent les chantiers se retrouvent pour avancer ensemble.\n\nAu programme : nouvelles des chantiers, travail en groupes par chantier, prochaines étapes. Les personnes à distance rejoignent un groupe par visioconférence.',
    startsAt: at(intersessionDay, '18:30'),
    endsAt: at(intersessionDay, '20:30'),
    venueName: 'Tiers-lieu La Fabrique commune',
    venueAddress: '14 avenue Gambetta, 24200 Sarlat-la-Canéda',
    accessNotes: 'Entrée par la cour. Une soupe est offerte à partir de 18 h.',
    joinUrl: `https://visio.${demoDomain}/intersession-${month}`,
    capacity: 40,
    questions: [{ id: 'modalite', label: 'Vous participerez', type: 'select', required: true, options: ['Sur place', 'À distance'] }],
    speakers: [],
    tags: ['projet de territoire', 'intersession'],
    resources: [],
  }

  // The past webinar keeps a fixed slug: it was held once, on a Tuesday three or four weeks before the first seed.
  const webinarDay = nextWeekday(addDays(today, -27), TUESDAY)
  const pastWebinar: DemoEvent = {
    slug: 'webinaire-faire-alliance-premiers-pas',
    kind: 'ONLINE',
    title: 'Webinaire : faire alliance en territoire, premiers pas',
    summary: 'Élus et équipes nouvellement en poste : comment réunir les acteurs de son territoire autour d’un projet commun.',
    description:
      'Un échange entre pairs pour les élus et professionnels qui lancent une démarche partenariale : partir des moteurs du territoire plutôt que de ses faiblesses, mobiliser les habitants, associer entreprises et chercheurs, donner de la visibilité au projet.',
    startsAt: at(webinarDay, '10:00'),
    endsAt: at(webinarDay, '11:30'),
    joinUrl: `https://visio.${demoDomain}/faire-alliance`,
    capacity: 500,
    questions: [],
    speakers: [
      { name: 'Nathalie Rouquette', role: 'maire de Saint-Céré' },
      { name: 'Sébastien Larrieu', role: 'directeur, Territoires en Réseau' },
    ],
    tags: ['webinaire', 'élus', 'faire alliance'],
    replayUrl: `https://videos.${demoDomain}/faire-alliance-premiers-pas`,
    resources: [
      { label: 'Support de présentation (PDF)', url: `https://www.${demoDomain}/ressources/faire-alliance-premiers-pas.pdf` },
      { label: 'Fiche repère : cartographier les parties prenantes', url: `https://www.${demoDomain}/ressources/fiche-parties-prenantes` },
    ],
  }
  return [pastWebinar, pastJeudi, ...upcomingJeudis, intersession, session]
}
