/**
 * The /reports side of the realtime adapter: a cached unit-row change refreshes the
 * aggregates of the groups it counts in — debounced into one call per burst, never while a
 * snapshot loads, never applied when a snapshot was requested after it, and replaced by one
 * snapshot refetch when a burst touches more groups than a refresh may name. A fake channel
 * stands in for realtime-js; the real store applies the results.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActionResult } from '@/lib/action-result';
import type { BrowserSupabaseClient } from '@/lib/supabase/browser';
import { createReportStore, type GroupLevelStats, type ReportSnapshot } from '@/stores/report-store';
import { GROUP_STATS_REFRESH_MAX } from './group-stats-refresh';
import { connectReportRealtime } from './realtime';
import { encodeSnapshot, type SnapshotWire } from './snapshot-wire';

const G1 = '10000000-0000-4000-8000-000000000001';
const G2 = '10000000-0000-4000-8000-000000000002';

type Handler = (payload: Record<string, unknown>) => void;

/** realtime-js's channel as the adapter uses it: on(), subscribe(status callback). */
function fakeSupabase() {
  const handlers = new Map<string, Handler[]>();
  let onStatus: ((status: string) => void) | undefined;
  const channel = {
    on(_type: string, filter: { table: string }, handler: Handler) {
      handlers.set(filter.table, [...(handlers.get(filter.table) ?? []), handler]);
      return channel;
    },
    subscribe(callback: (status: string) => void) {
      onStatus = callback;
      return channel;
    },
  };
  const supabase = { channel: () => channel, removeChannel: async () => 'ok' } as unknown as BrowserSupabaseClient;
  return {
    supabase,
    subscribed: () => onStatus?.('SUBSCRIBED'),
    unitRowChanged: (groupIds: string[]) => {
      for (const handler of handlers.get('report_pupil_unit_summaries') ?? []) handler({ eventType: 'UPDATE', new: { group_ids: groupIds }, old: {} });
    },
  };
}

const emptySnapshot = (groupStats: GroupLevelStats[] = []): ReportSnapshot => ({
  bands: [], groups: [], units: [], assignments: [], criteria: [], pupils: [], unitRows: [], criterionRows: [], groupStats,
});
const stats = (groupId: string, rowsCounted: number): GroupLevelStats => ({ groupId, workingLevel: 'secure', rowsCounted, criteriaRated: rowsCounted, weightedHundredths: 200 * rowsCounted });

/** A promise the test resolves by hand, to hold an action "in flight". */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('window', { addEventListener: () => undefined, removeEventListener: () => undefined });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the /reports overview refreshes group aggregates after live changes', () => {
  it('a burst of changes is one refresh of the groups they touched, applied to the store', async () => {
    const fake = fakeSupabase();
    const store = createReportStore({ kind: 'overview' }, emptySnapshot([stats(G1, 1)]));
    const loadSnapshot = vi.fn(async (): Promise<ActionResult<SnapshotWire>> => ({ ok: true, data: encodeSnapshot(emptySnapshot([stats(G1, 1)])) }));
    const loadGroupStats = vi.fn(async (groupIds: string[]): Promise<ActionResult<GroupLevelStats[]>> => ({ ok: true, data: groupIds.map((id) => stats(id, 5)) }));
    const stop = connectReportRealtime({ supabase: fake.supabase, store, loadSnapshot, loadGroupStats });
    fake.subscribed();
    await vi.runAllTimersAsync();

    fake.unitRowChanged([G1]);
    fake.unitRowChanged([G1, G2]);
    fake.unitRowChanged([G2]);
    expect(loadGroupStats).not.toHaveBeenCalled(); // debounced
    await vi.runAllTimersAsync();
    expect(loadGroupStats).toHaveBeenCalledTimes(1);
    expect(new Set(loadGroupStats.mock.calls[0]![0])).toEqual(new Set([G1, G2]));
    expect(store.getState().groupStats[G1]?.[0]?.rowsCounted).toBe(5);
    expect(store.getState().groupStats[G2]?.[0]?.rowsCounted).toBe(5);
    expect(store.getState().unitRows).toEqual({}); // the overview keeps no rows
    stop();
  });

  it('waits for a snapshot in flight, and drops a refresh answered after a newer snapshot was asked for', async () => {
    const fake = fakeSupabase();
    const store = createReportStore({ kind: 'overview' }, emptySnapshot());
    const snapshotAnswer = deferred<ActionResult<SnapshotWire>>();
    const loadSnapshot = vi.fn(() => snapshotAnswer.promise);
    const statsAnswer = deferred<ActionResult<GroupLevelStats[]>>();
    const loadGroupStats = vi.fn(() => statsAnswer.promise);
    const stop = connectReportRealtime({ supabase: fake.supabase, store, loadSnapshot, loadGroupStats });

    fake.subscribed(); // snapshot requested, not answered yet
    fake.unitRowChanged([G1]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loadGroupStats).not.toHaveBeenCalled(); // held back while the snapshot loads

    snapshotAnswer.resolve({ ok: true, data: encodeSnapshot(emptySnapshot([stats(G1, 1)])) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loadGroupStats).toHaveBeenCalledTimes(1); // then refreshed, the change may be newer

    // A resubscription asks for a new snapshot while that refresh is still out: the refresh is older.
    loadSnapshot.mockResolvedValueOnce({ ok: true, data: encodeSnapshot(emptySnapshot([stats(G1, 7)])) });
    fake.subscribed();
    await vi.advanceTimersByTimeAsync(0);
    statsAnswer.resolve({ ok: true, data: [stats(G1, 3)] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().groupStats[G1]?.[0]?.rowsCounted).toBe(7);
    stop();
  });

  it('more groups than one refresh may name: one snapshot refetch instead', async () => {
    const fake = fakeSupabase();
    const store = createReportStore({ kind: 'overview' }, emptySnapshot());
    const loadSnapshot = vi.fn(async (): Promise<ActionResult<SnapshotWire>> => ({ ok: true, data: encodeSnapshot(emptySnapshot()) }));
    const loadGroupStats = vi.fn(async (): Promise<ActionResult<GroupLevelStats[]>> => ({ ok: true, data: [] }));
    const stop = connectReportRealtime({ supabase: fake.supabase, store, loadSnapshot, loadGroupStats });
    fake.subscribed();
    await vi.runAllTimersAsync();
    expect(loadSnapshot).toHaveBeenCalledTimes(1);

    const many = Array.from({ length: GROUP_STATS_REFRESH_MAX + 1 }, (_, i) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    fake.unitRowChanged(many);
    await vi.runAllTimersAsync();
    expect(loadGroupStats).not.toHaveBeenCalled();
    expect(loadSnapshot).toHaveBeenCalledTimes(2);
    stop();
  });
});
