/**
 * The small vocabulary the auth tests share: a fresh supabase-js client per person, unique
 * emails, a signed-up user factory, raw GoTrue calls for wire-level assertions, and a
 * superuser `pg` connection for inspecting and arranging auth.* rows.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Session } from '@supabase/supabase-js';
import pg from 'pg';
import { inject } from 'vitest';

/** These tests touch no tables: the client is typed with an empty public schema. */
export type NoTables = {
  public: { Tables: Record<string, never>; Views: Record<string, never>; Functions: Record<string, never> };
};

export const stack = inject('stack');

export function makeClient() {
  return createClient<NoTables>(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export const DEFAULT_PASSWORD = 'correct horse battery';

export async function signUpUser(label: string, data: Record<string, unknown> = {}): Promise<{ email: string; session: Session }> {
  const email = uniqueEmail(label);
  const { data: result, error } = await makeClient().auth.signUp({ email, password: DEFAULT_PASSWORD, options: { data } });
  if (error || !result.session) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { email, session: result.session };
}

export async function withPgClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A raw call to /auth/v1, for asserting status codes, headers and body shapes. */
export async function callAuth(
  path: string,
  init: { method?: string; body?: unknown; bearer?: string; apiVersion?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { apikey: stack.anonKey, 'Content-Type': 'application/json' };
  if (init.apiVersion !== null) headers['X-Supabase-Api-Version'] = init.apiVersion ?? '2024-01-01';
  if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`;
  const response = await fetch(`${stack.apiUrl}/auth/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}
