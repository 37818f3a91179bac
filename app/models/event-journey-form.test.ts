// Unit test of the journey fields' reading (pure): each case posts what a browser would and checks the EventInput
// fields or the field the error lands on, so a change in the rules shows here before any page.
import { describe, expect, it } from 'vitest'
import { journeyFormShape, minutesToHours, readJourneyFields, reminderChoices } from './event-journey-form.ts'
import { z } from 'zod'

const schema = z.object(journeyFormShape)

function read(posted: Record<string, unknown>) {
  const issues: { path: string; key: string }[] = []
  const value = readJourneyFields(schema.parse(posted), (path, key) => issues.push({ path: path.join('.'), key }))
  return { value, issues }
}

const base = { journeyFields: 'on', joinOpensMinutes: '30', followUpDelayHours: '2' }

describe('readJourneyFields', () => {
  it('leaves everything unchanged when the form did not carry the journey fields', () => {
    expect(read({ reminders: ['60'] })).toEqual({ value: {}, issues: [] })
  })

  it('keeps ticked boxes and the other delay unique, earliest reminder first, hours read with a comma', () => {
    const { value, issues } = read({ ...base, reminders: ['60', '10080', '60'], reminderOther: '2', reminderOtherUnit: 'hours', followUpDelayHours: '1,5', followUpAttendedMessage: '  Merci\r\n ' })
    expect(issues).toEqual([])
    expect(value).toEqual({ reminderOffsets: [10080, 120, 60], joinOpensMinutes: 30, followUpDelayMinutes: 90, followUpAttendedMessage: 'Merci', followUpAbsentMessage: '' })
  })

  it('reads no box as no reminder, and 0 minutes as a link open at the start', () => {
    expect(read({ ...base, joinOpensMinutes: '0', followUpDelayHours: '0' }).value).toMatchObject({ reminderOffsets: [], joinOpensMinutes: 0, followUpDelayMinutes: 0 })
  })

  it('reports each bad value on its own field', () => {
    // An unknown unit reads as hours (the unit shown first): 1,441 hours is past 60 days.
    const { issues } = read({ journeyFields: 'on', reminders: ['0', '60'], reminderOther: '1441', reminderOtherUnit: 'days', joinOpensMinutes: '241', followUpDelayHours: '337', followUpAbsentMessage: 'x'.repeat(5001) })
    expect(issues).toEqual([
      { path: 'reminders', key: 'reminderRange' },
      { path: 'reminderOther', key: 'reminderRange' },
      { path: 'joinOpensMinutes', key: 'joinOpensRange' },
      { path: 'followUpDelayHours', key: 'followUpDelayRange' },
      { path: 'followUpAbsentMessage', key: 'followUpTooLong' },
    ])
    // An empty join window is not a default in disguise: staff are asked for a number.
    expect(read({ journeyFields: 'on', followUpDelayHours: '2' }).issues).toEqual([{ path: 'joinOpensMinutes', key: 'joinOpensRange' }])
    // Line ends count once, as the browser counts them in the text area.
    expect(read({ ...base, followUpAbsentMessage: 'x\r\n'.repeat(2500).trim() }).issues).toEqual([])
  })
})

describe('the form values', () => {
  it('shows the presets and any other stored delay as boxes, and minutes as hours', () => {
    expect(reminderChoices(['1440', '90']).map((choice) => `${choice.minutes}${choice.checked ? '✓' : ''}`)).toEqual(['10080', '2880', '1440✓', '180', '90✓', '60', '15'])
    expect(reminderChoices('15').filter((choice) => choice.checked).map((choice) => choice.minutes)).toEqual([15])
    expect([minutesToHours(120), minutesToHours(90), minutesToHours(100)]).toEqual(['2', '1.5', '1.67'])
  })
})
