'use client';
/**
 * The pupils x criteria grid (ARIA grid, roving tabindex) with spreadsheet keys:
 * arrows move, 0-3 rate, Delete/Backspace clear, Enter/Shift+Enter move down/up (wrapping
 * to the next column, as Canvas does), Tab/Shift+Tab move along the row (wrapping to the
 * next pupil; Tab on the last cell leaves the grid), Home/End go to the row's ends,
 * Ctrl/Cmd+Z undoes your last edit. Rows are virtualised: a 250-pupil group renders only
 * what is on screen.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useMarkingStore, useMarkingStoreApi } from '@/stores/marking-store-provider';
import { GridRow } from './grid-row';
import { useMarkingContext } from './marking-context';
import styles from './marking-grid.module.css';

const ROW_HEIGHT_PX = 44; // fixed: lets the virtualiser place rows without measuring
const OVERSCAN_ROWS = 8; // rows rendered beyond the viewport each way, so fast scrolling stays filled

export function MarkingGrid() {
  const store = useMarkingStoreApi();
  const { commands } = useMarkingContext();
  const pupilIds = useMarkingStore((state) => state.pupilIds);
  const criterionIds = useMarkingStore((state) => state.criterionIds);
  const criterionNames = useMarkingStore(useShallow((state) => state.criterionIds.map((id) => state.criteria[id]?.description ?? '')));
  const scrollRef = useRef<HTMLDivElement>(null);
  const keyboardMove = useRef(false);

  const virtualizer = useVirtualizer({
    count: pupilIds.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    scrollPaddingStart: ROW_HEIGHT_PX, // the sticky header row
  });

  // After a keyboard move: bring the cell into view and give it focus.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.focus === previous.focus || !keyboardMove.current) return;
        keyboardMove.current = false;
        const { row, col } = state.focus;
        virtualizer.scrollToIndex(row, { align: 'auto' });
        const focusCell = () =>
          scrollRef.current?.querySelector<HTMLElement>(`[data-row="${row}"][data-col="${col}"]`)?.focus({ preventScroll: true });
        focusCell();
        requestAnimationFrame(focusCell);
      }),
    [store, virtualizer],
  );

  const rows = pupilIds.length;
  const cols = criterionIds.length;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const { row, col } = store.getState().focus;
    const move = (nextRow: number, nextCol: number) => {
      event.preventDefault();
      keyboardMove.current = true;
      store.getState().cellFocused(nextRow, nextCol);
    };
    const pupilId = pupilIds[row];
    const criterionId = criterionIds[col];
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      void commands.undo();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^[0-3]$/.test(event.key) && pupilId && criterionId) {
      event.preventDefault();
      void commands.rate(pupilId, criterionId, Number(event.key));
      return;
    }
    switch (event.key) {
      case 'Delete':
      case 'Backspace':
        event.preventDefault();
        if (pupilId && criterionId) void commands.rate(pupilId, criterionId, null);
        return;
      case 'ArrowUp':
        return move(Math.max(0, row - 1), col);
      case 'ArrowDown':
        return move(Math.min(rows - 1, row + 1), col);
      case 'ArrowLeft':
        return move(row, Math.max(0, col - 1));
      case 'ArrowRight':
        return move(row, Math.min(cols - 1, col + 1));
      case 'Home':
        return move(event.ctrlKey ? 0 : row, 0);
      case 'End':
        return move(row, cols - 1);
      case 'PageDown':
        return move(Math.min(rows - 1, row + 10), col);
      case 'PageUp':
        return move(Math.max(0, row - 10), col);
      case 'Enter':
        if (event.shiftKey) return move(row > 0 ? row - 1 : rows - 1, row > 0 ? col : Math.max(0, col - 1));
        return move(row < rows - 1 ? row + 1 : 0, row < rows - 1 ? col : Math.min(cols - 1, col + 1));
      case 'Tab':
        if (event.shiftKey) {
          if (row === 0 && col === 0) return; // leave the grid backwards
          return move(col > 0 ? row : row - 1, col > 0 ? col - 1 : cols - 1);
        }
        if (row === rows - 1 && col === cols - 1) return; // leave the grid
        return move(col < cols - 1 ? row : row + 1, col < cols - 1 ? col + 1 : 0);
    }
  }

  const template = `minmax(12rem, 16rem) repeat(${cols}, minmax(6.5rem, 1fr)) minmax(8rem, 10rem)`;
  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Marking grid"
      aria-rowcount={rows + 1}
      aria-colcount={cols + 2}
      aria-multiselectable={false}
      className={styles.scroller}
      onKeyDown={onKeyDown}
      style={{ ['--grid-template' as string]: template }}
      data-testid="marking-grid"
    >
      <div role="row" aria-rowindex={1} className={`${styles.row} ${styles.headerRow}`}>
        <div role="columnheader" className={styles.columnHeader}>
          Pupil
        </div>
        {criterionIds.map((id, col) => (
          <div key={id} role="columnheader" aria-colindex={col + 2} className={styles.columnHeader} title={criterionNames[col]}>
            <span className={styles.criterionNumber}>{col + 1}</span> {criterionNames[col]}
          </div>
        ))}
        <div role="columnheader" aria-colindex={cols + 2} className={styles.columnHeader}>
          Unit average (live)
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const pupilId = pupilIds[item.index]!;
          return (
            <GridRow
              key={pupilId}
              pupilId={pupilId}
              row={item.index}
              criterionIds={criterionIds}
              criterionNames={criterionNames}
              top={item.start}
              height={ROW_HEIGHT_PX}
            />
          );
        })}
      </div>
    </div>
  );
}
