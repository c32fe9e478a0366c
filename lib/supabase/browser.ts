'use client';
/**
 * The browser's typed Supabase client. Its URL and anon key come from the server at request
 * time (the root layout reads lib/env and renders <SupabaseProvider>), not from build-time
 * NEXT_PUBLIC_* values, so one build runs against any stack. `useSupabase()` gives a getter
 * (it throws outside the provider): the client is created on the getter's first call, once per
 * mount. Every caller subscribes in an effect, so the server's render never builds one; it did,
 * for nothing, on every page (auth, Realtime and storage objects: ~0.8 ms of a report page's
 * server time, specs/reports/pages.md).
 */
import { createBrowserClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import type { PublicSupabaseConfig } from '@/lib/env';
import type { Database } from './database.types';

export type BrowserSupabaseClient = SupabaseClient<Database>;

export function createSupabaseBrowserClient(config: PublicSupabaseConfig): BrowserSupabaseClient {
  return createBrowserClient<Database>(config.url, config.anonKey);
}

/** Returns the page's client, creating it on the first call. Call it in effects, not while rendering. */
export type SupabaseGetter = () => BrowserSupabaseClient;

const SupabaseContext = createContext<SupabaseGetter | null>(null);

export function SupabaseProvider({ config, children }: { config: PublicSupabaseConfig; children: ReactNode }) {
  const [getClient] = useState(() => {
    let client: BrowserSupabaseClient | undefined;
    return () => (client ??= createSupabaseBrowserClient(config));
  });
  return createElement(SupabaseContext.Provider, { value: getClient }, children);
}

export function useSupabase(): SupabaseGetter {
  const getClient = useContext(SupabaseContext);
  if (!getClient) throw new Error('useSupabase() must be used inside <SupabaseProvider>');
  return getClient;
}
