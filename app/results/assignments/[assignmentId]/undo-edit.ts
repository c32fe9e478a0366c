'use server';
/**
 * undoEdit: parse with zod → the user from a fresh typed server client → one RPC
 * (feedback_undo_last: the caller's last edit on the assignment reverted from history in
 * one transaction, refused if a colleague changed those cells since) → the rows.
 */
import { actionError, type ActionResult } from '@/lib/action-result';
import { getCurrentUser } from '@/lib/auth/current-user';
import { parseUndoEditInput, undoLastEdit, type UndoEditInput } from '@/lib/marking/bulk-writes';
import type { FeedbackCell } from '@/lib/marking/schemas';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const undo = withTelemetry('action.undoEdit', async (input: unknown): Promise<ActionResult<FeedbackCell[]>> => {
  const parsed = parseUndoEditInput(input);
  if (!parsed.ok) return parsed;
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return actionError('not_authorized', 'Your session has ended. Sign in again to keep marking.');
  return undoLastEdit(supabase, parsed.data);
});

export async function undoEditAction(input: UndoEditInput): Promise<ActionResult<FeedbackCell[]>> {
  return undo(input);
}
