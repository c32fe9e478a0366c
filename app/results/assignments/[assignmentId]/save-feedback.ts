'use server';
/**
 * saveFeedback: parse with zod → the user from a fresh typed server client → one RPC
 * (feedback_upsert: cell + history + recalculation job in one transaction) → the parsed
 * row as an ActionResult. Returns when that transaction commits; the report recalculation
 * is never awaited. Retrying with the same clientMutationId is one write.
 */
import { actionError } from '@/lib/action-result';
import { getCurrentUser } from '@/lib/auth/current-user';
import { parseSaveFeedbackInput, saveFeedback, type SaveFeedbackResult } from '@/lib/feedback/save-feedback';
import type { SaveFeedbackInput } from '@/lib/feedback/schemas';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const save = withTelemetry('action.saveFeedback', async (input: unknown): Promise<SaveFeedbackResult> => {
  const parsed = parseSaveFeedbackInput(input);
  if (!parsed.ok) return parsed;
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return actionError('not_authorized', 'Your session has ended. Sign in again to keep marking.');
  return saveFeedback(supabase, parsed.data);
});

export async function saveFeedbackAction(input: SaveFeedbackInput): Promise<SaveFeedbackResult> {
  return save(input);
}
