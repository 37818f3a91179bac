// Owns the fixed part of the demo resource centre: the organisation, its sender, its newsletters, the consent
// wording shown on its forms and the demo staff accounts. Every address uses the reserved .example domain, so
// nothing the demo sends can ever reach a real mailbox.

export const demoDomain = 'territoires-en-reseau.example'

export const demoOrganization = {
  name: 'Territoires en Réseau',
  postalAddress: 'Maison des Territoires, 7 rue du Pont-Neuf, 24000 Périgueux, France',
  replyTo: `contact@${demoDomain}`,
  website: `https://www.${demoDomain}`,
  timeZone: 'Europe/Paris',
  defaultLocale: 'fr',
  brandColor: '#1d4e89',
}

export const demoSender = {
  name: 'Territoires en Réseau',
  email: `lettres@${demoDomain}`,
  replyTo: `contact@${demoDomain}`,
  ratePerSecond: 20,
  ratePerHour: 50_000,
}

/** The default From of the demo (MAIL_FROM), the same address as the default sender identity. */
export const demoMailFrom = `${demoSender.name} <${demoSender.email}>`

export const listSlugs = ['la-quotidienne', 'hebdo-association', 'hebdo-grand-public', 'hebdo-partenaires', 'equipe-projet'] as const
export type ListSlug = (typeof listSlugs)[number]

export interface DemoList {
  slug: ListSlug
  name: string
  description: string
  cadence: string
  isPublic: boolean
  doubleOptIn: boolean
  inArchive: boolean
  sortOrder: number
}

export const demoLists: DemoList[] = [
  {
    slug: 'la-quotidienne',
    name: 'La quotidienne',
    description:
      'Chaque matin, l’essentiel pour les équipes des collectivités : appels à projets, ressources à télécharger, rendez-vous du réseau et retours d’expérience de territoires voisins.',
    cadence: 'Chaque jour ouvré',
    isPublic: true,
    doubleOptIn: true,
    inArchive: true,
    sortOrder: 1,
  },
  {
    slug: 'hebdo-association',
    name: 'L’hebdo association',
    description:
      'Pour les associations, tiers-lieux et centres sociaux : financements, outils pour mobiliser les bénévoles et les habitants, initiatives à essaimer.',
    cadence: 'Chaque mardi',
    isPublic: true,
    doubleOptIn: true,
    inArchive: true,
    sortOrder: 2,
  },
  {
    slug: 'hebdo-grand-public',
    name: 'L’hebdo grand public',
    description:
      'Les projets qui changent la vie des territoires, racontés simplement, et les rencontres ouvertes à toutes et tous près de chez vous.',
    cadence: 'Chaque vendredi',
    isPublic: true,
    doubleOptIn: true,
    inArchive: true,
    sortOrder: 3,
  },
  {
    slug: 'hebdo-partenaires',
    name: 'L’hebdo entreprise, fondation, partenaire',
    description:
      'Pour les entreprises, fondations et partenaires financeurs : alliances en cours, projets qui cherchent un appui, résultats des expérimentations soutenues.',
    cadence: 'Chaque jeudi',
    isPublic: false,
    doubleOptIn: true,
    inArchive: false,
    sortOrder: 4,
  },
  {
    slug: 'equipe-projet',
    name: 'Équipe-projet du projet de territoire',
    description: 'Liste de travail de l’équipe-projet : convocations aux Sessions, comptes rendus et documents préparatoires.',
    cadence: 'Selon le calendrier des Sessions',
    isPublic: false,
    doubleOptIn: false,
    inArchive: false,
    sortOrder: 5,
  },
]

/** The exact wording shown next to the subscription boxes; its SHA-256 is what a consent record points to. */
export const consentWordings = {
  formFr:
    'J’accepte de recevoir les lettres d’information cochées ci-dessus. Je peux me désabonner à tout moment par le lien présent dans chaque lettre ou depuis la page de gestion de mes préférences.',
  formEn:
    'I agree to receive the newsletters ticked above. I can unsubscribe at any time through the link in every newsletter or from my preferences page.',
  importFr:
    'Contacts recueillis lors des rencontres du réseau, avec leur accord écrit pour recevoir les lettres d’information du centre de ressources.',
} as const

export interface DemoStaff {
  email: string
  name: string
  role: 'ADMIN' | 'EDITOR'
  /** Read from this variable when set, otherwise the demo password below (printed by `npm run demo`). */
  passwordVariable: string
  defaultPassword: string
}

export const demoStaff: DemoStaff[] = [
  {
    email: 'admin@relais.local',
    name: 'Camille Lefèvre',
    role: 'ADMIN',
    passwordVariable: 'DEMO_ADMIN_PASSWORD',
    defaultPassword: 'relais-demo-admin',
  },
  {
    email: 'redaction@relais.local',
    name: 'Julien Marty',
    role: 'EDITOR',
    passwordVariable: 'DEMO_EDITOR_PASSWORD',
    defaultPassword: 'relais-demo-redaction',
  },
]

export function staffPassword(staff: DemoStaff, env: NodeJS.ProcessEnv = process.env): string {
  return env[staff.passwordVariable] || staff.defaultPassword
}
