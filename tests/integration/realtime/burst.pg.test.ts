/**
 * Order and completeness: 2,000 changes in 200 transactions reach each of 20 subscribers
 * (each its own connection and RLS identity) complete and in commit order.
 */
import { randomUUID } from 'node:crypto';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { afterAll, expect, test } from 'vitest';
import { closeAllClients, closeDb, Collector, db, makeClient, mintUserToken, subscribed, uniqueName } from './realtime-kit';

const SUBSCRIBERS = 20;
const TRANSACTIONS = 200;
const ROWS_PER_TRANSACTION = 10;

afterAll(async () => {
  await closeAllClients();
  await closeDb();
});

test('a burst of 2,000 changes in 200 transactions arrives complete and ordered at 20 subscribers', async () => {
  const owner = randomUUID();
  const collectors: Array<Collector<number>> = [];
  for (let index = 0; index < SUBSCRIBERS; index += 1) {
    // A distinct session per subscriber, so every one gets its own RLS check.
    const client = await makeClient({ token: await mintUserToken(owner, { extra: { session_id: randomUUID() } }), vsn: index % 2 ? '1.0.0' : '2.0.0' });
    const collector = new Collector<number>();
    collectors.push(collector);
    await subscribed(
      client
        .channel(uniqueName('burst'))
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'burst' }, (change: RealtimePostgresChangesPayload<{ id: number }>) =>
          collector.push((change.new as { id: number }).id),
        ),
    );
  }
  const stranger = await makeClient({ token: await mintUserToken(randomUUID()) });
  const strangerSaw = new Collector<unknown>();
  await subscribed(stranger.channel(uniqueName('stranger')).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'burst' }, strangerSaw.push));

  const client = await db().connect();
  try {
    for (let batch = 0; batch < TRANSACTIONS; batch += 1) {
      await client.query('begin');
      await client.query(
        `insert into public.burst (id, batch, owner_id) select $1::int * 100 + g, $1::int, $2 from generate_series(1, $3::int) g`,
        [batch, owner, ROWS_PER_TRANSACTION],
      );
      await client.query('commit');
    }
  } finally {
    client.release();
  }
  const expected = Array.from({ length: TRANSACTIONS }, (_, batch) => Array.from({ length: ROWS_PER_TRANSACTION }, (_, row) => batch * 100 + row + 1)).flat();
  for (const collector of collectors) {
    await collector.waitForCount(expected.length, 60_000);
    expect(collector.items).toEqual(expected);
  }
  expect(strangerSaw.items).toEqual([]);
});
