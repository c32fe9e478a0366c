/** /results/assignments: what the signed-in teacher may mark, by group and unit, with live progress. */
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AssignmentProgressList } from '@/components/marking/assignment-progress-list';
import { getCurrentUser } from '@/lib/auth/current-user';
import { fetchMarkingProgress } from '@/lib/marking/queries';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import styles from '../results.module.css';

const loadAssignments = withTelemetry(
  'loader.markingAssignments',
  async () => {
    const supabase = await createSupabaseServerClient();
    const user = await getCurrentUser(supabase);
    if (!user) return null;
    return fetchMarkingProgress(supabase);
  },
  { rowCount: (result) => (result?.ok ? result.data.length : undefined) },
);

export default async function AssignmentsRoute() {
  const result = await loadAssignments();
  if (!result) redirect('/login');
  if (!result.ok) throw new Error('Your assignments could not be loaded.');
  return (
    <>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          Markbook Live
        </Link>
      </header>
      <main className={styles.main}>
        <h1 className={styles.title}>Assignments to mark</h1>
        <AssignmentProgressList rows={result.data} />
      </main>
    </>
  );
}
