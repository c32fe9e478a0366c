'use client';
/** One marking cell: the rating as number and words, coloured, with its save state. Pure rendering. */
import { memo } from 'react';
import type { CellDisplay } from '@/stores/marking-store';
import { ratingLabel, useMarkingContext } from './marking-context';
import styles from './marking-grid.module.css';

type Props = {
  display: CellDisplay;
  criterionId: string;
  row: number;
  col: number;
  criterionName: string;
  focused: boolean;
  onFocusCell: (row: number, col: number) => void;
};

export const GridCell = memo(function GridCell({ display, criterionId, row, col, criterionName, focused, onFocusCell }: Props) {
  const { scale } = useMarkingContext();
  const { rating, status, errorMessage } = display;
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
      onMouseDown={() => onFocusCell(row, col)}
      onFocus={() => !focused && onFocusCell(row, col)}
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
