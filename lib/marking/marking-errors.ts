/**
 * Error codes of the grid's bulk fill and undo beyond those of a single edit
 * (lib/feedback/map-feedback-error.ts), each with a teacher-facing message.
 */
import { feedbackErrorMessages, mapFeedbackError, type PostgrestLikeError } from '@/lib/feedback/map-feedback-error';

const MARKING_MESSAGES = {
  edit_superseded: 'A colleague has changed those marks since your edit, so it was not undone.',
  nothing_to_undo: 'You have no edit on this assignment to undo.',
  too_many_cells: 'That is too many cells for one fill. Fill a column or a row at a time.',
  cells_mismatch: 'That fill could not be read. Refresh the page and try again.',
} as const;
export type MarkingErrorCode = keyof typeof MARKING_MESSAGES | ReturnType<typeof mapFeedbackError>;

export function mapMarkingError(error: PostgrestLikeError): { code: MarkingErrorCode; message: string } {
  const raised = error.message?.trim();
  if (raised && raised in MARKING_MESSAGES) {
    const code = raised as keyof typeof MARKING_MESSAGES;
    return { code, message: MARKING_MESSAGES[code] };
  }
  const code = mapFeedbackError(error);
  return { code, message: feedbackErrorMessages[code] };
}

export function unavailable(): { code: MarkingErrorCode; message: string } {
  return { code: 'unavailable', message: feedbackErrorMessages.unavailable };
}
