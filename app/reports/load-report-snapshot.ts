'use server';
/**
 * loadReportSnapshotAction: what the realtime adapter calls on every (re)subscribe to
 * refetch a report page's snapshot. zod → the user from a fresh typed client → the
 * REPORTS_SOURCE-aware loaders in lib/reports → ActionResult of the snapshot's compact wire
 * form (lib/reports/snapshot-wire.ts). Never raw Postgres text.
 */
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import { getCurrentUser } from '@/lib/auth/current-user';
import { loadReportWire, reportScopeSchema } from '@/lib/reports/report-snapshot';
import { ReportLoadError } from '@/lib/reports/report-source';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import type { SnapshotWire } from '@/lib/reports/snapshot-wire';
import type { ReportScope } from '@/stores/report-store';

const load = withTelemetry('action.loadReportSnapshot', async (input: unknown): Promise<ActionResult<SnapshotWire>> => {
  const scope = reportScopeSchema.safeParse(input);
  if (!scope.success) return actionError('invalid_input', 'That report does not exist.');
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return actionError('not_authorized', 'Your session has ended. Sign in again to keep watching.');
  try {
    const wire = await loadReportWire(supabase, scope.data);
    if (!wire) return actionError('not_found', 'This report is not available to you.');
    return actionOk(wire);
  } catch (error) {
    if (error instanceof ReportLoadError) return actionError(error.code, error.message);
    return actionError('unavailable', 'Reports are unavailable right now. Try again shortly.');
  }
});

export async function loadReportSnapshotAction(scope: ReportScope): Promise<ActionResult<SnapshotWire>> {
  return load(scope);
}
