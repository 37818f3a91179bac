// Owns the demo audience: a few hundred invented people of every actor type, from communes, intercommunalités,
// PETR, associations, companies and universities of south-western France, with the newsletters each follows.
// Generated from a fixed seed so that every run yields the same people (the seed inserts only who is missing).
import type { ActorType, ContactStatus, SubscriptionStatus } from '~/generated/prisma/enums.ts'
import type { ListSlug } from './catalog.ts'

export interface DemoSubscription {
  list: ListSlug
  status: SubscriptionStatus
  source: 'FORM' | 'IMPORT'
}

export interface DemoContact {
  email: string
  firstName: string
  lastName: string
  organization: string | null
  actorType: ActorType
  territory: string
  locale: 'fr' | 'en'
  status: ContactStatus
  /** How long ago the person joined, so the audience looks like it grew over two years. */
  joinedDaysAgo: number
  subscriptions: DemoSubscription[]
}

const firstNames = [
  'Camille', 'Léa', 'Manon', 'Chloé', 'Sarah', 'Inès', 'Julie', 'Anne', 'Marie', 'Claire', 'Sophie', 'Isabelle',
  'Nathalie', 'Céline', 'Aurélie', 'Émilie', 'Pauline', 'Hélène', 'Mathilde', 'Élodie', 'Lucie', 'Agnès', 'Martine',
  'Brigitte', 'Maëlle', 'Nadia', 'Fatima', 'Yasmina', 'Thomas', 'Nicolas', 'Julien', 'Pierre', 'Antoine', 'Mathieu',
  'Sébastien', 'Olivier', 'Laurent', 'François', 'Philippe', 'Jean-Luc', 'Christophe', 'Bruno', 'Pascal', 'Xavier',
  'Romain', 'Hugo', 'Louis', 'Gaël', 'Yannick', 'Jérôme', 'Benoît', 'Karim', 'Mehdi', 'Samuel', 'Denis', 'Alain',
]

const lastNames = [
  'Martin', 'Bernard', 'Dubois', 'Durand', 'Lefebvre', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Garcia', 'David',
  'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'Andrieu', 'Mercier', 'Dupuy', 'Lambert', 'Bonnet',
  'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Lacoste', 'Castagné', 'Delmas', 'Bouvier',
  'Escudié', 'Labarthe', 'Puech', 'Vidal', 'Rouquette', 'Cazenave', 'Etcheverry', 'Larrieu', 'Soulié', 'Marty',
  'Combes', 'Fabre', 'Albert', 'Bousquet', 'Carrère', 'Ourliac', 'Peyrot', 'Benali', 'Nguyen', 'Da Silva', 'Hamadi',
]

/** Communes with their département, the map of the demo network (Nouvelle-Aquitaine, Occitanie, a few beyond). */
const communes: [string, string][] = [
  ['Sarlat-la-Canéda', '24'], ['Nontron', '24'], ['Bergerac', '24'], ['Ribérac', '24'], ['Figeac', '46'],
  ['Gourdon', '46'], ['Saint-Céré', '46'], ['Villefranche-de-Rouergue', '12'], ['Millau', '12'], ['Decazeville', '12'],
  ['Saint-Girons', '09'], ['Foix', '09'], ['Lavelanet', '09'], ['Prades', '66'], ['Font-Romeu-Odeillo-Via', '66'],
  ['Lannemezan', '65'], ['Bagnères-de-Bigorre', '65'], ['Oloron-Sainte-Marie', '64'], ['Mauléon-Licharre', '64'],
  ['Marmande', '47'], ['Nérac', '47'], ['Ussel', '19'], ['Tulle', '19'], ['Guéret', '23'], ['Aubusson', '23'],
  ['Aurillac', '15'], ['Saint-Flour', '15'], ['Lodève', '34'], ['Bellac', '87'], ['Confolens', '16'],
  ['Corte', '2B'], ['Sartène', '2A'], ['Capesterre-Belle-Eau', '971'],
]

/** A structure: its name, the domain of its addresses and, for territorial ones, its département. */
type Structure = [name: string, domain: string, department?: string]

const intercommunalities: Structure[] = [
  ['Communauté de communes du Périgord Noir', 'cc-perigord-noir.example', '24'],
  ['Communauté de communes Grand-Figeac', 'grand-figeac.example', '46'],
  ['Communauté de communes Couserans-Pyrénées', 'cc-couserans.example', '09'],
  ['Communauté de communes Conflent Canigó', 'conflent-canigo.example', '66'],
  ['Communauté de communes du Haut-Béarn', 'cc-haut-bearn.example', '64'],
  ['Communauté de communes Haute-Corrèze', 'haute-correze-communaute.example', '19'],
  ['Communauté de communes Creuse Grand Sud', 'creuse-grand-sud.example', '23'],
  ['Communauté d’agglomération du Bassin d’Aurillac', 'caba.example', '15'],
  ['Communauté de communes du Lodévois et Larzac', 'lodevois-larzac.example', '34'],
]

const petrs: Structure[] = [
  ['PETR du Pays de Figeac', 'pays-figeac.example', '46'],
  ['PETR Pays des Nestes', 'pays-des-nestes.example', '65'],
  ['PETR Pays Périgord Vert', 'perigord-vert.example', '24'],
  ['PETR du Grand Quercy', 'grand-quercy.example', '46'],
  ['PETR Centre Ouest Aveyron', 'petr-coa.example', '12'],
]

const associations: Structure[] = [
  ['Association Les Jardins de la Vallée', 'jardins-vallee.example'],
  ['Centre social et culturel du Pays', 'centre-social-pays.example'],
  ['Tiers-lieu La Fabrique commune', 'fabrique-commune.example'],
  ['Foyer rural de la Haute-Vallée', 'foyer-rural-hv.example'],
  ['Association Épicerie solidaire du Bourg', 'epicerie-solidaire.example'],
  ['Collectif Transition en Couserans', 'transition-couserans.example', '09'],
  ['Association Mobilité partagée', 'mobilite-partagee.example'],
  ['Recyclerie Le Grenier solidaire', 'grenier-solidaire.example'],
  ['Association Laine et savoir-faire', 'laine-savoir-faire.example'],
  ['Conseil de développement du PETR', 'codev-petr.example'],
  ['Régie de quartier Les Hauts', 'regie-les-hauts.example'],
  ['Association Circuits courts du Quercy', 'circuits-courts-quercy.example', '46'],
]

const companies: Structure[] = [
  ['SCOP Bois du Limousin', 'bois-limousin.example', '87'],
  ['Coopérative Terres de Causses', 'terres-de-causses.example', '12'],
  ['Menuiserie Delmas et fils', 'menuiserie-delmas.example'],
  ['Bureau d’études Territoires & Projets', 'territoires-projets.example'],
  ['Banque coopérative du Sud-Ouest', 'banque-coop-so.example'],
  ['Société d’économie mixte Énergies locales', 'sem-energies-locales.example'],
  ['SCIC Alimentation de proximité', 'scic-alimentation.example'],
  ['Cabinet Coopérer en territoire', 'cooperer-territoire.example'],
  ['Entreprise d’insertion Les Ateliers du Causse', 'ateliers-causse.example', '46'],
  ['Groupement d’employeurs agricoles du Lot', 'ge-agricole-lot.example', '46'],
]

const universities: Structure[] = [
  ['Université de Bordeaux', 'u-bordeaux.example', '33'],
  ['Université Toulouse – Jean Jaurès', 'univ-tlse2.example', '31'],
  ['Université Clermont Auvergne', 'uca.example', '63'],
  ['Université de Pau et des Pays de l’Adour', 'univ-pau.example', '64'],
  ['Université de Limoges', 'unilim.example', '87'],
  ['Université de Perpignan Via Domitia', 'univ-perp.example', '66'],
  ['Lycée agricole de la Vallée (BTS)', 'lycee-agricole-vallee.example'],
]

const others: Structure[] = [
  ['Fondation pour les territoires ruraux', 'fondation-territoires-ruraux.example'],
  ['Chambre d’agriculture départementale', 'chambre-agriculture.example'],
  ['Chambre de commerce et d’industrie territoriale', 'cci-territoriale.example'],
  ['Agence départementale d’ingénierie', 'agence-ingenierie.example'],
  ['Réseau des tiers-lieux de la région', 'reseau-tiers-lieux.example'],
  ['Fonds de dotation Solidarités locales', 'solidarites-locales.example'],
]

const personalDomains = ['courriel.example', 'messagerie.example', 'boite-mail.example']

const actorWeights: [ActorType, number][] = [
  ['PUBLIC_AGENT', 24], ['ELECTED_OFFICIAL', 16], ['ASSOCIATION', 20], ['COMPANY', 10], ['CITIZEN', 15], ['RESEARCHER', 9], ['OTHER', 6],
]

/** Newsletters each kind of actor tends to follow: [list, probability]. */
const listAffinity: Record<ActorType, [ListSlug, number][]> = {
  ELECTED_OFFICIAL: [['la-quotidienne', 0.8], ['hebdo-grand-public', 0.3], ['equipe-projet', 0.15]],
  PUBLIC_AGENT: [['la-quotidienne', 0.9], ['hebdo-association', 0.3], ['equipe-projet', 0.15]],
  ASSOCIATION: [['hebdo-association', 0.9], ['la-quotidienne', 0.3], ['hebdo-grand-public', 0.3]],
  COMPANY: [['hebdo-partenaires', 0.9], ['la-quotidienne', 0.25]],
  CITIZEN: [['hebdo-grand-public', 0.95], ['hebdo-association', 0.2]],
  RESEARCHER: [['la-quotidienne', 0.6], ['hebdo-grand-public', 0.4], ['hebdo-partenaires', 0.2]],
  OTHER: [['hebdo-partenaires', 0.7], ['la-quotidienne', 0.5]],
}

/** A small deterministic generator (mulberry32): the same seed gives the same demo people on every machine. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Lower-case ASCII with dashes: "Sarlat-la-Canéda" → "sarlat-la-caneda". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** Where a person works, given their actor type and home commune; citizens write from a personal address. */
function structureFor(type: ActorType, commune: [string, string], pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean): Structure | null {
  const townHall: Structure = [`Mairie de ${commune[0]}`, `mairie-${slugify(commune[0])}.example`, commune[1]]
  switch (type) {
    case 'ELECTED_OFFICIAL':
      return chance(0.6) ? townHall : pick(intercommunalities)
    case 'PUBLIC_AGENT':
      return chance(0.4) ? pick(intercommunalities) : chance(0.5) ? pick(petrs) : townHall
    case 'ASSOCIATION':
      return pick(associations)
    case 'COMPANY':
      return pick(companies)
    case 'RESEARCHER':
      return pick(universities)
    case 'OTHER':
      return pick(others)
    case 'CITIZEN':
      return null
  }
}

/** The demo audience, `count` people, always the same for the same count. */
export function demoContacts(count = 300): DemoContact[] {
  const random = randomSource(17_2022)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const chance = (p: number) => random() < p
  const totalWeight = actorWeights.reduce((sum, [, weight]) => sum + weight, 0)
  const usedEmails = new Set<string>()
  const contacts: DemoContact[] = []

  for (let index = 0; index < count; index += 1) {
    // The first people cover every actor type once, so even a small demo shows them all.
    let actorType = actorWeights[index]?.[0]
    if (!actorType) {
      let roll = random() * totalWeight
      actorType = actorWeights.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'OTHER'
    }
    const firstName = pick(firstNames)
    const lastName = pick(lastNames)
    const commune = pick(communes)
    const structure = structureFor(actorType, commune, pick, chance)
    const domain = structure ? structure[1] : pick(personalDomains)
    const department = structure?.[2] ?? commune[1]
    const local = `${slugify(firstName)}.${slugify(lastName)}`.replace(/-/g, '')
    let email = `${local}@${domain}`
    for (let n = 2; usedEmails.has(email); n += 1) email = `${local}${n}@${domain}`
    usedEmails.add(email)

    const status: ContactStatus = chance(0.03) ? 'UNSUBSCRIBED' : chance(0.02) ? 'BOUNCED' : 'ACTIVE'
    const source = chance(0.35) ? 'IMPORT' : 'FORM'
    const subscriptions: DemoSubscription[] = []
    for (const [list, probability] of listAffinity[actorType]) {
      if (!chance(probability)) continue
      // Private lists are filled by staff imports, never by the public form.
      const fromImport = source === 'IMPORT' || list === 'hebdo-partenaires' || list === 'equipe-projet'
      const subscriptionStatus: SubscriptionStatus =
        status === 'UNSUBSCRIBED' || chance(0.05) ? 'UNSUBSCRIBED' : !fromImport && chance(0.06) ? 'PENDING' : 'CONFIRMED'
      subscriptions.push({ list, status: subscriptionStatus, source: fromImport ? 'IMPORT' : 'FORM' })
    }
    contacts.push({
      email,
      firstName,
      lastName,
      organization: structure?.[0] ?? null,
      actorType,
      // A few people describe their territory in words rather than by département.
      territory: chance(0.05) ? pick(['Pyrénées catalanes', 'Pays basque intérieur', 'Causses du Quercy']) : department,
      locale: chance(0.08) ? 'en' : 'fr',
      status,
      joinedDaysAgo: 10 + Math.floor(random() * 720),
      subscriptions,
    })
  }
  return contacts
}
