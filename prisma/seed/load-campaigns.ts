// Owns the demo newsletters: a draft of "L’hebdo association" with every kind of block, a reusable template, and one
// issue of "L’hebdo grand public" sent last week (compiled by the real renderer, in the archive, with its delivery
// ledger and a few clicks), so that the editor, the archive and the results page have something to show.
// Insert-only: each campaign is looked up by its name (or slug) first, so a rerun adds nothing.
import type { CampaignBlock } from '#emails/campaign/blocks.ts'
import { compileCampaignSnapshot } from '~/models/campaign-render.server.ts'
import { prisma } from '~/utils/db.server.ts'
import { demoSender, demoDomain } from './catalog.ts'

export interface CampaignsReport {
  campaignsAdded: number
}

const draftName = 'L’hebdo association — brouillon de la semaine'
const templateName = 'Modèle — L’hebdo association'
const sentSlug = 'hebdo-grand-public-n-41'

function weeklyBlocks(nextJeudiId: number | null): CampaignBlock[] {
  return [
    { id: 'titre', type: 'heading', level: 1, text: 'Bonjour {{prenom|à toutes et à tous}},' },
    {
      id: 'edito',
      type: 'text',
      html:
        '<p>Cette semaine, <strong>trois rendez-vous</strong> pour les associations du territoire et un appel à projets ' +
        'qui se termine bientôt. Bonne lecture !</p><ul><li>les Jeudis de l’ODD 17 continuent ;</li>' +
        '<li>la Session « projet de territoire » affiche complet : inscrivez-vous en liste d’attente.</li></ul>',
    },
    {
      id: 'appel',
      type: 'article',
      assetId: null,
      imageAlt: '',
      title: 'Appel à projets « Faire alliance » : dernière semaine',
      summary: 'Associations, collectivités et entreprises du Périgord peuvent déposer un projet commun jusqu’à vendredi.',
      url: `https://www.${demoDomain}/appels-a-projets/faire-alliance`,
      linkLabel: 'Lire l’appel à projets',
    },
    { id: 'evenement', type: 'event', eventId: nextJeudiId, buttonLabel: 'Je m’inscris' },
    { id: 'separateur', type: 'divider' },
    { id: 'agenda', type: 'button', label: 'Tout l’agenda du réseau', url: `https://www.${demoDomain}/agenda` },
  ]
}

async function listId(slug: string): Promise<number> {
  return (await prisma.mailingList.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id
}

async function createDraft(input: { name: string; subject: string; listSlug: string; isTemplate: boolean; content: CampaignBlock[] }): Promise<number | null> {
  if (await prisma.campaign.findFirst({ where: { name: input.name }, select: { id: true } })) return null
  const sender = await prisma.senderIdentity.findUniqueOrThrow({ where: { email: demoSender.email }, select: { id: true } })
  const campaign = await prisma.campaign.create({
    data: {
      name: input.name,
      subject: input.subject,
      preheader: 'Les rendez-vous et les appels à projets de la semaine',
      senderIdentityId: sender.id,
      isTemplate: input.isTemplate,
      content: input.content,
      lists: { create: [{ listId: await listId(input.listSlug) }] },
    },
    select: { id: true },
  })
  return campaign.id
}

/** The issue sent last week: compiled like a real send, then its ledger written as the worker would have. */
async function loadSentIssue(now: Date, nextJeudiId: number | null): Promise<boolean> {
  if (await prisma.campaign.findUnique({ where: { slug: sentSlug }, select: { id: true } })) return false
  const id = await createDraft({
    name: 'L’hebdo grand public n° 41',
    subject: 'L’hebdo grand public n° 41 : les rendez-vous du territoire',
    listSlug: 'hebdo-grand-public',
    isTemplate: false,
    content: weeklyBlocks(nextJeudiId),
  })
  if (id === null) return false
  const finishedAt = new Date(now.getTime() - 6 * 24 * 60 * 60 * 1000)
  const startedAt = new Date(finishedAt.getTime() - 4 * 60 * 1000)
  const snapshot = await compileCampaignSnapshot(id, { slug: sentSlug })
  await prisma.campaign.update({ where: { id }, data: { slug: sentSlug, snapshot: JSON.parse(JSON.stringify(snapshot)), status: 'SENT', startedAt, finishedAt } })
  const list = await listId('hebdo-grand-public')
  const subscribers = await prisma.subscription.findMany({
    where: { listId: list, status: 'CONFIRMED', contact: { status: 'ACTIVE', email: { not: null } } },
    select: { contactId: true },
    orderBy: { contactId: 'asc' },
  })
  await prisma.delivery.createMany({
    data: subscribers.map(({ contactId }, index) => ({
      campaignId: id,
      contactId,
      listId: list,
      // One in twenty-five bounced: a results page with nothing but successes would show nothing of its columns.
      ...(index % 25 === 7
        ? { status: 'BOUNCED' as const, attempts: 1, error: '550 5.1.1 Boîte aux lettres inconnue' }
        : { status: 'SENT' as const, attempts: 1, sentAt: finishedAt, smtpResponse: '250 2.0.0 Ok: queued' }),
    })),
    skipDuplicates: true,
  })
  for (const [index, link] of snapshot.links.entries()) {
    await prisma.campaignLink.update({ where: { id: link.id }, data: { clicks: 17 - 5 * index > 2 ? 17 - 5 * index : 3 } })
  }
  return true
}

export async function loadCampaigns(now: Date): Promise<CampaignsReport> {
  const nextJeudi = await prisma.event.findFirst({
    where: { status: 'PUBLISHED', startsAt: { gt: now }, slug: { startsWith: 'jeudi-odd-17-' } },
    orderBy: { startsAt: 'asc' },
    select: { id: true },
  })
  const nextJeudiId = nextJeudi?.id ?? null
  let added = 0
  const draft = await createDraft({
    name: draftName,
    subject: '{{prenom|Bonjour}}, les rendez-vous associatifs de la semaine',
    listSlug: 'hebdo-association',
    isTemplate: false,
    content: weeklyBlocks(nextJeudiId),
  })
  if (draft !== null) added += 1
  const template = await createDraft({ name: templateName, subject: 'L’hebdo association', listSlug: 'hebdo-association', isTemplate: true, content: weeklyBlocks(null) })
  if (template !== null) added += 1
  if (await loadSentIssue(now, nextJeudiId)) added += 1
  return { campaignsAdded: added }
}
