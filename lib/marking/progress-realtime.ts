/**
 * The /results/assignments adapter: one channel with postgres_changes on `feedback` for
 * the listed assignments (in-filters of at most 100 ids each, Realtime's limit); a change
 * refreshes that assignment's progress through one RPC, coalesced over a short window so
 * a bulk fill costs one read. Every (re)subscription refetches all rows.
 */
import type { BrowserSupabaseClient } from '@/lib/supabase/browser';
import type { ProgressStoreApi } from '@/stores/marking-store-progress';
import { fetchMarkingProgress } from './queries';
import { z } from 'zod';

const IN_FILTER_MAX = 100; // Realtime's limit on values in an `in` filter
const COALESCE_MS = 150; // one refresh per burst of events (a fill writes up to 3,000 rows)
const changedRowSchema = z.object({ assignment_id: z.guid() });

export function connectProgressRealtime(supabase: BrowserSupabaseClient, store: ProgressStoreApi): () => void {
  const ids = store.getState().order;
  let stopped = false;
  let subscribedOnce = false;
  const touched = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refresh = async (only?: string[]) => {
    const result = await fetchMarkingProgress(supabase, only);
    if (!stopped && result.ok) store.getState().progressReceived(result.data);
  };
  const flush = () => {
    timer = undefined;
    const batch = [...touched];
    touched.clear();
    if (batch.length) void refresh(batch);
  };

  const channel = supabase.channel('marking-progress');
  for (let start = 0; start < ids.length; start += IN_FILTER_MAX) {
    const chunk = ids.slice(start, start + IN_FILTER_MAX);
    channel.on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'feedback', filter: `assignment_id=in.(${chunk.join(',')})` },
      (payload) => {
        const parsed = changedRowSchema.safeParse(payload.new);
        if (!parsed.success) return;
        touched.add(parsed.data.assignment_id);
        timer ??= setTimeout(flush, COALESCE_MS);
      },
    );
  }
  let channelUp = false;
  channel.subscribe((status) => {
    if (stopped) return;
    channelUp = status === 'SUBSCRIBED';
    if (status === 'SUBSCRIBED') {
      store.getState().connectionChanged(navigator.onLine ? 'live' : 'offline');
      void refresh(); // on every (re)subscription: nothing missed since the last read
      subscribedOnce = true;
    } else {
      store.getState().connectionChanged(subscribedOnce ? 'reconnecting' : 'connecting');
    }
  });
  const onOffline = () => store.getState().connectionChanged('offline');
  const onOnline = () => {
    store.getState().connectionChanged(channelUp ? 'live' : 'reconnecting');
    if (channelUp) void refresh(); // whatever changed while the browser was offline
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    void supabase.removeChannel(channel);
  };
}
