'use client';
/** The live connection, in words (never colour alone): figures may be stale when not live. */
import { useReportStore } from '@/stores/report-store-provider';
import { selectConnection } from '@/stores/report-store-selectors';
import styles from './reports.module.css';

const TEXT = {
  connecting: 'Connecting…',
  live: 'Live — updates as teachers mark',
  reconnecting: 'Reconnecting — showing the last figures received',
  offline: 'Offline — figures may be out of date',
} as const;

export function ConnectionStatus() {
  const connection = useReportStore(selectConnection);
  return (
    <p role="status" className={styles.connection} data-state={connection} data-testid="connection-status">
      <span aria-hidden="true" className={styles.connectionDot} />
      {TEXT[connection]}
    </p>
  );
}
