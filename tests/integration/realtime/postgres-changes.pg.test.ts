/**
 * postgres_changes through supabase-js: each event type, each filter operator, both
 * serializers, payload shapes field by field and value typing.
 */
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { closeAllClients, closeDb, Collector, db, freshId, makeClient, subscribed, uniqueName, type Vsn } from './realtime-kit';

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;

afterEach(closeAllClients);
afterAll(closeDb);

async function watch(vsn: Vsn, binding: { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; table?: string; filter?: string }) {
  const client = await makeClient({ key: (await import('./realtime-kit')).stack().serviceRoleKey, vsn });
  const changes = new Collector<Change>();
  const channel = client.channel(uniqueName('pg')).on('postgres_changes', { schema: 'public', ...binding }, changes.push);
  await subscribed(channel);
  return changes;
}

describe.each(['2.0.0', '1.0.0'] as const)('postgres_changes over vsn %s', (vsn) => {
  test('INSERT, UPDATE and DELETE arrive with Supabase payload shapes and typed values', async () => {
    const changes = await watch(vsn, { event: '*', table: 'open_items' });
    const id = freshId();
    await db().query(`insert into public.open_items (id, label, qty, price, flag, meta, created_at) values ($1, 'a', 3, 12.5, true, '{"k":[1,2]}', '2026-01-02T03:04:05.123456Z')`, [id]);
    await db().query(`update public.open_items set qty = 4 where id = $1`, [id]);
    await db().query(`delete from public.open_items where id = $1`, [id]);
    const [insert, update, remove] = await changes.waitForCount(3);

    expect(insert).toEqual({
      schema: 'public',
      table: 'open_items',
      commit_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventType: 'INSERT',
      new: { id, label: 'a', qty: 3, price: 12.5, flag: true, meta: { k: [1, 2] }, created_at: '2026-01-02T03:04:05.123456+00:00' },
      old: {},
      errors: null,
    });
    expect(Math.abs(Date.parse(insert!.commit_timestamp) - Date.now())).toBeLessThan(60_000);
    expect(update).toMatchObject({ eventType: 'UPDATE', new: { id, qty: 4, label: 'a' }, old: { id } });
    expect(Object.keys(update!.old)).toEqual(['id']);
    expect(remove).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } });
  });

  test('each event binding receives only its event', async () => {
    const inserts = await watch(vsn, { event: 'INSERT', table: 'open_items' });
    const deletes = await watch(vsn, { event: 'DELETE', table: 'open_items' });
    const id = freshId();
    await db().query(`insert into public.open_items (id, label) values ($1, 'x')`, [id]);
    await db().query(`update public.open_items set label = 'y' where id = $1`, [id]);
    await db().query(`delete from public.open_items where id = $1`, [id]);
    await deletes.waitForCount(1);
    await inserts.waitForCount(1);
    expect(inserts.items.map((change) => change.eventType)).toEqual(['INSERT']);
    expect(deletes.items.map((change) => change.eventType)).toEqual(['DELETE']);
  });
});

describe('filters', () => {
  const cases: Array<[string, (base: number) => string, (base: number) => number[]]> = [
    ['eq', (base) => `id=eq.${base + 2}`, (base) => [base + 2]],
    ['neq', (base) => `id=neq.${base + 2}`, (base) => [base + 1, base + 3]],
    ['lt', (base) => `id=lt.${base + 2}`, (base) => [base + 1]],
    ['lte', (base) => `id=lte.${base + 2}`, (base) => [base + 1, base + 2]],
    ['gt', (base) => `id=gt.${base + 2}`, (base) => [base + 3]],
    ['gte', (base) => `id=gte.${base + 2}`, (base) => [base + 2, base + 3]],
    ['in', (base) => `id=in.(${base + 1},${base + 3})`, (base) => [base + 1, base + 3]],
  ];
  test.each(cases)('%s', async (_op, filter, expected) => {
    const base = freshId() * 10;
    const changes = await watch('2.0.0', { event: 'INSERT', table: 'open_items', filter: filter(base) });
    const everything = await watch('2.0.0', { event: 'INSERT', table: 'open_items', filter: `id=gte.${base + 1}` });
    await db().query(`insert into public.open_items (id, label) select g, 'f' from generate_series($1::int, $2::int) g`, [base + 1, base + 3]);
    await everything.waitForCount(3);
    // Events go out in commit order to every socket; the filtered one has had its turn.
    await changes.waitFor((items) => items.length >= expected(base).length);
    expect(changes.items.map((change) => (change.new as Row).id)).toEqual(expected(base));
  });

  test('a text filter and a whole-schema subscription', async () => {
    const label = uniqueName('lbl');
    const byLabel = await watch('2.0.0', { event: 'INSERT', table: 'open_items', filter: `label=eq.${label}` });
    const client = await makeClient({ key: (await import('./realtime-kit')).stack().serviceRoleKey });
    const schemaWide = new Collector<Change>();
    await subscribed(client.channel(uniqueName('schema')).on('postgres_changes', { event: 'INSERT', schema: 'public' }, schemaWide.push));
    const [a, b] = [freshId(), freshId()];
    await db().query(`insert into public.open_items (id, label) values ($1, $2), ($3, 'other')`, [a, label, b]);
    await db().query(`insert into public.full_items (id, label) values ($1, 'z')`, [a]);
    await schemaWide.waitFor((items) => items.some((change) => change.table === 'full_items'));
    expect(byLabel.items.map((change) => (change.new as Row).id)).toEqual([a]);
    expect(schemaWide.items.filter((change) => change.table === 'open_items').map((change) => (change.new as Row).id)).toEqual([a, b]);
  });

  test('an invalid filter is refused at join', async () => {
    const client = await makeClient();
    const channel = client.channel(uniqueName('bad')).on('postgres_changes', { event: '*', schema: 'public', table: 'open_items', filter: 'id=like.3' }, () => {});
    await expect(subscribed(channel)).rejects.toThrow(/filter/);
  });
});

describe('value typing and replica identity', () => {
  test('int, numeric, bool, jsonb, timestamptz, arrays and float arrive typed', async () => {
    const owner = crypto.randomUUID();
    const changes = await watch('2.0.0', { event: 'INSERT', table: 'notes', filter: `owner_id=eq.${owner}` });
    await db().query(
      `insert into public.notes (owner_id, title, score, amount, done, details, tags, numbers, happened_at, ratio)
       values ($1, 'typed', 42, 1234.56, true, '{"a":{"b":[true,null,"x"]}}', array['one','two words', null], array[1,2,3], '2026-05-06 07:08:09.5+02', 0.25)`,
      [owner],
    );
    const [change] = await changes.waitForCount(1);
    expect(change!.new).toEqual({
      id: expect.any(Number),
      owner_id: owner,
      title: 'typed',
      score: 42,
      amount: 1234.56,
      done: true,
      details: { a: { b: [true, null, 'x'] } },
      tags: ['one', 'two words', null],
      numbers: [1, 2, 3],
      happened_at: '2026-05-06T05:08:09.5+00:00',
      ratio: 0.25,
    });
  });

  test('replica identity full sends the whole old row', async () => {
    const changes = await watch('2.0.0', { event: '*', table: 'full_items' });
    const id = freshId();
    await db().query(`insert into public.full_items (id, label) values ($1, 'before')`, [id]);
    await db().query(`update public.full_items set label = 'after' where id = $1`, [id]);
    await db().query(`delete from public.full_items where id = $1`, [id]);
    const [, update, remove] = await changes.waitForCount(3);
    expect(update!.old).toEqual({ id, label: 'before' });
    expect(remove!.old).toEqual({ id, label: 'after' });
  });
});

describe('capture keeps only watched changes (a bulk write to other tables is dropped as it is read)', () => {
  test('a transaction mixing 5,000 unwatched rows with watched ones delivers exactly the watched, in order', async () => {
    const watched = await watch('2.0.0', { event: 'INSERT', table: 'full_items' });
    const [first, second] = [freshId(), freshId()];
    const bulk = -freshId() * 10; // negative ids: no other test uses them
    const client = await db().connect(); // one connection: one transaction
    await client.query('begin');
    await client.query(`insert into public.open_items (id, label) select g, 'bulk' from generate_series($1::int - 4999, $1::int - 2500) g`, [bulk]);
    await client.query(`insert into public.full_items (id, label) values ($1, 'first')`, [first]);
    await client.query(`insert into public.open_items (id, label) select g, 'bulk' from generate_series($1::int - 2499, $1::int) g`, [bulk]);
    await client.query(`insert into public.full_items (id, label) values ($1, 'second')`, [second]);
    await client.query('commit');
    client.release();
    const arrived = await watched.waitForCount(2);
    expect(arrived.map((change) => [change.table, (change.new as Row).id, (change.new as Row).label])).toEqual([
      ['full_items', first, 'first'],
      ['full_items', second, 'second'],
    ]);
  });
});
