/**
 * Reconnect: a stack of its own is stopped and started again on the same data folder and
 * port while a client is subscribed; realtime-js reconnects and re-joins by itself, and
 * events after the re-join arrive.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { findFreePort } from '@/supabase-local/free-port';
import { startStack, type RunningStack } from '@/supabase-local/stack';
import { makeTempDataDir } from '../../support/stack-process';
import { Collector } from './realtime-kit';

const ROOT = resolve(import.meta.dirname, '../../..');
let running: RunningStack | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await running?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(port: number, fresh: boolean): Promise<RunningStack> {
  return startStack({
    port,
    dbPort: 0,
    dataDir: dataDir!,
    migrationsDir: resolve(ROOT, 'tests/fixtures/realtime-migrations'),
    seedFile: null,
    fresh,
    configPath: resolve(ROOT, 'supabase/config.toml'),
    log: () => {},
  });
}

async function insertItem(dbUrl: string, id: number): Promise<void> {
  const client = new pg.Client({ connectionString: dbUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`insert into public.open_items (id, label) values ($1, 'r')`, [id]);
  } finally {
    await client.end();
  }
}

test('realtime-js reconnects and re-joins after the server restarts', async () => {
  dataDir = await makeTempDataDir('realtime-reconnect');
  const port = await findFreePort();
  running = await start(port, true);
  const client = createClient(running.apiUrl, running.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const changes = new Collector<number>();
  const statuses = new Collector<string>();
  const channel = client
    .channel('reconnect')
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'open_items' }, (change: RealtimePostgresChangesPayload<{ id: number }>) =>
      changes.push((change.new as { id: number }).id),
    );
  channel.subscribe((status) => statuses.push(status));
  await statuses.waitFor((items) => items.includes('SUBSCRIBED'), 15_000);
  await insertItem(running.dbUrl, 1);
  await changes.waitForCount(1);

  await running.stop();
  running = await start(port, false);
  // realtime-js retries after 1 s, 2 s, 5 s…; the rejoin shows as a second SUBSCRIBED.
  await statuses.waitFor((items) => items.filter((status) => status === 'SUBSCRIBED').length >= 2, 30_000);
  await insertItem(running.dbUrl, 2);
  await changes.waitFor((items) => items.includes(2), 10_000);
  expect(changes.items).toEqual([1, 2]);
  await client.removeAllChannels();
  await client.realtime.disconnect();
}, 90_000);
