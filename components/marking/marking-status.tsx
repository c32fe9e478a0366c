'use client';
/** Connection (live / reconnecting / offline), unsent edits, and who else is marking where. */
import { useShallow } from 'zustand/react/shallow';
import { selectMarkers, selectPendingCount } from '@/stores/marking-store';
import { useMarkingStore } from '@/stores/marking-store-provider';
import styles from './marking-grid.module.css';

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: your edits are kept and sent when you reconnect',
} as const;

export function MarkingStatus() {
  const connection = useMarkingStore((state) => state.connection);
  const pending = useMarkingStore(selectPendingCount);
  const markers = useMarkingStore(useShallow(selectMarkers));
  const pupils = useMarkingStore((state) => state.pupils);
  return (
    <div className={styles.status}>
      <span className={`${styles.connection} ${styles[`connection_${connection}`]}`} role="status" data-testid="connection" data-state={connection}>
        {CONNECTION_TEXT[connection]}
      </span>
      <span role="status" data-testid="save-state">
        {pending > 0 ? `Saving ${pending} ${pending === 1 ? 'mark' : 'marks'}…` : 'All marks saved'}
      </span>
      <span className={styles.presence} data-testid="presence" aria-label="Also marking this assignment">
        {markers.length === 0
          ? 'Nobody else is marking this assignment'
          : markers.map((marker) => {
              const pupil = marker.pupilId ? pupils[marker.pupilId] : undefined;
              return (
                <span key={marker.userId} className={styles.presenceItem} data-testid="marker">
                  <span className={styles.avatar}>{marker.initials}</span> {marker.name}
                  {pupil ? ` on ${pupil.firstName} ${pupil.lastName}` : ''}
                </span>
              );
            })}
      </span>
    </div>
  );
}
