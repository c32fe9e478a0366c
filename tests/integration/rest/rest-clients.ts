/**
 * Clients for the REST tests: anon, service role and a signed-in user — either a JWT minted
 * with the stack's HS256 secret (accepted as tokens issued before signing keys are), or a
 * real ES256 session from the stack's Auth server. The clients are untyped on purpose: these
 * tests probe the wire protocol with selects a generated `Database` type would reject.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { inject } from 'vitest';

export const ALICE = '00000000-0000-4000-8000-000000000001';
export const BOB = '00000000-0000-4000-8000-000000000002';

const stack = inject('stack');

export const restUrl = `${stack.apiUrl}/rest/v1`;
export const anonKey = stack.anonKey;

function client(key: string, accessToken?: string): SupabaseClient {
  return createClient(stack.apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(accessToken ? { global: { headers: { Authorization: `Bearer ${accessToken}` } } } : {}),
  });
}

export function anonClient(): SupabaseClient {
  return client(stack.anonKey);
}

export function serviceClient(): SupabaseClient {
  return client(stack.serviceRoleKey);
}

export async function userToken(sub: string, expiresInSeconds = 3600): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(stack.jwtSecret));
}

export async function userClient(sub: string): Promise<SupabaseClient> {
  return client(stack.anonKey, await userToken(sub));
}

/** A client for a new user signed up through Auth, holding its ES256 session token. */
export async function sessionClient(label: string): Promise<{ client: SupabaseClient; userId: string; accessToken: string }> {
  const email = `${uniqueName(label)}@example.test`;
  const { data, error } = await anonClient().auth.signUp({ email, password: 'correct horse battery' });
  if (error || !data.session) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  const accessToken = data.session.access_token;
  return { client: client(stack.anonKey, accessToken), userId: data.session.user.id, accessToken };
}

/** A name no other test uses, so tests sharing one database own their rows. */
export function uniqueName(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Raw fetch for headers and status codes supabase-js does not surface. */
export async function rawRest(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = init.key === undefined ? stack.anonKey : init.key;
  if (key !== null) headers.set('apikey', key);
  return fetch(`${restUrl}${path}`, { ...init, headers });
}
