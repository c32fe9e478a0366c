/**
 * The marking write: one `feedback_upsert` call (the cell, its history and the pupil's
 * recalculation job in ONE transaction), parsed into the authoritative row. Returns as soon
 * as that transaction commits; the report recalculation runs later in the worker and is
 * never awaited here. Failures come back as stable codes with teacher-facing messages.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import type { Database } from '@/lib/supabase/database.types';
import { FeedbackErrorCode, feedbackErrorMessages, mapFeedbackError } from './map-feedback-error';
import { saveFeedbackInputSchema, savedFeedbackSchema, type SavedFeedback, type SaveFeedbackInput } from './schemas';

export type SaveFeedbackResult = ActionResult<SavedFeedback>;

function failure<T = SavedFeedback>(code: FeedbackErrorCode): ActionResult<T> {
  return actionError<T>(code, feedbackErrorMessages[code]);
}

/** Step one of the action: untrusted input → a write, or validation_failed / rating_out_of_range. */
export function parseSaveFeedbackInput(input: unknown): ActionResult<SaveFeedbackInput> {
  const parsed = saveFeedbackInputSchema.safeParse(input);
  if (parsed.success) return actionOk(parsed.data);
  // A number that is not 0..3 (or not whole) is a bad rating; anything else is bad input.
  const rating = typeof input === 'object' && input !== null ? (input as { rating?: unknown }).rating : undefined;
  const ratingIssue = typeof rating === 'number' && parsed.error.issues.some((issue) => issue.path[0] === 'rating');
  return failure(ratingIssue ? FeedbackErrorCode.ratingOutOfRange : FeedbackErrorCode.validationFailed);
}

/** Parses `input` (untrusted), writes the cell as the client's user, returns the row. */
export async function saveFeedback(client: SupabaseClient<Database>, input: unknown): Promise<SaveFeedbackResult> {
  const parsed = parseSaveFeedbackInput(input);
  if (!parsed.ok) return parsed;
  const write = parsed.data;
  let response;
  try {
    response = await client
      .rpc('feedback_upsert', {
        p_assignment_id: write.assignmentId,
        p_pupil_id: write.pupilId,
        p_success_criterion_id: write.successCriterionId,
        // The generated Args type says number; the procedure takes null to clear a cell.
        p_rating: write.rating as number,
        // The comment changes only when the caller sent one (a string, or null to clear it);
        // a rating-only save keeps the cell's existing comment.
        p_comment: write.comment ?? undefined,
        p_set_comment: write.comment !== undefined,
        p_client_mutation_id: write.clientMutationId,
      })
      .single();
  } catch {
    return failure(FeedbackErrorCode.unavailable); // network failure before any response
  }
  if (response.error) return failure(mapFeedbackError(response.error));
  const row = savedFeedbackSchema.safeParse(response.data);
  if (!row.success) return failure(FeedbackErrorCode.unavailable); // committed, but the reply is unreadable
  return actionOk(row.data);
}
