/**
 * The marking grid's realtime adapter: the ONLY subscriber. One channel per open
 * assignment carrying
 *   - postgres_changes on `feedback` filtered to the assignment → remoteRowReceived;
 *   - postgres_changes on `report_pupil_unit_summaries` filtered to the assignment's unit
 *     (RLS limits rows to groups the viewer may read; rows of pupils outside the grid are
 *     ignored) → remoteSummaryReceived / remoteSummaryRemoved;
 *   - presence: who is on the assignment and which pupil row each is on.
 * On every (re)subscription it refetches the snapshot (Realtime does not replay missed
 * events); events arriving meanwhile are buffered by the store and applied by version.
 * Connection state = channel state combined with the browser's online/offline events.
 */
import type { RealtimeChannel } from '@supabase/supabase-js';
import type { BrowserSupabaseClient } from '@/lib/supabase/browser';
import type { MarkingStoreApi } from '@/stores/marking-store';
import { selectFocusedPupilId } from '@/stores/marking-store';
import { fetchGridSnapshot } from './queries';
import {
  feedbackCellSchema,
  presencePayloadSchema,
  unitSummaryKeySchema,
  unitSummaryRowSchema,
  type PresencePayload,
} from './schemas';

export type MarkingRealtimeOptions = {
  supabase: BrowserSupabaseClient;
  store: MarkingStoreApi;
  /** Called after a reconnect: retry edits that failed because the markbook was unreachable. */
  onReconnected?: () => void;
};

export function connectMarkingRealtime({ supabase, store, onReconnected }: MarkingRealtimeOptions): () => void {
  const { assignment, viewer } = store.getState();
  let stopped = false;
  let subscribedOnce = false;
  let channelUp = false;
  let refetchSeq = 0;

  const refetch = async () => {
    const seq = ++refetchSeq;
    store.getState().snapshotRequested();
    const result = await fetchGridSnapshot(supabase, assignment.id);
    if (stopped || seq !== refetchSeq) return;
    if (result.ok) store.getState().snapshotLoaded(result.data);
    else setTimeout(() => void (!stopped && channelUp && refetch()), 1_000); // RETRY_SNAPSHOT_MS: the API blinked
  };

  const online = () => typeof navigator === 'undefined' || navigator.onLine;
  const publishConnection = () => {
    if (!online()) store.getState().connectionChanged('offline');
    else if (channelUp) store.getState().connectionChanged('live');
    else store.getState().connectionChanged(subscribedOnce ? 'reconnecting' : 'connecting');
  };

  const presenceFor = (): PresencePayload | null =>
    viewer ? { userId: viewer.id, name: viewer.displayName, pupilId: selectFocusedPupilId(store.getState()) } : null;

  const channel: RealtimeChannel = supabase.channel(`marking:${assignment.id}`, {
    config: { presence: { key: viewer?.id ?? '' } },
  });
  channel
    .on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'feedback', filter: `assignment_id=eq.${assignment.id}` },
      (payload) => {
        const parsed = feedbackCellSchema.safeParse(payload.new);
        if (parsed.success) store.getState().remoteRowReceived(parsed.data);
      },
    )
    .on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'report_pupil_unit_summaries', filter: `unit_id=eq.${assignment.unitId}` },
      (payload) => {
        const state = store.getState();
        if (payload.eventType === 'DELETE') {
          const key = unitSummaryKeySchema.safeParse(payload.old);
          if (key.success && state.pupils[key.data.pupil_id]) state.remoteSummaryRemoved(key.data.pupil_id);
          return;
        }
        const parsed = unitSummaryRowSchema.safeParse(payload.new);
        if (parsed.success && parsed.data.unitId === assignment.unitId && state.pupils[parsed.data.summary.pupilId]) {
          state.remoteSummaryReceived(parsed.data.summary);
        }
      },
    )
    .on('presence', { event: 'sync' }, () => {
      const markers: PresencePayload[] = [];
      for (const metas of Object.values(channel.presenceState())) {
        const latest = metas[metas.length - 1];
        const parsed = presencePayloadSchema.safeParse(latest);
        if (parsed.success) markers.push(parsed.data);
      }
      store.getState().presenceSynced(markers);
    })
    .subscribe((status) => {
      if (stopped) return;
      if (status === 'SUBSCRIBED') {
        const wasReconnect = subscribedOnce;
        channelUp = true;
        subscribedOnce = true;
        publishConnection();
        const me = presenceFor();
        if (me) void channel.track(me);
        void refetch();
        if (wasReconnect) onReconnected?.();
      } else {
        // CHANNEL_ERROR / TIMED_OUT / CLOSED: realtime-js rejoins with backoff by itself.
        channelUp = false;
        publishConnection();
      }
    });

  // Track the row the viewer is on (presence), only when it changes.
  let trackedPupil = selectFocusedPupilId(store.getState());
  const unsubscribeStore = store.subscribe((state) => {
    const pupilId = selectFocusedPupilId(state);
    if (pupilId === trackedPupil) return;
    trackedPupil = pupilId;
    const me = presenceFor();
    if (me && channelUp) void channel.track(me);
  });

  const onOnline = () => {
    publishConnection();
    if (channelUp) {
      void refetch();
      onReconnected?.();
    }
  };
  const onOffline = () => publishConnection();
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  publishConnection();

  return () => {
    stopped = true;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    unsubscribeStore();
    void supabase.removeChannel(channel);
  };
}
