'use client';
/**
 * Acts on the selected cell with a mouse: rate it (the rating palette), fill its whole
 * column or row with one rating (one transaction), undo your last edit.
 */
import { useState } from 'react';
import { useMarkingStore } from '@/stores/marking-store-provider';
import { ratingLabel, useMarkingContext } from './marking-context';
import styles from './marking-grid.module.css';

export function MarkingToolbar() {
  const { commands, scale } = useMarkingContext();
  const pupilId = useMarkingStore((state) => state.pupilIds[state.focus.row] ?? null);
  const criterionId = useMarkingStore((state) => state.criterionIds[state.focus.col] ?? null);
  const pupilName = useMarkingStore((state) => {
    const pupil = pupilId ? state.pupils[pupilId] : undefined;
    return pupil ? `${pupil.firstName} ${pupil.lastName}` : '';
  });
  const criterionPosition = useMarkingStore((state) => state.focus.col + 1);
  const canMark = useMarkingStore((state) => state.canMark);
  const undo = useMarkingStore((state) => state.undo);
  const [fillRating, setFillRating] = useState('2');

  if (!canMark) return <p className={styles.readOnly}>You can read this assignment but not mark it.</p>;
  const fillValue = fillRating === '' ? null : Number(fillRating);
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Marking tools">
      <span className={styles.selection} data-testid="selection">
        {pupilName} · criterion {criterionPosition}
      </span>
      <span className={styles.palette} role="group" aria-label="Rate the selected cell">
        {scale.map((entry) => (
          <button
            key={entry.rating}
            type="button"
            className={`${styles.paletteButton} ${styles[`rating${entry.rating}`]}`}
            onClick={() => pupilId && criterionId && void commands.rate(pupilId, criterionId, entry.rating)}
            aria-label={`Rate ${entry.rating} ${entry.label}`}
          >
            {entry.rating} {entry.label}
          </button>
        ))}
        <button
          type="button"
          className={styles.paletteButton}
          onClick={() => pupilId && criterionId && void commands.rate(pupilId, criterionId, null)}
        >
          Clear
        </button>
      </span>
      <span className={styles.fill} role="group" aria-label="Fill">
        <label>
          Fill with{' '}
          <select value={fillRating} onChange={(event) => setFillRating(event.target.value)} aria-label="Fill rating">
            {scale.map((entry) => (
              <option key={entry.rating} value={String(entry.rating)}>
                {entry.rating} {ratingLabel(scale, entry.rating)}
              </option>
            ))}
            <option value="">Clear</option>
          </select>
        </label>
        <button type="button" onClick={() => criterionId && void commands.fill({ kind: 'column', criterionId }, fillValue)}>
          Fill column
        </button>
        <button type="button" onClick={() => pupilId && void commands.fill({ kind: 'row', pupilId }, fillValue)}>
          Fill row
        </button>
      </span>
      <button type="button" onClick={() => void commands.undo()} disabled={undo.status === 'working'} aria-keyshortcuts="Control+Z">
        {undo.status === 'working' ? 'Undoing…' : 'Undo my last edit'}
      </button>
      {undo.status === 'failed' && undo.message ? (
        <span role="alert" className={styles.undoError}>
          {undo.message}
        </span>
      ) : null}
    </div>
  );
}
