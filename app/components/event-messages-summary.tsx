// Owns the "Messages aux inscrit·es" section of the staff event page: the event's journey settings in words, its
// reminders per delay (a table of counts and the next send), calendar updates, where the follow-up stands, the
// feedback received, and the links to attendance and to the invitation campaign. Staff wording only, no enum names.
import { Link } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { durationText } from '~/components/event-durations.ts'
import type { ScheduleSummaryView } from '~/models/event-schedule-summary.server.ts'

export type JourneySettings = {
  reminderOffsets: number[]
  joinOpensMinutes: number
  followUpDelayMinutes: number
  ownAttendedText: boolean
  ownAbsentText: boolean
  online: boolean
}

type Props = { eventId: number; settings: JourneySettings; summary: ScheduleSummaryView }

const counts = ['scheduled', 'sent', 'skipped', 'cancelled', 'failed'] as const

function followUpText(t: TFunction, followUp: ScheduleSummaryView['followUp']): string {
  const people = (value: { attended: number; absent: number }) => ({
    attended: t('adminEvents.messages.attended', { count: value.attended }),
    absent: t('adminEvents.messages.absent', { count: value.absent }),
  })
  switch (followUp.state) {
    case 'planned':
      return t('adminEvents.messages.followUpPlanned', { at: followUp.at })
    case 'due':
      return t('adminEvents.messages.followUpDue', people(followUp))
    case 'scheduled':
      return t('adminEvents.messages.followUpScheduled', { at: followUp.at, ...people(followUp) })
    case 'sending':
      return t('adminEvents.messages.followUpSending', { at: followUp.at, sent: followUp.sent, total: followUp.total })
    case 'sent':
      return t('adminEvents.messages.followUpSent', { at: followUp.at, ...people(followUp) })
    case 'awaitingAttendance':
      return t('adminEvents.messages.followUpAwaiting')
    case 'nobody':
      return t('adminEvents.messages.followUpNobody')
    case 'cancelled':
      return t('adminEvents.messages.followUpCancelled')
    case 'draft':
      return t('adminEvents.messages.followUpDraft')
    case 'lapsed':
      return t('adminEvents.messages.followUpLapsed')
  }
}

function Settings({ settings }: { settings: JourneySettings }) {
  const { t } = useTranslation()
  const text = (own: boolean) => t(own ? 'adminEvents.messages.textOwn' : 'adminEvents.messages.textStandard')
  return (
    <dl>
      <dt>{t('adminEvents.messages.reminders')}</dt>
      <dd>
        {settings.reminderOffsets.length
          ? t('adminEvents.messages.remindersList', { list: settings.reminderOffsets.map((minutes) => durationText(t, minutes)).join(', ') })
          : t('adminEvents.messages.noReminders')}
      </dd>
      {settings.online ? (
        <>
          <dt>{t('adminEvents.messages.joinOpens')}</dt>
          <dd>{settings.joinOpensMinutes ? t('adminEvents.messages.joinOpensBefore', { duration: durationText(t, settings.joinOpensMinutes) }) : t('adminEvents.messages.joinOpensAtStart')}</dd>
        </>
      ) : null}
      <dt>{t('adminEvents.messages.followUpDelay')}</dt>
      <dd>{settings.followUpDelayMinutes ? t('adminEvents.messages.followUpAfter', { duration: durationText(t, settings.followUpDelayMinutes) }) : t('adminEvents.messages.followUpAtEnd')}</dd>
      <dt>{t('adminEvents.messages.followUpTexts')}</dt>
      <dd>{t('adminEvents.messages.followUpTextsValue', { attended: text(settings.ownAttendedText), absent: text(settings.ownAbsentText) })}</dd>
    </dl>
  )
}

function RemindersTable({ reminders }: { reminders: ScheduleSummaryView['reminders'] }) {
  const { t } = useTranslation()
  if (reminders.length === 0) return null
  return (
    <>
      <table>
        <caption>{t('adminEvents.messages.remindersCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adminEvents.messages.offset')}</th>
            {counts.map((key) => (
              <th scope="col" key={key}>
                {t(`adminEvents.messages.${key}`)}
              </th>
            ))}
            <th scope="col">{t('adminEvents.messages.next')}</th>
          </tr>
        </thead>
        <tbody>
          {reminders.map((line) => (
            <tr key={line.offsetMinutes}>
              <th scope="row">{t(line.current ? 'adminEvents.messages.offsetLabel' : 'adminEvents.messages.offsetRemoved', { duration: durationText(t, line.offsetMinutes) })}</th>
              {counts.map((key) => (
                <td key={key}>{line[key]}</td>
              ))}
              <td>{line.nextDueAt ?? t('adminEvents.messages.noNext')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('adminEvents.messages.remindersHint')}</p>
    </>
  )
}

export function EventMessagesSummary({ eventId, settings, summary }: Props) {
  const { t } = useTranslation()
  const base = `/admin/events/${eventId}`
  const { feedback, updates, followUp } = summary
  return (
    <section aria-labelledby="event-messages-title" className="event-summary event-messages">
      <h2 id="event-messages-title">{t('adminEvents.messages.title')}</h2>
      <Settings settings={settings} />
      <RemindersTable reminders={summary.reminders} />
      <dl>
        <dt>{t('adminEvents.messages.updates')}</dt>
        <dd>{t('adminEvents.messages.updatesValue', { sent: updates.sent, scheduled: updates.scheduled, failed: updates.failed })}</dd>
        <dt>{t('adminEvents.messages.followUp')}</dt>
        <dd>
          {followUpText(t, followUp)}
          {followUp.state === 'awaitingAttendance' ? (
            <>
              {' '}
              <Link to={`${base}/attendance`}>{t('adminEvents.messages.followUpAwaitingLink')}</Link>
            </>
          ) : null}
        </dd>
        <dt>{t('adminEvents.messages.feedback')}</dt>
        <dd>
          {feedback.count ? t('adminEvents.messages.feedbackValue', { count: feedback.count, average: feedback.average }) : t('adminEvents.messages.feedbackNone')}{' '}
          <Link to={`${base}/attendance`}>{t('adminEvents.messages.feedbackLink')}</Link>
        </dd>
      </dl>
      <p>
        <Link to={`${base}/invite`}>{t('adminEvents.messages.invite')}</Link>
      </p>
    </section>
  )
}
