// The pure parts of the import: header guesses (French and English), actor types and languages read from free text,
// and a record read through a mapping.
import { describe, expect, it } from 'vitest'
import { detectDelimiter } from './import-file.server.ts'
import { guessMapping, mappingSchema, parseActorType, parseLocale, profileFromRecord } from './import-schema.ts'

describe('import mapping', () => {
  it('guesses fields from French and English headers, each field once', () => {
    expect(guessMapping(['Courriel', 'Prénom', 'Nom', 'Structure', 'Type d’acteur', 'Département', 'Langue', 'Notes'])).toEqual([
      'email', 'firstName', 'lastName', 'organization', 'actorType', 'territory', 'locale', 'ignore',
    ])
    expect(guessMapping(['E-mail', 'First name', 'Last name', 'Organization', 'Email 2'])).toEqual(['email', 'firstName', 'lastName', 'organization', 'ignore'])
  })

  it('wants exactly one email column', () => {
    expect(mappingSchema.safeParse(['firstName', 'ignore']).success).toBe(false)
    expect(mappingSchema.safeParse(['email', 'email']).success).toBe(false)
    expect(mappingSchema.safeParse(['email', 'lastName', 'lastName']).success).toBe(false)
    expect(mappingSchema.safeParse(['email', 'lastName']).success).toBe(true)
  })

  it('reads actor types and languages as people write them', () => {
    expect(['Élue', 'élu·e', 'ELECTED_OFFICIAL', 'Technicienne', 'association', 'Entreprise', 'habitant', 'Étudiant', 'autre', 'licorne'].map(parseActorType)).toEqual([
      'ELECTED_OFFICIAL', 'ELECTED_OFFICIAL', 'ELECTED_OFFICIAL', 'PUBLIC_AGENT', 'ASSOCIATION', 'COMPANY', 'CITIZEN', 'RESEARCHER', 'OTHER', null,
    ])
    expect(['fr', 'Français', 'EN', 'anglais', 'de'].map(parseLocale)).toEqual(['fr', 'fr', 'en', 'en', null])
  })

  it('normalises the address and refuses an invalid one', () => {
    const mapping = ['email', 'firstName', 'ignore'] as const
    expect(profileFromRecord(['  Jean@Exemple.FR ', ' Jean ', 'x'], [...mapping])).toMatchObject({ email: 'jean@exemple.fr', firstName: 'Jean', lastName: null })
    expect(profileFromRecord(['jean.exemple.fr', 'Jean'], [...mapping])).toBeNull()
  })

  it('tells a semicolon file from a comma file by its header line', () => {
    expect(detectDelimiter('Courriel;Prénom;"Nom, usage"')).toBe(';')
    expect(detectDelimiter('email,first name,"organisation; service"')).toBe(',')
  })
})
