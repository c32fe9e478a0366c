'use client';
/**
 * The browser's typed Supabase client. Its URL and anon key come from the server at request
 * time (the root layout reads lib/env and renders <SupabaseProvider>), not from build-time
 * NEXT_PUBLIC_* values, so one build runs against any stack. `useSupabase()` gives a getter
 * (it throws outside the provider). The client is created once per mount, in the browser only:
 * every caller subscribes in an effect, and building it in the server's render too (auth,
 * Realtime and storage objects) cost ~0.8 ms of every report page's server time for nothing.
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

/** Returns the page's client. Call it in effects: on the server there is none. */
export type SupabaseGetter = () => BrowserSupabaseClient;

const SupabaseContext = createContext<SupabaseGetter | null>(null);

export function SupabaseProvider({ config, children }: { config: PublicSupabaseConfig; children: ReactNode }) {
  const [getClient] = useState((): SupabaseGetter => {
    // Created while hydrating, as before, so auth has read the session (and handed Realtime
    // its token) by the time the first effect subscribes: created inside that effect instead,
    // channels joined without the user's token and received nothing (e2e live-reports).
    const client = typeof window === 'undefined' ? null : createSupabaseBrowserClient(config);
    return () => {
      if (!client) throw new Error('The browser Supabase client exists only in the browser: use it in effects');
      return client;
    };
  });
  return createElement(SupabaseContext.Provider, { value: getClient }, children);
}

export function useSupabase(): SupabaseGetter {
  const getClient = useContext(SupabaseContext);
  if (!getClient) throw new Error('useSupabase() must be used inside <SupabaseProvider>');
  return getClient;
}
