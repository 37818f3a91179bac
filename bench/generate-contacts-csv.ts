// Owns the generated contact files of the import benchmark and tests: `rows` rows with a known share of bad rows
// (invalid addresses and in-file duplicates), deterministic for a given label so that two runs write the same file.
export interface GeneratedCsv {
  text: string
  /** Addresses of the valid, first-seen rows (what should be imported). */
  validEmails: string[]
  invalidLines: number[]
  duplicateLines: number[]
}

const actorTypes = ['Élu·e', 'Agent / technicien', 'Association', 'Entreprise', 'Citoyen', 'Chercheur', 'Autre']
const territories = ['33', '2A', '971', 'Île-de-France', '69', '13']

/**
 * Every 50th row is bad (2 %): odd ones an invalid address, even ones a repeat of an earlier row's address.
 * `domain` keeps the addresses of one caller apart from another's.
 */
export function generateContactsCsv(rows: number, label: string, domain = 'import.test'): GeneratedCsv {
  const lines = ['email,prénom,nom,organisation,type d’acteur,département,langue']
  const validEmails: string[] = []
  const invalidLines: number[] = []
  const duplicateLines: number[] = []
  for (let i = 0; i < rows; i++) {
    const line = i + 2
    let email = `${label}-${i}@${domain}`
    if (i % 50 === 49) {
      if ((i / 50) % 2 < 1) {
        email = `${label}-${i}-sans-arobase.${domain}`
        invalidLines.push(line)
      } else {
        email = `${label}-${i - 1}@${domain}`.toUpperCase()
        duplicateLines.push(line)
      }
    } else validEmails.push(email)
    const organisation = i % 7 === 0 ? '"Mairie de Saint-Étienne, service ""Transitions"""' : `Structure ${i % 97}`
    lines.push([email, `Prénom${i}`, `Nom${i}`, organisation, actorTypes[i % 7], territories[i % 6], i % 10 === 0 ? 'en' : 'fr'].join(','))
  }
  return { text: `${lines.join('\r\n')}\r\n`, validEmails, invalidLines, duplicateLines }
}
