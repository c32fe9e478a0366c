'use client';
/** /results/assignments: assignments by group and unit with live marking progress. */
import Link from 'next/link';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { connectProgressRealtime } from '@/lib/marking/progress-realtime';
import type { ProgressRow } from '@/lib/marking/schemas';
import { useSupabase } from '@/lib/supabase/browser';
import {
  ProgressStoreProvider,
  selectProgress,
  selectProgressSections,
  useProgressStore,
  useProgressStoreApi,
} from '@/stores/marking-store-progress';
import styles from './assignment-progress.module.css';

export function AssignmentProgressList({ rows }: { rows: ProgressRow[] }) {
  return (
    <ProgressStoreProvider rows={rows}>
      <ConnectedList />
    </ProgressStoreProvider>
  );
}

function ConnectedList() {
  const store = useProgressStoreApi();
  const getSupabase = useSupabase();
  useEffect(() => connectProgressRealtime(getSupabase(), store), [getSupabase, store]);
  const sections = useProgressStore(selectProgressSections);
  const connection = useProgressStore((state) => state.connection);
  if (sections.length === 0) return <p>You have no groups to mark yet.</p>;
  return (
    <>
      <p className={styles.connection} role="status" data-testid="connection" data-state={connection}>
        {connection === 'live' ? 'Progress updates live' : connection === 'offline' ? 'Offline: progress may be out of date' : 'Connecting…'}
      </p>
      {sections.map((section) => (
        <section key={`${section.groupName}:${section.unitName}`} className={styles.section} aria-label={`${section.groupName}: ${section.unitName}`}>
          <h2 className={styles.heading}>
            {section.groupName} <span className={styles.unit}>{section.unitName}</span>
          </h2>
          <ul className={styles.list}>
            {section.ids.map((id) => (
              <AssignmentItem key={id} assignmentId={id} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function AssignmentItem({ assignmentId }: { assignmentId: string }) {
  const title = useProgressStore((state) => state.byId[assignmentId]?.title ?? '');
  const progress = useProgressStore(useShallow(selectProgress(assignmentId)));
  return (
    <li className={styles.item} data-testid="assignment" data-assignment-id={assignmentId}>
      <Link href={`/results/assignments/${assignmentId}`}>{title}</Link>
      <span className={styles.progressText} data-testid="progress">
        {progress.marked} / {progress.total} marked
      </span>
      <progress value={progress.marked} max={progress.total || 1} aria-label={`${title}: ${progress.percent}% marked`} />
    </li>
  );
}
