/** /reports/groups/[groupId]: the cohort view, live. Unknown or unreadable group → not found. */
import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { GroupReportView } from '@/components/reports/group-report-view';
import { loadSignedInSnapshot } from '@/lib/reports/report-snapshot';
import { snapshotWireToJson } from '@/lib/reports/snapshot-wire-json';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { ReportStoreProvider } from '@/stores/report-store-provider';
import styles from '@/components/reports/reports.module.css';
import { loadReportSnapshotAction } from '../../load-report-snapshot';

const loadGroupPage = withTelemetry(
  'loader.reportsGroupPage',
  async (groupId: string) => loadSignedInSnapshot(await createSupabaseServerClient(), { kind: 'group', groupId }),
  { rowCount: (page) => (page.signedIn ? page.wire?.unitRows.pupil.length : undefined) },
);

export default async function GroupReportPage({ params }: { params: Promise<{ groupId: string }> }) {
  const { groupId } = await params;
  if (!z.guid().safeParse(groupId).success) notFound();
  const page = await loadGroupPage(groupId);
  if (!page.signedIn) redirect('/login');
  const group = page.wire?.groups.find((g) => g.id === groupId);
  if (!page.wire || !group) notFound();
  return (
    <main className={styles.page}>
      <ReportStoreProvider scope={{ kind: 'group', groupId }} snapshotJson={snapshotWireToJson(page.wire)} loadSnapshot={loadReportSnapshotAction}>
        <GroupReportView groupId={groupId} groupName={group.name} subject={group.subject} />
      </ReportStoreProvider>
    </main>
  );
}
