/** /reports/[pupilId]: one pupil's unit summaries and criteria, live. Unknown or unreadable pupil → not found. */
import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { PupilReportView } from '@/components/reports/pupil-report-view';
import { loadSignedInSnapshot } from '@/lib/reports/report-snapshot';
import { snapshotWireToJson } from '@/lib/reports/snapshot-wire-json';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { ReportStoreProvider } from '@/stores/report-store-provider';
import styles from '@/components/reports/reports.module.css';
import { loadReportSnapshotAction } from '../load-report-snapshot';

const loadPupilPage = withTelemetry(
  'loader.reportsPupilPage',
  async (pupilId: string) => loadSignedInSnapshot(await createSupabaseServerClient(), { kind: 'pupil', pupilId }),
  { rowCount: (page) => (page.signedIn ? page.wire?.unitRows.pupil.length : undefined) },
);

export default async function PupilReportPage({ params }: { params: Promise<{ pupilId: string }> }) {
  const { pupilId } = await params;
  if (!z.guid().safeParse(pupilId).success) notFound();
  const page = await loadPupilPage(pupilId);
  if (!page.signedIn) redirect('/login');
  if (!page.wire) notFound();
  return (
    <main className={styles.page}>
      <ReportStoreProvider scope={{ kind: 'pupil', pupilId }} snapshotJson={snapshotWireToJson(page.wire)} loadSnapshot={loadReportSnapshotAction}>
        <PupilReportView pupilId={pupilId} />
      </ReportStoreProvider>
    </main>
  );
}
