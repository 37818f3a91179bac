// Owns the shared MJML layout of every message: language, title, organisation name on top, and a footer with the
// organisation's name and postal address. Colours keep AA contrast on white.
import type { EmailLocale } from './template.ts'

const footerCopy: Record<EmailLocale, string> = {
  fr: 'Message envoyé avec Relais.',
  en: 'Message sent with Relais.',
}

/** Builds the full MJML document; `title` and `body` are MJML-safe (already escaped), placeholders untouched. */
export function layout({ locale, title, body }: { locale: EmailLocale; title: string; body: string }): string {
  return `<mjml lang="${locale}">
  <mj-head>
    <mj-title>${title}</mj-title>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#1b1f24" />
      <mj-button background-color="#1d4e89" color="#ffffff" font-size="16px" font-weight="bold" inner-padding="12px 24px" border-radius="6px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f6f8">
    <mj-section padding="24px 0 8px">
      <mj-column>
        <mj-text font-size="20px" font-weight="bold" color="#1d4e89">{{organizationName}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="16px 8px">
      <mj-column>
${body}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px">
      <mj-column>
        <mj-text font-size="13px" line-height="20px" color="#4a5560">
          <p><strong>{{organizationName}}</strong><br />{{postalAddress}}</p>
          <p>${footerCopy[locale]}</p>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`
}
