'use client';
/** One marking cell: the rating as number and words, coloured, with its save state. */
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectCellView } from '@/stores/marking-store';
import { useMarkingStore, useMarkingStoreApi } from '@/stores/marking-store-provider';
import { ratingLabel, useMarkingContext } from './marking-context';
import styles from './marking-grid.module.css';

type Props = { pupilId: string; criterionId: string; row: number; col: number; criterionName: string };

export const GridCell = memo(function GridCell({ pupilId, criterionId, row, col, criterionName }: Props) {
  const { scale } = useMarkingContext();
  // One subscription per cell: a 250 x 12 grid keeps a few hundred listeners, not thousands.
  const { rating, status, errorMessage, focused } = useMarkingStore(useShallow(selectCellView(pupilId, criterionId, row, col)));
  const store = useMarkingStoreApi();
  const focusCell = (r: number, c: number) => store.getState().cellFocused(r, c);
  const label = ratingLabel(scale, rating);
  const stateText = status === 'pending' ? 'saving' : status === 'failed' ? 'not saved' : 'saved';
  return (
    <div
      role="gridcell"
      aria-colindex={col + 2}
      aria-selected={focused}
      aria-label={`${criterionName}: ${rating === null ? '' : `${rating} `}${label}, ${stateText}`}
      aria-invalid={status === 'failed' || undefined}
      title={errorMessage ?? undefined}
      tabIndex={focused ? 0 : -1}
      data-row={row}
      data-col={col}
      data-criterion-id={criterionId}
      data-rating={rating ?? ''}
      data-status={status}
      className={`${styles.cell} ${styles[`rating${rating ?? 'None'}`]} ${focused ? styles.focused : ''}`}
      onMouseDown={() => focusCell(row, col)}
      onFocus={() => !focused && focusCell(row, col)}
    >
      <span className={styles.ratingNumber}>{rating ?? '–'}</span>
      <span className={styles.ratingLabel}>{rating === null ? '' : label}</span>
      {status !== 'synced' ? (
        <span className={status === 'failed' ? styles.failedMark : styles.pendingMark} aria-hidden="true">
          {status === 'failed' ? '!' : '…'}
        </span>
      ) : null}
    </div>
  );
});
