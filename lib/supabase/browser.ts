'use client';
/**
 * The browser's typed Supabase client. Its URL and anon key come from the server at request
 * time (the root layout reads lib/env and renders <SupabaseProvider>), not from build-time
 * NEXT_PUBLIC_* values, so one build runs against any stack. The provider creates the
 * client once per mount; `useSupabase()` throws outside it.
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

const SupabaseContext = createContext<BrowserSupabaseClient | null>(null);

export function SupabaseProvider({ config, children }: { config: PublicSupabaseConfig; children: ReactNode }) {
  const [client] = useState(() => createSupabaseBrowserClient(config));
  return createElement(SupabaseContext.Provider, { value: client }, children);
}

export function useSupabase(): BrowserSupabaseClient {
  const client = useContext(SupabaseContext);
  if (!client) throw new Error('useSupabase() must be used inside <SupabaseProvider>');
  return client;
}
