// Owns the sign-up snippets staff copy from a list page to their own site: an iframe of the embeddable form, and
// a plain HTML form posting to the public sign-up page (the field names /newsletters reads).
import { useTranslation } from 'react-i18next'

export function embedSnippets(appUrl: string, slug: string, listName: string) {
  const iframe = `<iframe src="${appUrl}/newsletters/embed?lists=${encodeURIComponent(slug)}" title="${escapeAttribute(listName)}" width="100%" height="480" style="border:0"></iframe>`
  const form = [
    `<form method="post" action="${appUrl}/newsletters">`,
    `  <input type="hidden" name="lists" value="${escapeAttribute(slug)}">`,
    `  <label for="relais-email">Adresse électronique</label>`,
    `  <input id="relais-email" type="email" name="email" autocomplete="email" required>`,
    `  <button type="submit">S’abonner à « ${escapeAttribute(listName)} »</button>`,
    `</form>`,
  ].join('\n')
  return { iframe, form }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function AdminEmbedSnippets({ appUrl, slug, listName }: { appUrl: string; slug: string; listName: string }) {
  const { t } = useTranslation()
  const snippets = embedSnippets(appUrl, slug, listName)
  return (
    <section aria-labelledby="embed-title">
      <h2 id="embed-title">{t('adminLists.embed.title')}</h2>
      <p>{t('adminLists.embed.intro')}</p>
      <div>
        <label htmlFor="embed-iframe">{t('adminLists.embed.iframe')}</label>
        <textarea id="embed-iframe" readOnly rows={3} value={snippets.iframe} />
      </div>
      <div>
        <label htmlFor="embed-form">{t('adminLists.embed.form')}</label>
        <textarea id="embed-form" readOnly rows={7} value={snippets.form} />
      </div>
    </section>
  )
}
