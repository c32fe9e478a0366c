/**
 * GET /reports/groups/[groupId]/export — the group's cached unit summaries as streamed CSV.
 * Thin: validate → the user → the group as they may see it (RLS; unknown and forbidden
 * both 404) → lib/reports/export streams the rows as the same user.
 */
import { z } from 'zod';
import { getCurrentUser } from '@/lib/auth/current-user';
import { csvExportResponse } from '@/lib/reports/export/export-response';
import { loadVisibleGroups } from '@/lib/reports/report-snapshot';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const exportGroup = withTelemetry('route.exportGroupCsv', async (groupId: string): Promise<Response> => {
  if (!z.guid().safeParse(groupId).success) return new Response('Report not found.\n', { status: 404 });
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return new Response('Sign in to export reports.\n', { status: 401 });
  const [group] = await loadVisibleGroups(supabase, [groupId]);
  if (!group) return new Response('Report not found.\n', { status: 404 });
  return csvExportResponse(supabase, { groupId }, `markbook-${group.name}`);
});

export async function GET(_request: Request, { params }: { params: Promise<{ groupId: string }> }): Promise<Response> {
  const { groupId } = await params;
  return exportGroup(groupId);
}
