/** /reports: groups and pupils the user may see, live. Loader: lib/reports/report-snapshot.ts. */
import { redirect } from 'next/navigation';
import { OverviewView } from '@/components/reports/overview-view';
import { getCurrentUser } from '@/lib/auth/current-user';
import { loadReportSnapshot } from '@/lib/reports/report-snapshot';
import { encodeSnapshot } from '@/lib/reports/snapshot-wire';
import { snapshotWireToJson } from '@/lib/reports/snapshot-wire-json';
import { loadStaffProfile } from '@/lib/reports/staff-role';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { ReportStoreProvider } from '@/stores/report-store-provider';
import styles from '@/components/reports/reports.module.css';
import { loadGroupStatsAction } from './load-group-stats';
import { loadReportSnapshotAction } from './load-report-snapshot';

const loadOverviewPage = withTelemetry(
  'loader.reportsOverviewPage',
  async () => {
    const supabase = await createSupabaseServerClient();
    const user = await getCurrentUser(supabase);
    if (!user) return null;
    const [snapshot, profile] = await Promise.all([loadReportSnapshot(supabase, { kind: 'overview' }), loadStaffProfile(supabase, user.id)]);
    return snapshot ? { snapshot, role: profile?.role ?? null } : null;
  },
  { rowCount: (page) => page?.snapshot.unitRows.length },
);

export default async function ReportsPage() {
  const page = await loadOverviewPage();
  if (!page) redirect('/login');
  return (
    <main className={styles.page}>
      <ReportStoreProvider
        scope={{ kind: 'overview' }}
        snapshotJson={snapshotWireToJson(encodeSnapshot(page.snapshot))}
        loadSnapshot={loadReportSnapshotAction}
        loadGroupStats={loadGroupStatsAction}
      >
        <OverviewView exportLabel={page.role === 'head_of_department' ? 'Export the whole department (CSV)' : 'Export all my groups (CSV)'} />
      </ReportStoreProvider>
    </main>
  );
}
