/**
 * GET /reports/export — every group the user may read as one streamed CSV: a head of
 * department's whole department, a teacher's own groups, an admin's school. RLS applies
 * through the user's own client; the department filter only narrows what RLS allows.
 */
import { getCurrentUser } from '@/lib/auth/current-user';
import { csvExportResponse } from '@/lib/reports/export/export-response';
import { loadStaffProfile } from '@/lib/reports/staff-role';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const exportAll = withTelemetry('route.exportAllCsv', async (): Promise<Response> => {
  const supabase = await createSupabaseServerClient();
  const user = await getCurrentUser(supabase);
  if (!user) return new Response('Sign in to export reports.\n', { status: 401 });
  const profile = await loadStaffProfile(supabase, user.id);
  if (!profile) return new Response('Only staff can export reports.\n', { status: 403 });
  const headOf = profile.role === 'head_of_department' ? profile.departmentId : null;
  return csvExportResponse(supabase, { departmentId: headOf }, headOf ? 'markbook-department' : 'markbook-my-groups');
});

export async function GET(): Promise<Response> {
  return exportAll();
}
