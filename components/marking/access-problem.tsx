/** What a teacher sees when an assignment is missing or belongs to a group they do not teach. */
import Link from 'next/link';
import styles from './marking-grid.module.css';

export function AccessProblem({ kind, message }: { kind: 'not_found' | 'not_authorized'; message: string }) {
  return (
    <main className={styles.problem} data-testid="access-problem" data-kind={kind}>
      <h1>{kind === 'not_found' ? 'Assignment not found' : 'You cannot open this assignment'}</h1>
      <p>{message}</p>
      <p>
        <Link href="/results/assignments">Back to your assignments</Link>
      </p>
    </main>
  );
}
