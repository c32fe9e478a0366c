/** The rating scale's colours with their numbers and words (colour is never the only signal). */
import type { RatingScale } from '@/lib/marking/schemas';
import styles from './marking-grid.module.css';

export function RatingLegend({ scale }: { scale: RatingScale }) {
  return (
    <ul className={styles.legend} aria-label="Rating scale">
      {scale.map((entry) => (
        <li key={entry.rating} className={`${styles.legendItem} ${styles[`rating${entry.rating}`]}`}>
          <strong>{entry.rating}</strong> {entry.label}
        </li>
      ))}
      <li className={`${styles.legendItem} ${styles.ratingNone}`}>
        <strong>–</strong> Not marked
      </li>
      <li className={styles.legendItem}>
        <span aria-hidden="true">…</span> saving · <span aria-hidden="true">!</span> not saved
      </li>
    </ul>
  );
}
