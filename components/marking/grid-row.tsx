'use client';
/** One pupil's row: name, co-markers on this row, the cells, the live unit average. */
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  selectFocusedColumnInRow,
  selectPupilSummary,
  selectRowCells,
  selectRowMarkers,
  selectSummaryUpdating,
} from '@/stores/marking-store';
import { useMarkingStore, useMarkingStoreApi } from '@/stores/marking-store-provider';
import { GridCell } from './grid-cell';
import styles from './marking-grid.module.css';

type Props = { pupilId: string; row: number; criterionIds: string[]; criterionNames: string[]; top: number; height: number };

const LEVEL_TEXT: Record<string, string> = {
  not_yet: 'Not yet',
  working_towards: 'Working towards',
  secure: 'Secure',
  exceeding: 'Exceeding',
};

export const GridRow = memo(function GridRow({ pupilId, row, criterionIds, criterionNames, top, height }: Props) {
  const pupil = useMarkingStore((state) => state.pupils[pupilId]);
  const markers = useMarkingStore(useShallow(selectRowMarkers(pupilId)));
  const summary = useMarkingStore(selectPupilSummary(pupilId));
  const updating = useMarkingStore(selectSummaryUpdating(pupilId));
  // One subscription for the row's cells (not one per cell): cheap to mount while scrolling.
  const cells = useMarkingStore(useShallow(selectRowCells(pupilId)));
  const focusedCol = useMarkingStore(selectFocusedColumnInRow(row));
  const store = useMarkingStoreApi();
  const onFocusCell = store.getState().cellFocused;
  const name = pupil ? `${pupil.firstName} ${pupil.lastName}` : '';
  return (
    <div role="row" aria-rowindex={row + 2} className={styles.row}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height, transform: `translateY(${top}px)` }}
      data-pupil-id={pupilId} data-pupil-name={name}>
      <div role="rowheader" className={styles.rowHeader}>
        <span className={styles.pupilName}>{name}</span>
        {markers.length > 0 ? (
          <span className={styles.markers} data-testid="row-markers" aria-label={`Also on this row: ${markers.join(', ')}`}>
            {markers.map((initials) => (
              <span key={initials} className={styles.avatar}>
                {initials}
              </span>
            ))}
          </span>
        ) : null}
      </div>
      {criterionIds.map((criterionId, col) => (
        <GridCell
          key={criterionId}
          display={cells[col]!}
          criterionId={criterionId}
          row={row}
          col={col}
          criterionName={criterionNames[col] ?? ''}
          focused={focusedCol === col}
          onFocusCell={onFocusCell}
        />
      ))}
      <div
        role="gridcell"
        aria-colindex={criterionIds.length + 2}
        aria-busy={updating}
        className={styles.summary}
        data-testid="unit-average"
        data-updating={updating}
      >
        {summary ? (
          <>
            <span className={styles.average}>{summary.averageRating.toFixed(2)}</span>
            <span className={styles.level}>
              {LEVEL_TEXT[summary.workingLevel] ?? summary.workingLevel}
              {updating ? ' · updating…' : ''}
            </span>
          </>
        ) : (
          <span className={styles.level}>{updating ? 'Updating…' : 'No marks yet'}</span>
        )}
      </div>
    </div>
  );
});
