'use client';
/**
 * The /results/assignments store: progress rows by assignment id, refreshed by the
 * progress adapter (lib/marking/progress-realtime.ts) when feedback of one of them changes.
 * Factory + provider per page; `useProgressStore` throws outside it.
 */
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { immer } from 'zustand/middleware/immer';
import { createStore } from 'zustand/vanilla';
import type { ProgressRow } from '@/lib/marking/schemas';
import type { ConnectionStatus } from './marking-store';

export type ProgressState = {
  order: string[];
  byId: Record<string, ProgressRow>;
  connection: ConnectionStatus;
};
export type ProgressActions = {
  progressReceived(rows: ProgressRow[]): void;
  connectionChanged(status: ConnectionStatus): void;
};
export type ProgressStore = ProgressState & ProgressActions;

export function createProgressStore(rows: ProgressRow[]) {
  return createStore<ProgressStore>()(
    immer((set) => ({
      order: rows.map((row) => row.assignmentId),
      byId: Object.fromEntries(rows.map((row) => [row.assignmentId, row])),
      connection: 'connecting',
      progressReceived: (next) =>
        set((state) => {
          for (const row of next) {
            if (!state.byId[row.assignmentId]) state.order.push(row.assignmentId);
            state.byId[row.assignmentId] = row;
          }
        }),
      connectionChanged: (status) =>
        set((state) => {
          state.connection = status;
        }),
    })),
  );
}
export type ProgressStoreApi = ReturnType<typeof createProgressStore>;

export type ProgressSection = { groupName: string; unitName: string; ids: string[] };

/** Sections depend only on the order and the names; memoised so a selector returns the same array. */
const sectionCache = new WeakMap<string[], { signature: string; sections: ProgressSection[] }>();

/** Assignments grouped by group, then unit (the order the RPC returns). */
export function selectProgressSections(state: ProgressState): ProgressSection[] {
  const signature = state.order.map((id) => `${state.byId[id]!.groupName}\u0000${state.byId[id]!.unitName}`).join('\u0001');
  const cached = sectionCache.get(state.order);
  if (cached && cached.signature === signature) return cached.sections;
  const sections: ProgressSection[] = [];
  for (const id of state.order) {
    const row = state.byId[id]!;
    const last = sections[sections.length - 1];
    if (last && last.groupName === row.groupName && last.unitName === row.unitName) last.ids.push(id);
    else sections.push({ groupName: row.groupName, unitName: row.unitName, ids: [id] });
  }
  sectionCache.set(state.order, { signature, sections });
  return sections;
}

/** Cells marked, cells in the grid and the percentage, for one assignment. */
export const selectProgress = (assignmentId: string) => (state: ProgressState) => {
  const row = state.byId[assignmentId];
  if (!row) return { marked: 0, total: 0, percent: 0 };
  const total = row.pupils * row.criteria;
  return { marked: row.cellsRated, total, percent: total === 0 ? 0 : Math.round((100 * row.cellsRated) / total) };
};

const ProgressContext = createContext<ProgressStoreApi | null>(null);

export function ProgressStoreProvider({ rows, children }: { rows: ProgressRow[]; children: ReactNode }) {
  const [store] = useState(() => createProgressStore(rows));
  return createElement(ProgressContext.Provider, { value: store }, children);
}

export function useProgressStoreApi(): ProgressStoreApi {
  const store = useContext(ProgressContext);
  if (!store) throw new Error('useProgressStore() must be used inside <ProgressStoreProvider>');
  return store;
}

export function useProgressStore<T>(selector: (state: ProgressStore) => T): T {
  return useStore(useProgressStoreApi(), selector);
}
