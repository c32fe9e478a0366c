'use client';
/** Edits the database refused or never received: why, and retry or discard each. */
import { useShallow } from 'zustand/react/shallow';
import { selectFailedEdits } from '@/stores/marking-store';
import { useMarkingStore } from '@/stores/marking-store-provider';
import { ratingLabel, useMarkingContext } from './marking-context';
import styles from './marking-grid.module.css';

export function FailedEdits() {
  const { commands, scale } = useMarkingContext();
  const failed = useMarkingStore(useShallow(selectFailedEdits));
  const pupils = useMarkingStore((state) => state.pupils);
  const criteria = useMarkingStore((state) => state.criteria);
  if (failed.length === 0) return null;
  return (
    <section className={styles.failed} aria-label="Marks not saved" data-testid="failed-edits">
      <h2 className={styles.failedTitle}>
        {failed.length} {failed.length === 1 ? 'mark was' : 'marks were'} not saved
      </h2>
      <button type="button" onClick={() => failed.forEach((edit) => void commands.retry(edit.clientMutationId))}>
        Retry all
      </button>
      <ul>
        {failed.slice(0, 20).map((edit) => {
          const pupil = pupils[edit.pupilId];
          return (
            <li key={edit.clientMutationId} data-testid="failed-edit">
              {pupil ? `${pupil.firstName} ${pupil.lastName}` : 'A pupil'}, criterion {criteria[edit.successCriterionId]?.position ?? '?'}:{' '}
              {ratingLabel(scale, edit.rating)}. <span role="alert">{edit.error?.message}</span>{' '}
              <button type="button" onClick={() => void commands.retry(edit.clientMutationId)}>
                Retry
              </button>{' '}
              <button type="button" onClick={() => commands.dismiss(edit.clientMutationId)}>
                Discard
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
