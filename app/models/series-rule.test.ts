// Session generation rules, pure: weekly and monthly dates, exceptions typed as ISO or French dates and periods,
// local wall-clock times kept across daylight-saving changes, and times that do not exist reported.
import { describe, expect, it } from 'vitest'
import { instantToWallClock } from '~/utils/wall-clock.ts'
import { generateSessionDates, parseExceptionLines, type SessionRule } from './series-rule.ts'
import { parseGenerationForm } from './series-schema.ts'

const paris = 'Europe/Paris'

function rule(overrides: Partial<SessionRule>): SessionRule {
  return {
    recurrence: { frequency: 'weekly', weekdays: [4], interval: 1 },
    firstDate: '2027-09-02',
    end: { lastDate: '2028-01-27' },
    startTime: '12:15',
    endTime: '13:00',
    exceptions: [],
    ...overrides,
  }
}

describe('weekly sessions across the October change of time', () => {
  const exceptions = parseExceptionLines('Toussaint : 16/10/2027 au 01/11/2027\n2027-12-18..2028-01-02\n')
  if (!exceptions.ok) throw new Error('exceptions should read')
  const plan = generateSessionDates(rule({ exceptions: exceptions.ranges }), paris)

  it('plans every Thursday from September to January except the Toussaint and Christmas holidays', () => {
    expect(plan.sessions.map((session) => session.date)).toEqual([
      '2027-09-02', '2027-09-09', '2027-09-16', '2027-09-23', '2027-09-30', '2027-10-07', '2027-10-14',
      '2027-11-04', '2027-11-11', '2027-11-18', '2027-11-25', '2027-12-02', '2027-12-09', '2027-12-16',
      '2028-01-06', '2028-01-13', '2028-01-20', '2028-01-27',
    ])
    expect(plan.excluded).toEqual(['2027-10-21', '2027-10-28', '2027-12-23', '2027-12-30'])
    expect(plan.nonexistent).toEqual([])
    expect(plan.tooMany).toBe(false)
  })

  it('keeps 12:15–13:00 on Paris clocks: 10:15Z in summer time, 11:15Z after 31 October', () => {
    for (const session of plan.sessions) {
      expect(instantToWallClock(session.startsAt, paris)).toEqual({ date: session.date, time: '12:15' })
      expect(instantToWallClock(session.endsAt, paris)).toEqual({ date: session.date, time: '13:00' })
      const summer = session.date < '2027-10-31'
      expect(session.startsAt.toISOString()).toBe(`${session.date}T${summer ? '10:15' : '11:15'}:00.000Z`)
      expect(session.endsAt.toISOString()).toBe(`${session.date}T${summer ? '11:00' : '12:00'}:00.000Z`)
    }
    expect(plan.sessions.filter((session) => session.date < '2027-10-31')).toHaveLength(7)
    expect(plan.sessions.filter((session) => session.date > '2027-10-31')).toHaveLength(11)
  })

  it('counts sessions, not rule dates, when ending after a number of sessions', () => {
    const counted = generateSessionDates(rule({ end: { count: 8 }, exceptions: exceptions.ranges }), paris)
    expect(counted.sessions.map((session) => session.date)).toEqual(['2027-09-02', '2027-09-09', '2027-09-16', '2027-09-23', '2027-09-30', '2027-10-07', '2027-10-14', '2027-11-04'])
  })

  it('every other week on two weekdays, counted from the week of the first date', () => {
    const plan = generateSessionDates(rule({ recurrence: { frequency: 'weekly', weekdays: [2, 4], interval: 2 }, firstDate: '2027-09-02', end: { lastDate: '2027-09-30' } }), paris)
    expect(plan.sessions.map((session) => session.date)).toEqual(['2027-09-02', '2027-09-14', '2027-09-16', '2027-09-28', '2027-09-30'])
  })

  it('stops at 60 sessions and says so', () => {
    const plan = generateSessionDates(rule({ recurrence: { frequency: 'weekly', weekdays: [1, 2, 3, 4, 5], interval: 1 }, end: { lastDate: '2028-06-30' } }), paris)
    expect(plan.sessions).toHaveLength(60)
    expect(plan.tooMany).toBe(true)
  })
})

describe('monthly sessions', () => {
  it('on the first Thursday of the month', () => {
    const plan = generateSessionDates(rule({ recurrence: { frequency: 'monthly-weekday', ordinal: 1, weekday: 4 }, firstDate: '2027-09-01', end: { count: 5 } }), paris)
    expect(plan.sessions.map((session) => session.date)).toEqual(['2027-09-02', '2027-10-07', '2027-11-04', '2027-12-02', '2028-01-06'])
    expect(plan.sessions.map((session) => instantToWallClock(session.startsAt, paris).time)).toEqual(['12:15', '12:15', '12:15', '12:15', '12:15'])
  })

  it('on the last Thursday of the month, from a first date in the middle of a month', () => {
    const plan = generateSessionDates(rule({ recurrence: { frequency: 'monthly-weekday', ordinal: 'last', weekday: 4 }, firstDate: '2027-09-10', end: { lastDate: '2027-12-31' } }), paris)
    expect(plan.sessions.map((session) => session.date)).toEqual(['2027-09-30', '2027-10-28', '2027-11-25', '2027-12-30'])
    // 28 October is before the change of time, 25 November after it.
    expect(plan.sessions.map((session) => session.startsAt.toISOString().slice(11, 16))).toEqual(['10:15', '10:15', '11:15', '11:15'])
  })

  it('on a fifth Thursday or the 31st only in the months that have one', () => {
    const fifth = generateSessionDates(rule({ recurrence: { frequency: 'monthly-weekday', ordinal: 5, weekday: 4 }, firstDate: '2027-09-01', end: { lastDate: '2027-12-31' } }), paris)
    expect(fifth.sessions.map((session) => session.date)).toEqual(['2027-09-30', '2027-12-30'])
    const thirtyFirst = generateSessionDates(rule({ recurrence: { frequency: 'monthly-day', day: 31 }, firstDate: '2027-09-01', end: { count: 3 } }), paris)
    expect(thirtyFirst.sessions.map((session) => session.date)).toEqual(['2027-10-31', '2027-12-31', '2028-01-31'])
  })
})

describe('times that do not exist', () => {
  it('reports 02:30 on 26 March 2028 (clocks go forward) instead of shifting it', () => {
    const plan = generateSessionDates(
      rule({ recurrence: { frequency: 'weekly', weekdays: [7], interval: 1 }, firstDate: '2028-03-19', end: { lastDate: '2028-04-02' }, startTime: '02:30', endTime: '03:30' }),
      paris,
    )
    expect(plan.sessions.map((session) => session.date)).toEqual(['2028-03-19', '2028-04-02'])
    expect(plan.nonexistent).toEqual([{ date: '2028-03-26', time: '02:30' }])
    expect(plan.sessions.map((session) => session.startsAt.toISOString())).toEqual(['2028-03-19T01:30:00.000Z', '2028-04-02T00:30:00.000Z'])
  })
})

describe('exception lines', () => {
  it('reads ISO and French dates and periods, with or without a label', () => {
    const parsed = parseExceptionLines(
      ['2027-10-21', '2027-10-16..2027-11-01', '21/10/2027', '16/10/2027 au 01/11/2027', '', 'Vacances de Noël : du 18/12/2027 au 02/01/2028', '  1/5/2028  '].join('\n'),
    )
    expect(parsed).toEqual({
      ok: true,
      ranges: [
        { from: '2027-10-21', to: '2027-10-21' },
        { from: '2027-10-16', to: '2027-11-01' },
        { from: '2027-10-21', to: '2027-10-21' },
        { from: '2027-10-16', to: '2027-11-01' },
        { from: '2027-12-18', to: '2028-01-02' },
        { from: '2028-05-01', to: '2028-05-01' },
      ],
    })
  })

  it('names every unreadable or reversed line', () => {
    const parsed = parseExceptionLines('2027-10-21\nvacances de la Toussaint du 17/10 au 02/11\n31/02/2028\n\n01/11/2027 au 16/10/2027')
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { line: 2, text: 'vacances de la Toussaint du 17/10 au 02/11', reason: 'unreadable' },
        { line: 3, text: '31/02/2028', reason: 'unreadable' },
        { line: 5, text: '01/11/2027 au 16/10/2027', reason: 'reversed' },
      ],
    })
  })

  it('are refused by the generation form with the line named, other checks alongside', () => {
    const form = new URLSearchParams({
      frequency: 'weekly',
      firstDate: '02/09/2027',
      endMode: 'date',
      lastDate: '2028-01-27',
      startTime: '12:15',
      endTime: '13:00',
      exceptions: '2027-10-21\nbientôt',
      kind: 'ONLINE',
      titlePattern: 'Séance {{n}}',
      status: 'DRAFT',
    })
    form.append('weekdays', '4')
    const parsed = parseGenerationForm(form)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.errors.exceptions).toEqual([{ key: 'adminSeries.errors.exceptionUnreadable', values: { line: 2, text: 'bientôt' } }])

    form.set('exceptions', 'Toussaint : 16/10/2027 au 01/11/2027')
    const good = parseGenerationForm(form)
    expect(good).toMatchObject({ ok: true, value: { rule: { firstDate: '2027-09-02', end: { lastDate: '2028-01-27' }, exceptions: [{ from: '2027-10-16', to: '2027-11-01' }] } } })

    // Fields of another frequency are not checked: a monthly rule ignores a cleared week interval.
    const monthly = new URLSearchParams(form)
    monthly.set('frequency', 'monthly-weekday')
    monthly.set('ordinal', 'last')
    monthly.set('interval', 'abc')
    monthly.set('monthDay', '')
    monthly.delete('weekdays')
    expect(parseGenerationForm(monthly)).toMatchObject({ ok: true, value: { rule: { recurrence: { frequency: 'monthly-weekday', ordinal: 'last', weekday: 4 } } } })

    form.set('endTime', '12:00')
    form.delete('weekdays')
    const bad = parseGenerationForm(form)
    expect(bad.ok ? {} : bad.errors).toEqual({ weekdays: [{ key: 'adminSeries.errors.weekdaysRequired' }], endTime: [{ key: 'adminSeries.errors.endBeforeStart' }] })
  })
})
