/**
 * The vocabulary of the realtime integration tests: clients per person (anon or a minted
 * user JWT, either serializer), a promise for SUBSCRIBED, event collectors that wait with
 * timeouts (no sleeps), and superuser writes through `pg`.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import { inject } from 'vitest';
import WebSocket from 'ws';

export const stack = () => inject('stack');

export type Vsn = '1.0.0' | '2.0.0';

export async function mintUserToken(sub: string, options: { expiresInS?: number; extra?: Record<string, unknown>; role?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: options.role ?? 'authenticated', aud: 'authenticated', ...options.extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInS ?? 3600))
    .sign(new TextEncoder().encode(stack().jwtSecret));
}

const openClients: SupabaseClient[] = [];

/** A client for one person: anon, or signed in with `token`. */
export async function makeClient(options: { token?: string; vsn?: Vsn; key?: string } = {}): Promise<SupabaseClient> {
  const { apiUrl, anonKey } = stack();
  const client = createClient(apiUrl, options.key ?? anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket, ...(options.vsn ? { vsn: options.vsn } : {}) },
  });
  if (options.token) await client.realtime.setAuth(options.token);
  openClients.push(client);
  return client;
}

export async function closeAllClients(): Promise<void> {
  const clients = openClients.splice(0);
  await Promise.all(clients.map(async (client) => {
    await client.removeAllChannels();
    await client.realtime.disconnect();
  }));
}

export const SUBSCRIBE_TIMEOUT_MS = 15_000;

export function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${channel.topic} not subscribed in time`)), SUBSCRIBE_TIMEOUT_MS);
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve(channel);
      } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
        clearTimeout(timer);
        reject(error ?? new Error(`${channel.topic}: ${status}`));
      }
    });
  });
}

/** Collects values and lets a test wait for a condition on them, with a timeout. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  push = (item: T): void => {
    this.items.push(item);
    for (const waiter of this.waiters.splice(0)) waiter();
  };

  async waitFor(predicate: (items: T[]) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}; have ${this.items.length}: ${JSON.stringify(this.items).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }

  waitForCount(count: number, timeoutMs = 10_000): Promise<T[]> {
    return this.waitFor((items) => items.length >= count, timeoutMs, `${count} items`);
  }
}

export function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

let pool: pg.Pool | undefined;

export function db(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: stack().dbUrl, max: 4 });
    pool.on('error', () => {});
  }
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

let nextId = Math.floor(Math.random() * 1_000_000) * 100;
/** Distinct integer ids per test file, so files sharing the stack never collide. */
export function freshId(): number {
  nextId += 1;
  return nextId;
}
