/** Shown for a group or pupil report that does not exist or that the user may not see (same answer for both). */
import Link from 'next/link';
import styles from '@/components/reports/reports.module.css';

export default function ReportNotFound() {
  return (
    <main className={styles.notFound}>
      <h1 data-testid="report-not-found">Report not available</h1>
      <p>This report does not exist, or it belongs to a group you do not teach or head.</p>
      <p>
        <Link href="/reports">Back to your reports</Link>
      </p>
    </main>
  );
}
