/**
 * The one mapping from feedback_upsert's failures (PostgREST error: SQLSTATE in `code`,
 * the stable code the procedure raised in `message`) to the app's error codes, each with a
 * message fit for a teacher. Raw Postgres text never leaves this module.
 */
export const FeedbackErrorCode = {
  notAuthorized: 'not_authorized',
  pupilNotInGroup: 'pupil_not_in_group',
  criterionNotInUnit: 'criterion_not_in_unit',
  ratingOutOfRange: 'rating_out_of_range',
  notFound: 'not_found',
  validationFailed: 'validation_failed',
  unavailable: 'unavailable',
} as const;
export type FeedbackErrorCode = (typeof FeedbackErrorCode)[keyof typeof FeedbackErrorCode];

export const feedbackErrorMessages: Record<FeedbackErrorCode, string> = {
  not_authorized: 'You can only mark groups you teach. Ask your head of department if this looks wrong.',
  pupil_not_in_group: 'This pupil is no longer in the group. Refresh the page to see the current class list.',
  criterion_not_in_unit: 'This success criterion does not belong to the assignment’s unit. Refresh the page.',
  rating_out_of_range: 'Choose a rating from 0 to 3, or clear the cell.',
  not_found: 'This assignment, pupil or criterion no longer exists. Refresh the page.',
  validation_failed: 'That mark could not be read. Refresh the page and try again.',
  unavailable: 'Your mark was not saved because the markbook is unreachable. It will be retried; check your connection.',
};

/** The raised message is the stable code; the SQLSTATE is the fallback. */
const BY_MESSAGE: Record<string, FeedbackErrorCode> = {
  not_authorized: 'not_authorized',
  pupil_not_in_group: 'pupil_not_in_group',
  criterion_not_in_unit: 'criterion_not_in_unit',
  rating_out_of_range: 'rating_out_of_range',
  not_found: 'not_found',
};
const BY_SQLSTATE: Record<string, FeedbackErrorCode> = {
  '42501': 'not_authorized', // insufficient_privilege (also: no execute right)
  PGRST301: 'not_authorized', // JWT rejected
  PGRST303: 'not_authorized', // JWT expired
  P0002: 'not_found', // no_data_found
  '22003': 'rating_out_of_range', // numeric_value_out_of_range
  '22P02': 'validation_failed', // invalid_text_representation (e.g. a bad uuid)
  '23502': 'validation_failed', // not_null_violation
  '23503': 'not_found', // foreign_key_violation: a referenced row vanished
  '23514': 'validation_failed', // check_violation without one of our codes
  PGRST202: 'unavailable', // function not in the schema cache (deploy skew)
};

export type PostgrestLikeError = { code?: string | null; message?: string | null };

export function mapFeedbackError(error: PostgrestLikeError): FeedbackErrorCode {
  const byMessage = error.message ? BY_MESSAGE[error.message.trim()] : undefined;
  if (byMessage) return byMessage;
  const byState = error.code ? BY_SQLSTATE[error.code] : undefined;
  return byState ?? 'unavailable';
}
