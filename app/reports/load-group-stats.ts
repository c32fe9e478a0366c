'use server';
/**
 * loadGroupStatsAction: what the /reports realtime adapter calls after cached unit rows of some
 * groups changed, to refresh those groups' aggregates (reports_overview_group_stats, as the
 * signed-in user, REPORTS_SOURCE-aware). zod → the user → lib/reports → ActionResult.
 */
import { z } from 'zod';
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import { getCurrentUser } from '@/lib/auth/current-user';
import { GROUP_STATS_REFRESH_MAX } from '@/lib/reports/group-stats-refresh';
import { loadGroupStats } from '@/lib/reports/report-snapshot';
import { ReportLoadError } from '@/lib/reports/report-source';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import type { GroupLevelStats } from '@/stores/report-store';

const groupIdsSchema = z.array(z.guid()).min(1).max(GROUP_STATS_REFRESH_MAX);

const load = withTelemetry('action.loadGroupStats', async (input: unknown): Promise<ActionResult<GroupLevelStats[]>> => {
  const groupIds = groupIdsSchema.safeParse(input);
  if (!groupIds.success) return actionError('invalid_input', `Give between 1 and ${GROUP_STATS_REFRESH_MAX} group ids.`);
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return actionError('not_authorized', 'Your session has ended. Sign in again to keep watching.');
  try {
    return actionOk(await loadGroupStats(supabase, groupIds.data));
  } catch (error) {
    if (error instanceof ReportLoadError) return actionError(error.code, error.message);
    return actionError('unavailable', 'Reports are unavailable right now. Try again shortly.');
  }
});

export async function loadGroupStatsAction(groupIds: string[]): Promise<ActionResult<GroupLevelStats[]>> {
  return load(groupIds);
}
