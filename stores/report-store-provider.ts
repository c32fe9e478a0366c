'use client';
/**
 * One report store per mounted report page (never module scope: Next.js renders many users
 * in one process), connected to Realtime through lib/reports/realtime.ts for as long as
 * the page is mounted. `useReportStore(selector)` throws outside the provider.
 */
import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ActionResult } from '@/lib/action-result';
import { connectReportRealtime } from '@/lib/reports/realtime';
import { decodeSnapshot, type SnapshotWire } from '@/lib/reports/snapshot-wire';
import { snapshotWireFromJson } from '@/lib/reports/snapshot-wire-json';
import { useSupabase } from '@/lib/supabase/browser';
import { createReportStore, type GroupLevelStats, type ReportScope, type ReportStore } from './report-store';

const ReportStoreContext = createContext<StoreApi<ReportStore> | null>(null);

export function ReportStoreProvider({
  scope,
  snapshotJson,
  loadSnapshot,
  loadGroupStats,
  children,
}: {
  scope: ReportScope;
  /** The page's first snapshot: its compact wire form as JSON (lib/reports/snapshot-wire-json.ts says why a string). */
  snapshotJson: string;
  loadSnapshot: (scope: ReportScope) => Promise<ActionResult<SnapshotWire>>;
  /** /reports only: refreshes groups' aggregates after a live change (app/reports/load-group-stats.ts). */
  loadGroupStats?: (groupIds: string[]) => Promise<ActionResult<GroupLevelStats[]>>;
  children: ReactNode;
}) {
  const getSupabase = useSupabase();
  const [store] = useState(() => createReportStore(scope, decodeSnapshot(snapshotWireFromJson(snapshotJson))));
  useEffect(
    () => connectReportRealtime({ supabase: getSupabase(), store, loadSnapshot, loadGroupStats }),
    [getSupabase, store, loadSnapshot, loadGroupStats],
  );
  return createElement(ReportStoreContext.Provider, { value: store }, children);
}

export function useReportStoreApi(): StoreApi<ReportStore> {
  const store = useContext(ReportStoreContext);
  if (!store) throw new Error('useReportStore() must be used inside <ReportStoreProvider>');
  return store;
}

export function useReportStore<T>(selector: (state: ReportStore) => T): T {
  return useStore(useReportStoreApi(), selector);
}
