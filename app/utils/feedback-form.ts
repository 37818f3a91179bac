// Owns the one schema of the feedback form (/avis/:token), used by the server check and by the browser's own check:
// a rating from 1 to 5 and an optional comment of at most 2,000 characters. Messages are i18n keys.
import { z } from 'zod'

export const FEEDBACK_COMMENT_MAX = 2000

const ratingError = 'attendee.feedback.errors.rating'

export const feedbackSchema = z.object({
  // conform turns the posted text into a number, and an empty or missing choice into undefined.
  rating: z.number({ required_error: ratingError, invalid_type_error: ratingError }).int(ratingError).min(1, ratingError).max(5, ratingError),
  comment: z.string().max(FEEDBACK_COMMENT_MAX, 'attendee.feedback.errors.commentTooLong').optional(),
})
