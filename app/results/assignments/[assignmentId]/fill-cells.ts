'use server';
/**
 * fillCells: parse with zod → the user from a fresh typed server client → one RPC
 * (feedback_fill_cells: every cell versioned, with history and recalculation, in one
 * transaction) → the authoritative rows as an ActionResult.
 */
import { actionError, type ActionResult } from '@/lib/action-result';
import { getCurrentUser } from '@/lib/auth/current-user';
import { fillCells, parseFillCellsInput, type FillCellsInput } from '@/lib/marking/bulk-writes';
import type { FeedbackCell } from '@/lib/marking/schemas';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const fill = withTelemetry('action.fillCells', async (input: unknown): Promise<ActionResult<FeedbackCell[]>> => {
  const parsed = parseFillCellsInput(input);
  if (!parsed.ok) return parsed;
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return actionError('not_authorized', 'Your session has ended. Sign in again to keep marking.');
  return fillCells(supabase, parsed.data);
});

export async function fillCellsAction(input: FillCellsInput): Promise<ActionResult<FeedbackCell[]>> {
  return fill(input);
}
