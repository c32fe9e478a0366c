/**
 * The grid's multi-cell writes, each ONE RPC (one transaction): a bulk fill of a column or
 * row (`feedback_fill_cells`) and the undo of the caller's last edit from history
 * (`feedback_undo_last`). Inputs parsed with zod; rows parsed on the way back.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import { RATING_MAX, RATING_MIN } from '@/lib/feedback/schemas';
import type { Database } from '@/lib/supabase/database.types';
import type { PostgrestLikeError } from '@/lib/feedback/map-feedback-error';
import { mapMarkingError, unavailable } from './marking-errors';
import { feedbackCellSchema, type FeedbackCell } from './schemas';

const FILL_MAX_CELLS = 3_000; // as the RPC: a 250-pupil group x 12 criteria

export const fillCellsInputSchema = z.object({
  assignmentId: z.guid(),
  rating: z.number().int().min(RATING_MIN).max(RATING_MAX).nullable(),
  cells: z
    .array(z.object({ pupilId: z.guid(), successCriterionId: z.guid(), clientMutationId: z.guid() }))
    .min(1)
    .max(FILL_MAX_CELLS),
});
export type FillCellsInput = z.infer<typeof fillCellsInputSchema>;

export const undoEditInputSchema = z.object({ assignmentId: z.guid(), clientMutationId: z.guid() });
export type UndoEditInput = z.infer<typeof undoEditInputSchema>;

type Client = SupabaseClient<Database>;

function rowsOrFailure(data: unknown): ActionResult<FeedbackCell[]> {
  const parsed = z.array(feedbackCellSchema).safeParse(data);
  if (!parsed.success) return actionError(unavailable().code, unavailable().message);
  return actionOk(parsed.data);
}

export function parseFillCellsInput(input: unknown): ActionResult<FillCellsInput> {
  const parsed = fillCellsInputSchema.safeParse(input);
  return parsed.success ? actionOk(parsed.data) : actionError('validation_failed', 'That fill could not be read. Refresh the page and try again.');
}

export function parseUndoEditInput(input: unknown): ActionResult<UndoEditInput> {
  const parsed = undoEditInputSchema.safeParse(input);
  return parsed.success ? actionOk(parsed.data) : actionError('validation_failed', 'That undo could not be read. Refresh the page.');
}

/** One marking RPC returning feedback rows: errors mapped to teacher-facing codes, rows parsed. */
async function callRowsRpc(
  call: () => PromiseLike<{ data: unknown; error: PostgrestLikeError | null }>,
): Promise<ActionResult<FeedbackCell[]>> {
  try {
    const { data, error } = await call();
    if (error) {
      const mapped = mapMarkingError(error);
      return actionError(mapped.code, mapped.message);
    }
    return rowsOrFailure(data);
  } catch {
    return actionError(unavailable().code, unavailable().message);
  }
}

export function fillCells(client: Client, input: FillCellsInput): Promise<ActionResult<FeedbackCell[]>> {
  return callRowsRpc(() =>
    client.rpc('feedback_fill_cells', {
      p_assignment_id: input.assignmentId,
      p_rating: input.rating as number, // the generated Args type says number; null clears
      p_pupil_ids: input.cells.map((cell) => cell.pupilId),
      p_success_criterion_ids: input.cells.map((cell) => cell.successCriterionId),
      p_client_mutation_ids: input.cells.map((cell) => cell.clientMutationId),
    }),
  );
}

export function undoLastEdit(client: Client, input: UndoEditInput): Promise<ActionResult<FeedbackCell[]>> {
  return callRowsRpc(() =>
    client.rpc('feedback_undo_last', {
      p_assignment_id: input.assignmentId,
      p_client_mutation_id: input.clientMutationId,
    }),
  );
}
