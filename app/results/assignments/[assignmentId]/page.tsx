/**
 * The marking grid. The server loads everything in one RPC (assignments_marking_snapshot:
 * cells with versions, pupils, criteria, cached unit summaries, viewer) plus the rating
 * scale, then hands the snapshot to the client grid's store. Another group's assignment
 * or a missing one gets a clear page instead of an empty grid.
 */
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AccessProblem } from '@/components/marking/access-problem';
import { MarkingGridPage } from '@/components/marking/marking-grid-page';
import { getCurrentUser } from '@/lib/auth/current-user';
import { fetchGridSnapshot, fetchRatingScale } from '@/lib/marking/queries';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import styles from '../../results.module.css';
import { fillCellsAction } from './fill-cells';
import { saveFeedbackAction } from './save-feedback';
import { undoEditAction } from './undo-edit';

const loadGrid = withTelemetry(
  'loader.markingGrid',
  async (assignmentId: string) => {
    const supabase = await createSupabaseServerClient();
    const user = await getCurrentUser(supabase);
    if (!user) return null;
    const [snapshot, scale] = await Promise.all([fetchGridSnapshot(supabase, assignmentId), fetchRatingScale(supabase)]);
    return { snapshot, scale };
  },
  { rowCount: (grid) => (grid?.snapshot.ok ? grid.snapshot.data.feedback.length : undefined) },
);

export default async function MarkingGridRoute({ params }: { params: Promise<{ assignmentId: string }> }) {
  const { assignmentId } = await params;
  const grid = await loadGrid(assignmentId);
  if (!grid) redirect('/login');
  const { snapshot, scale } = grid;
  if (!snapshot.ok) {
    if (snapshot.code === 'not_found' || snapshot.code === 'not_authorized') {
      return <AccessProblem kind={snapshot.code} message={snapshot.message} />;
    }
    throw new Error('The marking grid could not be loaded.');
  }
  const { assignment } = snapshot.data;
  return (
    <>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          Markbook Live
        </Link>
        <Link href="/results/assignments">All assignments</Link>
      </header>
      <main className={styles.main}>
        <h1 className={styles.title}>{assignment.title}</h1>
        <p className={styles.meta}>
          {assignment.groupName} · {assignment.unitName} · set {assignment.setOn}
          {assignment.dueOn ? ` · due ${assignment.dueOn}` : ''} · {snapshot.data.pupils.length} pupils ×{' '}
          {snapshot.data.criteria.length} criteria
        </p>
        <MarkingGridPage
          snapshot={snapshot.data}
          scale={scale}
          actions={{ save: saveFeedbackAction, fill: fillCellsAction, undo: undoEditAction }}
        />
      </main>
    </>
  );
}
