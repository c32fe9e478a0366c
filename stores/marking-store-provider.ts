'use client';
/**
 * One marking store per mounted grid page (never module scope: Next.js renders many users
 * in one process). `useMarkingStore(selector)` throws outside the provider.
 */
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { GridSnapshot } from '@/lib/marking/schemas';
import { createMarkingStore, type MarkingStore, type MarkingStoreApi } from './marking-store';

const MarkingStoreContext = createContext<MarkingStoreApi | null>(null);

export function MarkingStoreProvider({ snapshot, children }: { snapshot: GridSnapshot; children: ReactNode }) {
  const [store] = useState(() => createMarkingStore(snapshot));
  return createElement(MarkingStoreContext.Provider, { value: store }, children);
}

export function useMarkingStoreApi(): MarkingStoreApi {
  const store = useContext(MarkingStoreContext);
  if (!store) throw new Error('useMarkingStore() must be used inside <MarkingStoreProvider>');
  return store;
}

export function useMarkingStore<T>(selector: (state: MarkingStore) => T): T {
  return useStore(useMarkingStoreApi(), selector);
}
