/**
 * The service-role client: bypasses RLS. Server-only — for the worker, scripts and test
 * setup, never for a user's action. Throws in a browser bundle and without the key.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { serverEnv } from '@/lib/env';
import type { Database } from './database.types';

export function createSupabaseServiceClient(
  config: { url: string; serviceRoleKey: string } | undefined = undefined,
): SupabaseClient<Database> {
  if (typeof window !== 'undefined') throw new Error('the service-role client is server-only');
  let url: string;
  let key: string;
  if (config) {
    url = config.url;
    key = config.serviceRoleKey;
  } else {
    const env = serverEnv();
    if (!env.SUPABASE_SERVICE_ROLE_KEY) throw new Error('SUPABASE_SERVICE_ROLE_KEY is not set');
    url = env.SUPABASE_URL;
    key = env.SUPABASE_SERVICE_ROLE_KEY;
  }
  return createClient<Database>(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
