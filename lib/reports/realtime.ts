/**
 * The report pages' realtime adapter: the ONLY subscriber and the only caller of the
 * report store's remote…, snapshot… and connection… actions. One channel per open page with
 * postgres_changes on
 *   - report_pupil_unit_summaries → remoteUnitRowReceived / remoteUnitRowDeleted,
 *   - report_pupil_summary        → remotePupilSummaryReceived / …Deleted (recalculating),
 *   - report_pupil_feedback_cache → remoteCriterionReceived / …Deleted (pupil page only),
 *   - feedback                    → remoteFeedbackReceived (feedback newer than the cache).
 * A group or pupil page filters every binding by `pupil_id=in.(…)` in chunks of at most
 * 100 ids (the Realtime filter limit); /reports listens unfiltered and RLS limits the rows
 * to what the viewer may read. Realtime does not replay: on every (re)subscription it
 * refetches the snapshot (through the server so REPORTS_SOURCE applies); events arriving
 * meanwhile are applied by version and kept over the older snapshot by the store.
 * /reports keeps no unit rows: its groups table is the database's per-group aggregates, so a
 * unit-row change there schedules a refresh of the groups the row counts in (debounced, one
 * call per burst; never overlapping a snapshot refetch, and older than it never applied).
 */
import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { z } from 'zod';
import type { StoreApi } from 'zustand/vanilla';
import type { ActionResult } from '@/lib/action-result';
import type { BrowserSupabaseClient } from '@/lib/supabase/browser';
import type { GroupLevelStats, ReportScope, ReportSnapshot, ReportStore } from '@/stores/report-store';
import { GROUP_STATS_REFRESH_MAX } from './group-stats-refresh';
import { decodeSnapshot, type SnapshotWire } from './snapshot-wire';
import {
  criterionCacheRowSchema,
  feedbackVersionSchema,
  pupilSummaryRowSchema,
  unitSummaryRowSchema,
} from './report-page-rows';

/** postgres_changes `in` filters accept at most 100 values. */
export const REALTIME_IN_FILTER_MAX = 100;
/** After a failed snapshot refetch, try again this much later (the API blinked). */
const RETRY_SNAPSHOT_MS = 1_000;
/** /reports: changes within this window refresh their groups' aggregates in one call. */
const GROUP_STATS_DEBOUNCE_MS = 250;

export type ReportRealtimeOptions = {
  supabase: BrowserSupabaseClient;
  store: StoreApi<ReportStore>;
  /** The server action that refetches a snapshot (in its wire form, lib/reports/snapshot-wire.ts). */
  loadSnapshot: (scope: ReportScope) => Promise<ActionResult<SnapshotWire>>;
  /** /reports: the server action that refreshes some groups' aggregates after a live change. */
  loadGroupStats?: (groupIds: string[]) => Promise<ActionResult<GroupLevelStats[]>>;
};

/** The `filter` strings for a scope: undefined = unfiltered (RLS only). */
export function pupilFilters(scope: ReportScope, pupilIds: string[]): (string | undefined)[] {
  if (scope.kind === 'overview') return [undefined];
  if (scope.kind === 'pupil') return [`pupil_id=eq.${scope.pupilId}`];
  const chunks: string[] = [];
  for (let i = 0; i < pupilIds.length; i += REALTIME_IN_FILTER_MAX) {
    chunks.push(`pupil_id=in.(${pupilIds.slice(i, i + REALTIME_IN_FILTER_MAX).join(',')})`);
  }
  return chunks.length > 0 ? chunks : [`pupil_id=in.(00000000-0000-0000-0000-000000000000)`];
}

type Payload = RealtimePostgresChangesPayload<Record<string, unknown>>;

/** The groups a cached unit row counts in, from either side of a change (a delete has only `old`). */
const unitRowGroupsSchema = z.object({ group_ids: z.array(z.guid()) });

/** A snapshot that does not decode counts as a failed refetch (retried), never a crash. */
function decodeOrNull(wire: SnapshotWire): ReportSnapshot | null {
  try {
    return decodeSnapshot(wire);
  } catch {
    return null;
  }
}

export function connectReportRealtime({ supabase, store, loadSnapshot, loadGroupStats }: ReportRealtimeOptions): () => void {
  const { scope } = store.getState();
  let stopped = false;
  let channelUp = false;
  let refetchSeq = 0;
  let snapshotInFlight = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const stats = { pending: new Set<string>(), timer: undefined as ReturnType<typeof setTimeout> | undefined, epoch: 0 };

  const refetch = async () => {
    const seq = ++refetchSeq;
    snapshotInFlight = true;
    // The snapshot brings every group's aggregates: a refresh requested before it is older.
    stats.epoch += 1;
    store.getState().snapshotRequested();
    const result = await loadSnapshot(scope).catch(() => null);
    if (stopped || seq !== refetchSeq) return;
    snapshotInFlight = false;
    const snapshot = result?.ok ? decodeOrNull(result.data) : null;
    if (snapshot) {
      store.getState().snapshotLoaded(snapshot);
      if (!channelUp) store.getState().connectionLost();
      // Changes that arrived while it loaded may be newer than it: refresh their groups now.
      if (stats.pending.size > 0) scheduleGroupStats([]);
      return;
    }
    store.getState().snapshotFailed();
    retryTimer = setTimeout(() => void (!stopped && channelUp && refetch()), RETRY_SNAPSHOT_MS);
  };

  const refreshGroupStats = async () => {
    stats.timer = undefined;
    if (stopped || !loadGroupStats || stats.pending.size === 0) return;
    // A refresh never overlaps a snapshot load: it waits for it (see refetch).
    if (snapshotInFlight) return;
    const groupIds = [...stats.pending];
    stats.pending.clear();
    // Too many groups for one refresh (a rebuild touched them all): the snapshot has them all.
    if (groupIds.length > GROUP_STATS_REFRESH_MAX) {
      void refetch();
      return;
    }
    const epoch = stats.epoch;
    const result = await loadGroupStats(groupIds).catch(() => null);
    if (stopped || epoch !== stats.epoch) return;
    if (result?.ok) {
      store.getState().groupStatsLoaded(groupIds, result.data);
      return;
    }
    // The API blinked: ask again for these groups a little later.
    scheduleGroupStats(groupIds, RETRY_SNAPSHOT_MS);
  };

  function scheduleGroupStats(groupIds: string[], delayMs = GROUP_STATS_DEBOUNCE_MS): void {
    for (const groupId of groupIds) stats.pending.add(groupId);
    if (stats.timer === undefined) stats.timer = setTimeout(() => void refreshGroupStats(), delayMs);
  }

  const onUnitRow = (payload: Payload) => {
    if (scope.kind === 'overview') {
      const changed = [payload.new, payload.old].flatMap((row) => unitRowGroupsSchema.safeParse(row).data?.group_ids ?? []);
      scheduleGroupStats(changed);
      return;
    }
    const state = store.getState();
    if (payload.eventType === 'DELETE') {
      const old = unitSummaryRowSchema.safeParse(payload.old);
      if (old.success) state.remoteUnitRowDeleted(old.data);
      return;
    }
    const row = unitSummaryRowSchema.safeParse(payload.new);
    if (row.success) state.remoteUnitRowReceived(row.data);
  };
  const onSummary = (payload: Payload) => {
    const state = store.getState();
    if (payload.eventType === 'DELETE') {
      const old = pupilSummaryRowSchema.safeParse(payload.old);
      if (old.success) state.remotePupilSummaryDeleted(old.data);
      return;
    }
    const row = pupilSummaryRowSchema.safeParse(payload.new);
    if (row.success) state.remotePupilSummaryReceived(row.data);
  };
  const onCriterion = (payload: Payload) => {
    const state = store.getState();
    if (payload.eventType === 'DELETE') {
      const old = criterionCacheRowSchema.safeParse(payload.old);
      if (old.success) state.remoteCriterionDeleted(old.data);
      return;
    }
    const row = criterionCacheRowSchema.safeParse(payload.new);
    if (row.success) state.remoteCriterionReceived(row.data);
  };
  const onFeedback = (payload: Payload) => {
    const row = feedbackVersionSchema.safeParse(payload.new);
    if (row.success) store.getState().remoteFeedbackReceived(row.data);
  };

  const topic = scope.kind === 'overview' ? 'reports' : scope.kind === 'group' ? `reports:group:${scope.groupId}` : `reports:pupil:${scope.pupilId}`;
  const channel: RealtimeChannel = supabase.channel(topic);
  const tables: [string, (payload: Payload) => void][] = [
    ['report_pupil_unit_summaries', onUnitRow],
    ['report_pupil_summary', onSummary],
    ['feedback', onFeedback],
  ];
  if (scope.kind === 'pupil') tables.push(['report_pupil_feedback_cache', onCriterion]);
  for (const filter of pupilFilters(scope, Object.keys(store.getState().pupils))) {
    for (const [table, handler] of tables) {
      channel.on('postgres_changes', { event: '*', schema: 'public', table, ...(filter ? { filter } : {}) }, handler);
    }
  }
  channel.subscribe((status) => {
    if (stopped) return;
    if (status === 'SUBSCRIBED') {
      channelUp = true;
      void refetch();
    } else {
      // CHANNEL_ERROR / TIMED_OUT / CLOSED: realtime-js rejoins with backoff by itself.
      channelUp = false;
      store.getState().connectionLost();
    }
  });

  const onOffline = () => store.getState().connectionClosed();
  const onOnline = () => {
    if (channelUp) void refetch();
    else store.getState().connectionLost();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(stats.timer);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    void supabase.removeChannel(channel);
  };
}
