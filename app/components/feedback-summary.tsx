// Owns what staff see of an event's feedback on the attendance page: how many answered, the average rating, how the
// ratings spread (a table), and the comments with the person's name, most recent first.
import { useTranslation } from 'react-i18next'

export type FeedbackSummaryView = {
  count: number
  /** Formatted for the staff locale ("4,3"), null without answers. */
  average: string | null
  distribution: { rating: number; count: number }[]
  comments: { id: number; name: string; rating: number; comment: string; date: string }[]
}

function FeedbackComments({ comments }: { comments: FeedbackSummaryView['comments'] }) {
  const { t } = useTranslation()
  if (comments.length === 0) return <p>{t('adminRegistrations.attendancePage.feedback.noComments')}</p>
  return (
    <ul data-testid="feedback-comments">
      {comments.map((comment) => (
        <li key={comment.id}>
          <p className="hint">{t('adminRegistrations.attendancePage.feedback.commentBy', { name: comment.name, rating: comment.rating, date: comment.date })}</p>
          <blockquote style={{ whiteSpace: 'pre-wrap' }}>{comment.comment}</blockquote>
        </li>
      ))}
    </ul>
  )
}

export function FeedbackSummary({ feedback }: { feedback: FeedbackSummaryView }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="avis-titre">
      <h2 id="avis-titre">{t('adminRegistrations.attendancePage.feedback.title')}</h2>
      {feedback.count === 0 ? (
        <p>{t('adminRegistrations.attendancePage.feedback.none')}</p>
      ) : (
        <>
          <dl className="admin-counts">
            <div>
              <dt>{t('adminRegistrations.attendancePage.feedback.count')}</dt>
              <dd data-count="feedback">{feedback.count}</dd>
            </div>
            <div>
              <dt>{t('adminRegistrations.attendancePage.feedback.average')}</dt>
              <dd data-testid="feedback-average">{t('adminRegistrations.attendancePage.feedback.averageValue', { average: feedback.average })}</dd>
            </div>
          </dl>
          <table>
            <caption>{t('adminRegistrations.attendancePage.feedback.distributionCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('adminRegistrations.attendancePage.feedback.rating')}</th>
                <th scope="col">{t('adminRegistrations.attendancePage.feedback.answers')}</th>
              </tr>
            </thead>
            <tbody>
              {feedback.distribution.map((row) => (
                <tr key={row.rating} data-rating={row.rating}>
                  <th scope="row">{t('adminRegistrations.attendancePage.feedback.ratingLabel', { rating: row.rating })}</th>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('adminRegistrations.attendancePage.feedback.comments')}</h3>
          <FeedbackComments comments={feedback.comments} />
        </>
      )}
    </section>
  )
}
