// Owns the readiness check that guards every send, test and schedule: what still blocks a campaign, in French, one
// sentence per problem (settings, every block's text, link, image or event, and the events' state at check time).
import { contentIssueMessage } from '~/models/campaign-schema.ts'
import { prisma } from '~/utils/db.server.ts'
import { campaignContent, readCampaignContent, singleLineMergeText, type CampaignBlock } from '#emails/campaign/blocks.ts'

const blockNames: Record<CampaignBlock['type'], string> = {
  heading: 'titre',
  text: 'texte',
  image: 'image',
  article: 'article',
  button: 'bouton',
  divider: 'séparateur',
  event: 'événement',
}

function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
}

/**
 * What blocks a send, a test or a schedule, in French, one sentence per problem (empty: ready). Checks the
 * settings, every block (missing text, link, image or event) and the events' state at the time of the check.
 */
export async function campaignReadiness(campaignId: number, now = new Date()): Promise<string[]> {
  const campaign = await prisma.campaign.findUnique({
    where: { id: campaignId },
    include: { lists: { select: { listId: true } }, senderIdentity: { select: { id: true } } },
  })
  if (!campaign) return ['Campagne introuvable.']
  const problems: string[] = []
  if (campaign.subject.trim() === '') problems.push('Objet manquant : écrivez l’objet du message.')
  for (const [label, value] of [
    ['Objet', campaign.subject],
    ['Texte d’aperçu', campaign.preheader],
  ] as const) {
    const checked = singleLineMergeText(250).safeParse(value)
    if (!checked.success) for (const issue of checked.error.issues) problems.push(`${label} : ${issue.message}`)
  }
  if (!campaign.senderIdentity) problems.push('Expéditeur manquant : choisissez une identité d’envoi.')
  if (campaign.lists.length === 0) problems.push('Destinataires manquants : choisissez au moins une liste.')

  const checked = campaignContent.safeParse(campaign.content)
  const blocks = checked.success ? checked.data : readCampaignContent(campaign.content)
  if (!checked.success) {
    for (const message of new Set(checked.error.issues.map(contentIssueMessage))) problems.push(message)
  }
  if (blocks.length === 0) problems.push('Contenu vide : ajoutez au moins un bloc.')

  const assetIds = blocks.flatMap((block) => ((block.type === 'image' || block.type === 'article') && block.assetId ? [block.assetId] : []))
  const eventIds = blocks.flatMap((block) => (block.type === 'event' && block.eventId ? [block.eventId] : []))
  const [assets, events] = await Promise.all([
    assetIds.length ? prisma.asset.findMany({ where: { id: { in: assetIds } }, select: { id: true } }) : [],
    eventIds.length ? prisma.event.findMany({ where: { id: { in: eventIds } }, select: { id: true, status: true, startsAt: true, title: true } }) : [],
  ])
  const knownAssets = new Set(assets.map((asset) => asset.id))
  const eventsById = new Map(events.map((event) => [event.id, event]))

  blocks.forEach((block, index) => {
    const where = `Bloc ${index + 1} (${blockNames[block.type]})`
    const problem = (text: string) => problems.push(`${where} : ${text}`)
    switch (block.type) {
      case 'heading':
        if (block.text.trim() === '') problem('texte du titre manquant.')
        break
      case 'text':
        if (plainText(block.html) === '') problem('texte manquant.')
        break
      case 'image':
        if (!block.assetId) problem('aucune image choisie.')
        else if (!knownAssets.has(block.assetId)) problem('l’image n’existe plus, choisissez-en une autre.')
        break
      case 'article':
        if (block.title.trim() === '') problem('titre de l’article manquant.')
        if (block.url === '') problem('adresse du lien manquante.')
        if (block.assetId && !knownAssets.has(block.assetId)) problem('l’image n’existe plus, choisissez-en une autre.')
        break
      case 'button':
        if (block.label.trim() === '') problem('texte du bouton manquant.')
        if (block.url === '') problem('adresse du lien manquante.')
        break
      case 'event': {
        if (!block.eventId) {
          problem('aucun événement choisi.')
          break
        }
        const event = eventsById.get(block.eventId)
        if (!event) problem('l’événement n’existe plus.')
        else if (event.status === 'CANCELLED') problem(`l’événement « ${event.title} » est annulé.`)
        else if (event.status !== 'PUBLISHED') problem(`l’événement « ${event.title} » n’est pas publié.`)
        else if (event.startsAt <= now) problem(`l’événement « ${event.title} » est passé.`)
        break
      }
      case 'divider':
        break
    }
  })
  return problems
}
