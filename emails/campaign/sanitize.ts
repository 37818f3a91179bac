// Owns the allow-list of rich text in newsletters (skeleton: implemented next).
export function sanitizeRichText(html: string): string {
  void html
  throw new Error('not implemented')
}
